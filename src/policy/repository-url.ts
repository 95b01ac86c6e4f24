// Repository URL normalisation, so a package.json's `repository` and a certificate's Source
// Repository URI compare equal when they name the same repository, and only then.

import { normalizeHost } from './host.js';

const SHORTHAND_HOSTS: Record<string, string> = { github: 'github.com', gitlab: 'gitlab.com', bitbucket: 'bitbucket.org' };
// Hosts whose owner and repository names are case-insensitive.
const CASE_INSENSITIVE_PATHS = new Set(['github.com', 'gitlab.com']);

// Normalises `git+https://`, `git+ssh://git@host/`, `ssh://`, `git://`, scp-like `git@host:o/r`,
// `github:o/r` / `gitlab:` / `bitbucket:` shorthands and npm's bare `o/r` (GitHub) to
// `https://host/path`: host lower-cased, userinfo, port, query, fragment, trailing `/` and `.git`
// dropped. Returns null for what is not a repository URL.
export function normalizeRepositoryUrl(input: string): string | null {
  const value = input.trim();
  const shorthand = /^(github|gitlab|bitbucket):([^/\s:]+\/[^/\s#]+)(#.*)?$/.exec(value);
  if (shorthand !== null) return build(SHORTHAND_HOSTS[shorthand[1] as string] as string, `/${shorthand[2]}`);
  const bare = /^([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+)(#.*)?$/.exec(value);
  if (bare !== null) return build('github.com', `/${bare[1]}`);
  const scp = /^(?:[^@\s/]+@)?([A-Za-z0-9.-]+):(?!\/)([^\s#]+)(#.*)?$/.exec(value);
  if (scp !== null && !/^[a-z+]+$/i.test(scp[1] ?? '')) return build(scp[1] as string, `/${scp[2]}`);
  let url: URL;
  try {
    url = new URL(value.replace(/^git\+/, ''));
  } catch {
    return null;
  }
  if (!['https:', 'http:', 'ssh:', 'git:'].includes(url.protocol) || url.hostname === '') return null;
  return build(url.hostname, decodeURIComponent(url.pathname));
}

function build(rawHost: string, rawPath: string): string | null {
  const host = normalizeHost(rawHost);
  let path = rawPath.replace(/\/+$/, '').replace(/\.git$/, '').replace(/\/+$/, '');
  if (path === '' || path === '/') return null;
  if (CASE_INSENSITIVE_PATHS.has(host)) path = path.toLowerCase();
  return `https://${host}${path}`;
}

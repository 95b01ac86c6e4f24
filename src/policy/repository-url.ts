// Repository URL normalisation, so a package.json's `repository` and a certificate's Source
// Repository URI compare equal when they name the same repository, and only then.

import hostedGitInfo from 'hosted-git-info';
import { normalizeHost } from './host.js';

// Hosts whose owner and repository names are case-insensitive.
const CASE_INSENSITIVE_PATHS = new Set(['github.com', 'gitlab.com']);

// Normalises a repository URL to `https://host/path`: host lower-cased, userinfo, port, query,
// fragment, trailing `/` and `.git` dropped. The hosts npm knows (GitHub, GitLab, Bitbucket,
// their shorthands and npm's bare `o/r`) are read by npm's own hosted-git-info; any other host
// from `git+https://`, `git+ssh://git@host/`, `ssh://`, `git://` or scp-like `git@host:o/r`.
// Returns null for what is not a repository URL.
export function normalizeRepositoryUrl(input: string): string | null {
  const value = input.trim();
  const hosted = readHosted(value);
  if (hosted !== undefined) return build(hosted.domain, `/${hosted.user}/${hosted.project}`);
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

// hosted-git-info's reading of a hosted repository; undefined for any other value.
function readHosted(value: string): { domain: string; user: string; project: string } | undefined {
  try {
    const info = hostedGitInfo.fromUrl(value);
    if (!info?.domain || !info.user || !info.project) return undefined;
    // Only GitLab nests groups: `github:org/repo/extra` names no GitHub repository.
    if (info.type !== 'gitlab' && info.user.includes('/')) return undefined;
    return { domain: info.domain, user: info.user, project: info.project };
  } catch {
    return undefined;
  }
}

function build(rawHost: string, rawPath: string): string | null {
  const host = normalizeHost(rawHost);
  let path = rawPath.replace(/\/+$/, '').replace(/\.git$/, '').replace(/\/+$/, '');
  if (path === '' || path === '/') return null;
  if (CASE_INSENSITIVE_PATHS.has(host)) path = path.toLowerCase();
  return `https://${host}${path}`;
}

// A lockfile entry's `resolved` as arborist's Node holds it: a `file:` path made absolute against
// the project, a hosted git URL in the form npm saves, anything else as written. The same reading
// as arborist's (private) consistent-resolve helper, from npm-package-arg's parse of the value.
import { createRequire } from 'node:module';
import npa from 'npm-package-arg';

// A plain http(s) URL: a lower-case host name, an optional port, a path of URL characters, and
// nothing npm-package-arg reads apart (credentials, a query, a fragment). Registry tarball URLs,
// nearly every entry of a lockfile, are such URLs.
const PLAIN_HTTP_URL = /^https?:\/\/([a-z0-9.-]+)(?::\d+)?\/[A-Za-z0-9@%._~/+-]*$/;

// The domains whose URLs hosted-git-info may take for a hosted git repository, read from the
// copy npm-package-arg uses (with or without `www.`, as it looks them up).
const hostedGitDomains = (() => {
  const requireFromNpa = createRequire(createRequire(import.meta.url).resolve('npm-package-arg'));
  const hosts = requireFromNpa('hosted-git-info/lib/hosts.js') as Record<string, { domain?: string }>;
  return new Set(Object.values(hosts).flatMap((host) => host.domain ?? []));
})();

// The hosted-git-info object npm-package-arg attaches (its published type names none of these).
interface HostedRepository {
  auth?: string | null;
  default?: string;
  https(options: { noCommittish: boolean }): string;
  sshurl(options: { noCommittish: boolean }): string;
}

// `resolved` read from the project folder `projectDir`; null when the entry records none.
export function readResolved(resolved: string | undefined, projectDir: string): string | null {
  return readResolvedSpec(resolved, projectDir).resolved;
}

// `resolved` as readResolved reads it, and whether npm-package-arg took it for an http(s) URL
// (type `remote`, kept as written): the parse that classifying the source would repeat.
export function readResolvedSpec(resolved: string | undefined, projectDir: string): { resolved: string | null; remote: boolean } {
  if (!resolved) return { resolved: null, remote: false };
  // npm-package-arg reads a plain http(s) URL off a host that is not a git host as a remote URL
  // kept as written, once it parses: the same answer without its parse (a tenth of a warm run's
  // walk). Every other value is its to read.
  const plain = PLAIN_HTTP_URL.exec(resolved);
  if (plain !== null && !hostedGitDomains.has((plain[1] as string).replace(/^www\./, '')) && URL.canParse(resolved)) return { resolved, remote: true };
  return parseResolvedSpec(resolved, projectDir);
}

// readResolvedSpec's reading of a non-empty `resolved`, by npm-package-arg's parse alone.
export function parseResolvedSpec(resolved: string, projectDir: string): { resolved: string | null; remote: boolean } {
  try {
    const spec = npa(resolved, projectDir);
    if (spec.type === 'file' || spec.type === 'directory') return { resolved: `file:${spec.fetchSpec}`, remote: false };
    if (spec.hosted) {
      const hosted = spec.hosted as unknown as HostedRepository;
      const form = { noCommittish: false };
      // An https form stays https (and keeps its credentials); every other hosted form is saved as ssh.
      const url = hosted.auth || hosted.default === 'https' ? hosted.https(form) : hosted.sshurl(form);
      return { resolved: `git+${url}`, remote: false };
    }
    if (spec.type === 'git') return { resolved: spec.saveSpec, remote: false };
    return { resolved: spec.rawSpec === '*' ? spec.raw : spec.rawSpec, remote: spec.type === 'remote' };
  } catch {
    // npm-package-arg refuses it: kept exactly as the lockfile wrote it, as arborist keeps it.
    return { resolved, remote: false };
  }
}

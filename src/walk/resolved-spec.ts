// A lockfile entry's `resolved` as arborist's Node holds it: a `file:` path made absolute against
// the project, a hosted git URL in the form npm saves, anything else as written. The same reading
// as arborist's (private) consistent-resolve helper, from npm-package-arg's parse of the value.
import npa from 'npm-package-arg';

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

// Where the VSA's lockfile and policy are, as URIs: the lockfile's address in the repository at
// the commit when a CI job says which (a path on a discarded runner names nothing a consumer can
// fetch), else a file: URI of its absolute path. Pure: the environment is passed in.

import { basename, isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { sha256Hex } from '../canonical-json.js';
import type { VsaInputs } from './vsa.js';

type Env = Readonly<Record<string, string | undefined>>;

// The lockfile's name and URI and the policy's URI with the sha256 of exactly its bytes (the
// report's policy digest is of canonical JSON, which no file at any URI hashes to).
export function getVsaInputs(options: { projectDir: string; lockfilePath: string; policy: { path: string; text: string }; env: Env }): VsaInputs {
  const lockfile = resolve(options.projectDir, options.lockfilePath);
  return {
    lockfileName: basename(lockfile),
    resourceUri: toRepositoryUrl(lockfile, options.env) ?? pathToFileURL(lockfile).href,
    // The policy was read as UTF-8 text: its UTF-8 encoding gives back the file's bytes.
    policy: { uri: pathToFileURL(options.policy.path).href, sha256: sha256Hex(options.policy.text) },
  };
}

// GitHub Actions: SERVER/REPOSITORY/blob/SHA/PATH; GitLab CI: PROJECT_URL/-/blob/SHA/PATH. Only
// for a lockfile inside the job's checkout, whose path in the repository is then known.
function toRepositoryUrl(lockfile: string, env: Env): string | undefined {
  if (env.GITHUB_ACTIONS === 'true' && env.GITHUB_REPOSITORY && env.GITHUB_SHA && env.GITHUB_WORKSPACE) {
    const path = toRepositoryPath(lockfile, env.GITHUB_WORKSPACE);
    return path === undefined ? undefined : `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${env.GITHUB_REPOSITORY}/blob/${env.GITHUB_SHA}/${path}`;
  }
  if (env.GITLAB_CI === 'true' && env.CI_PROJECT_URL && env.CI_COMMIT_SHA && env.CI_PROJECT_DIR) {
    const path = toRepositoryPath(lockfile, env.CI_PROJECT_DIR);
    return path === undefined ? undefined : `${env.CI_PROJECT_URL}/-/blob/${env.CI_COMMIT_SHA}/${path}`;
  }
  return undefined;
}

function toRepositoryPath(file: string, checkout: string): string | undefined {
  const path = relative(resolve(checkout), file);
  if (path === '' || path.startsWith('..') || isAbsolute(path)) return undefined;
  return path.split(sep).map(encodeURIComponent).join('/');
}

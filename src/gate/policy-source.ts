import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../errors.js';
import { PolicyError, parseIdentityLock, parsePolicy, type IdentityLock, type NormalizedPolicy } from '../policy/index.js';
import { PACKAGE_ROOT } from '../paths/package-root.js';
import { findWorkspaceRoot } from '../walk/index.js';

// Where the run's policy came from, for the report.
export interface PolicySource {
  origin: 'file' | 'project' | 'builtin';
  // Absolute path of the file read.
  path: string;
  text: string;
}

export const PROJECT_POLICY_FILE = 'verify-deps.policy.json';
export const BUILTIN_POLICY_DIR = fileURLToPath(new URL('policies/', PACKAGE_ROOT));

// Finds the policy: --policy, else verify-deps.policy.json in the project, else (in a workspace's
// folder) the workspace root's, else the shipped default. Security: a workspace gated from its
// folder must not fall to the default policy when the monorepo's policy (and its identity lock)
// sits at the root.
export async function locatePolicy(projectDir: string, policyFile?: string): Promise<PolicySource> {
  if (policyFile !== undefined) return { origin: 'file', path: resolve(policyFile), text: await readPolicyFile(resolve(policyFile)) };
  const workspaceRoot = await findWorkspaceRoot(resolve(projectDir));
  for (const dir of workspaceRoot === undefined ? [projectDir] : [projectDir, workspaceRoot]) {
    const projectPolicy = join(dir, PROJECT_POLICY_FILE);
    if ((await stat(projectPolicy).catch(() => null))?.isFile()) {
      return { origin: 'project', path: projectPolicy, text: await readPolicyFile(projectPolicy) };
    }
  }
  const builtin = join(BUILTIN_POLICY_DIR, 'default.json');
  return { origin: 'builtin', path: builtin, text: await readPolicyFile(builtin) };
}

async function readPolicyFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    throw new InputError('POLICY_UNREADABLE', `${path}: cannot be read (${(cause as NodeJS.ErrnoException).code ?? String(cause)})`, {
      file: path,
      hint: 'Pass an existing policy file to --policy, or drop the flag to use the default policy.',
    }, cause);
  }
}

export interface LoadedPolicy {
  source: PolicySource;
  policy: NormalizedPolicy;
  warnings: string[];
  identityLock?: IdentityLock;
}

// Reads, validates and normalises the policy, and the identity lock it names (relative to the
// policy file). A lock the policy names but that is missing is an error: it would pin nothing.
export async function loadPolicy(projectDir: string, policyFile?: string): Promise<LoadedPolicy> {
  const source = await locatePolicy(projectDir, policyFile);
  const { policy, warnings } = parsePolicy(source.text, source.path);
  if (policy.identityLock === null) return { source, policy, warnings };
  const lockPath = resolve(dirname(source.path), policy.identityLock);
  const text = await readFile(lockPath, 'utf8').catch(() => null);
  if (text === null) {
    throw new PolicyError('IDENTITY_LOCK_MISSING', `${lockPath}: the identity lock named by ${source.path} is missing`, [{ path: '/identityLock', message: `${lockPath} not found` }], lockPath);
  }
  return { source, policy, warnings, identityLock: parseIdentityLock(text, lockPath) };
}

import { join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { walkTree, type WalkOptions, type WalkResult } from '../walk/index.js';

// The project's tree and the digest of the file it was read from: what a run knows once the
// lockfile is read, and what its report records even when the run stops later.
export interface ProjectTree {
  inventory: WalkResult;
  // sha256 of the lockfile's bytes (package-lock.json, npm-shrinkwrap.json or npm's
  // node_modules/.package-lock.json).
  lockfileSha256: string | null;
}

// What of the tree a run reads: the dependency types left out, the workspaces selected, the
// largest lockfile read.
export type TreeOptions = Pick<WalkOptions, 'omit' | 'workspaces' | 'includeWorkspaceRoot' | 'maxEntries'>;

// Reads the project's tree (src/walk) and digests the lockfile it came from. A tree read from
// node_modules alone is refused here, before any network: `inventory` may list it, but a gate
// cannot certify it.
export async function readProjectTree(dir: string, options: TreeOptions): Promise<ProjectTree> {
  const projectDir = resolve(dir);
  const { omit, workspaces, includeWorkspaceRoot, maxEntries } = options;
  const inventory = await walkTree(projectDir, {
    ...(omit === undefined ? {} : { omit }),
    ...(workspaces === undefined ? {} : { workspaces }),
    ...(includeWorkspaceRoot === undefined ? {} : { includeWorkspaceRoot }),
    ...(maxEntries === undefined ? {} : { maxEntries }),
  });
  if (inventory.treeSource.kind === 'node_modules') throw installedTreeOnly(projectDir);
  // The digest of the very bytes the walk read and checked (not a second read of the file).
  return { inventory, lockfileSha256: inventory.lockfileSha256 };
}

// node_modules without a lockfile (npm 6, yarn, pnpm and bun leave it so) is already installed:
// install scripts have run, no file pins what is there, most packages carry no integrity
// (npm 6 alone records `_integrity`), and the bytes on disk are never hashed against anything.
// A pass would call verified a tree nobody checked.
function installedTreeOnly(projectDir: string): InputError {
  const file = join(projectDir, 'package-lock.json');
  return new InputError('NO_LOCKFILE', `${file}: not found (nor npm-shrinkwrap.json, nor node_modules/.package-lock.json); expected a lockfile to check, found only the packages installed in node_modules`, {
    file,
    hint: 'Create one with `npm install --package-lock-only` (it resolves package.json again, and may pick newer versions than node_modules holds), commit it, and run the gate before installing.',
  });
}

import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { sha256Hex } from '../canonical-json.js';
import { walkTree, type WalkOptions, type WalkResult } from '../walk/index.js';

// The project's tree and the digest of the file it was read from: what a run knows once the
// lockfile is read, and what its report records even when the run stops later.
export interface ProjectTree {
  inventory: WalkResult;
  // sha256 of the lockfile's bytes; null when the tree was read from node_modules (no file).
  lockfileSha256: string | null;
}

// What of the tree a run reads: the dependency types left out, the workspaces selected, the
// largest lockfile read.
export type TreeOptions = Pick<WalkOptions, 'omit' | 'workspaces' | 'includeWorkspaceRoot' | 'maxEntries'>;

// Reads the project's tree (src/walk) and digests the lockfile it came from.
export async function readProjectTree(dir: string, options: TreeOptions): Promise<ProjectTree> {
  const projectDir = resolve(dir);
  const { omit, workspaces, includeWorkspaceRoot, maxEntries } = options;
  const inventory = await walkTree(projectDir, {
    ...(omit === undefined ? {} : { omit }),
    ...(workspaces === undefined ? {} : { workspaces }),
    ...(includeWorkspaceRoot === undefined ? {} : { includeWorkspaceRoot }),
    ...(maxEntries === undefined ? {} : { maxEntries }),
  });
  const lockfileSha256 = inventory.treeSource.kind === 'node_modules' ? null : sha256Hex(await readFile(join(projectDir, inventory.lockfile)));
  return { inventory, lockfileSha256 };
}

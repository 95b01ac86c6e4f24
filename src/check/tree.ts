import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { sha256Hex } from '../canonical-json.js';
import type { OmitType } from '../types.js';
import { walkTree, type WalkResult } from '../walk/index.js';

// The project's tree and the digest of the file it was read from: what a run knows once the
// lockfile is read, and what its report records even when the run stops later.
export interface ProjectTree {
  inventory: WalkResult;
  // sha256 of the lockfile's bytes; null when the tree was read from node_modules (no file).
  lockfileSha256: string | null;
}

// Reads the project's tree (src/walk) and digests the lockfile it came from.
export async function readProjectTree(dir: string, omit: readonly OmitType[]): Promise<ProjectTree> {
  const projectDir = resolve(dir);
  const inventory = await walkTree(projectDir, { omit });
  const lockfileSha256 = inventory.treeSource.kind === 'node_modules' ? null : sha256Hex(await readFile(join(projectDir, inventory.lockfile)));
  return { inventory, lockfileSha256 };
}

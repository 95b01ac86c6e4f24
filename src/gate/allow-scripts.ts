import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { WalkResult } from '../walk/index.js';

// The `allowScripts` of the package.json beside the lockfile (a workspace member's own is not
// what npm reads), its boolean entries only, as npm reads them: any other value approves and
// denies nothing. Undefined when the field is absent or not an object.
export async function readAllowScripts(dir: string, inventory: Pick<WalkResult, 'lockfile'>): Promise<Record<string, boolean> | undefined> {
  const file = join(projectRootOf(resolve(dir, inventory.lockfile)), 'package.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    // No package.json (a tree read from node_modules alone may have none): nothing approved.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  // The walk has already parsed this file (or refused the run), so it is JSON.
  const pkg = JSON.parse(text.replace(/^\uFEFF/, '')) as { allowScripts?: unknown };
  const field = pkg.allowScripts;
  if (field === null || typeof field !== 'object' || Array.isArray(field)) return undefined;
  return Object.fromEntries(Object.entries(field).filter((entry): entry is [string, boolean] => typeof entry[1] === 'boolean'));
}

// The project folder of a tree source: the lockfile's folder, or the folder holding node_modules
// when the tree is npm's record of it (node_modules/.package-lock.json) or node_modules itself.
function projectRootOf(source: string): string {
  if (basename(source) === 'node_modules') return dirname(source);
  if (basename(source) === '.package-lock.json' && basename(dirname(source)) === 'node_modules') return dirname(dirname(source));
  return dirname(source);
}

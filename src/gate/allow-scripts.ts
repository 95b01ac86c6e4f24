import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { WalkResult } from '../walk/index.js';

// The `allowScripts` of the package.json beside the lockfile (a workspace member's own is not
// what npm reads), its boolean entries only, as npm reads them: any other value approves and
// denies nothing. Undefined when the field is absent or not an object.
export async function readAllowScripts(dir: string, inventory: Pick<WalkResult, 'lockfile'>): Promise<Record<string, boolean> | undefined> {
  const file = join(dirname(resolve(dir, inventory.lockfile)), 'package.json');
  // The walk has already parsed this file (or refused the run), so it is JSON.
  const pkg = JSON.parse((await readFile(file, 'utf8')).replace(/^\uFEFF/, '')) as { allowScripts?: unknown };
  const field = pkg.allowScripts;
  if (field === null || typeof field !== 'object' || Array.isArray(field)) return undefined;
  return Object.fromEntries(Object.entries(field).filter((entry): entry is [string, boolean] => typeof entry[1] === 'boolean'));
}

import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { compareCodePoints } from '../sri/index.js';
import type { CheckFinding } from './types.js';

// What npm itself writes into a node_modules folder: the links to executables and the hidden
// lockfile. Nothing else there comes from npm but the packages the lockfile installs.
const NPM_OWN = new Set(['.bin', '.package-lock.json']);

// --installed: every entry of the project's node_modules folders (the root's, and each of a
// lockfile location outside node_modules: a workspace or linked folder) must be a package folder
// some lockfile entry installs there. Anything else (a package npm did not install, a loose file)
// is INSTALLED_TREE_MODIFIED (added): Node's resolver loads it by name as readily as a verified
// package. Nested node_modules of an installed package are that package's own check
// (installed.ts). Throws when a node_modules folder exists but cannot be read.
export async function findStrayInstalled(rootDir: string, lockfileLocations: ReadonlySet<string>): Promise<CheckFinding[]> {
  const folders = ['node_modules'];
  for (const location of lockfileLocations) {
    if (location !== '' && !location.split('/').includes('node_modules')) folders.push(`${location}/node_modules`);
  }
  const findings: CheckFinding[] = [];
  for (const folder of folders) {
    for (const path of await strayEntries(join(rootDir, folder), folder, lockfileLocations)) {
      findings.push({
        code: 'INSTALLED_TREE_MODIFIED',
        message: `expected no ${folder}/${path} (no lockfile entry installs it), found one`,
        details: { location: folder, path, kind: 'added' },
      });
    }
  }
  return findings;
}

// The entries of one node_modules folder (and of its @scope folders) that no lockfile location
// names, in code-point order; none when the folder does not exist.
async function strayEntries(absDir: string, folder: string, locations: ReadonlySet<string>): Promise<string[]> {
  const entries = await listDir(absDir);
  const strays: string[] = [];
  for (const entry of entries) {
    if (NPM_OWN.has(entry.name)) continue;
    if (entry.name.startsWith('@') && entry.isDirectory()) {
      for (const scoped of await listDir(join(absDir, entry.name))) {
        const path = `${entry.name}/${scoped.name}`;
        if (!locations.has(`${folder}/${path}`)) strays.push(path);
      }
    } else if (!locations.has(`${folder}/${entry.name}`)) {
      strays.push(entry.name);
    }
  }
  return strays.sort(compareCodePoints);
}

async function listDir(absDir: string) {
  try {
    return await readdir(absDir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
    throw error;
  }
}

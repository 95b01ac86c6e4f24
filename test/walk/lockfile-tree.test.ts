// The linear lockfile reader (src/walk/lockfile-tree.ts) against arborist's own tree: on every
// real lockfile it reads, with and without --omit, the inventory is the same to the last flag,
// alias and location. It must also actually be the path taken for those lockfiles.
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { walkTree } from '../../src/walk/index.js';
import { loadLockfileNodes, locationPath } from '../../src/walk/lockfile-tree.js';
import { copyFixtureProject, type LockfileFixture } from '../support/fixture-project.js';

interface PackageJson {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

// Lockfile v2/v3 fixtures in sync with their package.json: read linearly.
const LINEAR: LockfileFixture[] = [
  'actions-checkout',
  'axios-1.7.9',
  'firebase-vscode',
  'firepit-builder-small',
  'firepit-standalone',
  'mocha-12.0.0-rc.6',
  'mocha-docs-site',
  'socket.io-monorepo',
];
// Left to arborist's tree: lockfile v1 (arborist converts an ancient lockfile), a root that
// depends on its own workspaces (npm-cli: arborist then recomputes every flag), and a
// package.json that is not what the shrinkwrap's root entry recorded.
const ARBORIST: LockfileFixture[] = ['mocha-8.3.2-v1', 'socket.io-4.3.2-v1', 'npm-cli-10.9.0', 'firebase-tools-shrinkwrap'];

// Some fixtures hold the lockfile and package.json, not the workspace folders; a checkout has
// them. Each missing folder's package.json is written from its lockfile entry, as npm recorded it.
async function writeWorkspaceFolders(dir: string): Promise<number> {
  const lockfile = existsSync(join(dir, 'npm-shrinkwrap.json')) ? 'npm-shrinkwrap.json' : 'package-lock.json';
  const lock = JSON.parse(await readFile(join(dir, lockfile), 'utf8')) as { packages?: Record<string, Record<string, unknown>> };
  let written = 0;
  for (const [location, entry] of Object.entries(lock.packages ?? {})) {
    if (location === '' || location.split('/').includes('node_modules') || existsSync(join(dir, location, 'package.json'))) continue;
    await mkdir(join(dir, location), { recursive: true });
    await writeFile(join(dir, location, 'package.json'), JSON.stringify(entry));
    written++;
  }
  return written;
}

describe('the linear lockfile reader', () => {
  it.each(LINEAR)('%s: same inventory as arborist\'s tree, with and without --omit', async (fixture) => {
    const { dir, cleanup } = await copyFixtureProject(fixture);
    cleanups.push(cleanup);
    await writeWorkspaceFolders(dir);
    expect(await loadLockfileNodes(dir)).toBeDefined();
    for (const omit of [[], ['dev'], ['optional'], ['dev', 'optional'], ['peer']] as const) {
      const linear = await walkTree(dir, { omit });
      const arborist = await walkTree(dir, { omit, arboristTree: true });
      expect(linear).toEqual(arborist);
    }
  }, 60_000);

  it('a workspace folder missing from disk: left to arborist (it recomputes every flag then)', async () => {
    const { dir, cleanup } = await copyFixtureProject('socket.io-monorepo');
    cleanups.push(cleanup);
    await writeWorkspaceFolders(dir);
    expect(await loadLockfileNodes(dir)).toBeDefined();
    await rm(join(dir, 'packages', 'engine.io'), { recursive: true });
    expect(await loadLockfileNodes(dir)).toBeUndefined();
    expect(await walkTree(dir)).toEqual(await walkTree(dir, { arboristTree: true }));
  });

  // npm ci installs the lockfile as recorded (or refuses the project); arborist would recompute
  // every flag from package.json in quadratic time.
  it.each([
    ['a development dependency added', (pkg: PackageJson): void => {
      pkg.devDependencies['left-pad'] = '^1.3.0';
    }, 'left-pad'],
    ['a dependency moved to devDependencies', (pkg: PackageJson): void => {
      pkg.devDependencies['follow-redirects'] = pkg.dependencies['follow-redirects'] as string;
      delete pkg.dependencies['follow-redirects'];
    }, 'follow-redirects'],
  ] as const)('package.json changed since the lockfile was written (%s): read as the lockfile records it, with a warning naming it', async (_, change, name) => {
    const { dir, cleanup } = await copyFixtureProject('axios-1.7.9');
    cleanups.push(cleanup);
    const inSync = await walkTree(dir);
    const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as PackageJson;
    change(pkg);
    await writeFile(join(dir, 'package.json'), JSON.stringify(pkg));
    expect((await loadLockfileNodes(dir))?.outOfSync).toContain(`"${name}"`);
    const outOfSync = await walkTree(dir);
    expect(outOfSync.packages).toEqual(inSync.packages);
    expect(outOfSync.warnings).toEqual([expect.stringContaining(`"${name}"`)]);
  });

  it.each(ARBORIST)('%s: left to arborist', async (fixture) => {
    const { dir, cleanup } = await copyFixtureProject(fixture);
    cleanups.push(cleanup);
    await writeWorkspaceFolders(dir);
    expect(await loadLockfileNodes(dir)).toBeUndefined();
  });
});

describe('locationPath', () => {
  it('is path.resolve of the project folder and the location, for plain and hostile locations alike', () => {
    const locations = ['', 'node_modules/a', 'node_modules/@s/a/node_modules/b', 'packages/app', 'a/../b', '../outside', './a', 'a/./b', 'a/.', 'a/..', '..', '.', '/abs/x', 'a//b', 'a/', '.a/b', '..a/b', 'a/..b', 'a\\b', 'node_modules/.bin', '...'];
    let compared = 0;
    for (const dir of ['/', '/p', '/work/project']) {
      for (const location of locations) {
        expect(locationPath(dir, location), `${dir} + ${JSON.stringify(location)}`).toBe(resolve(dir, location));
        compared++;
      }
    }
    expect(compared).toBe(3 * locations.length);
  });
});

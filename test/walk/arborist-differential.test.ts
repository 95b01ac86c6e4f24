// Every fixture lockfile (test/fixtures/lockfiles, old and new) through the walker and through
// arborist's own loadVirtual, as `npm ci` reads it: the same accept/refuse decision, and the same
// packages at the same install locations with the same versions, integrity, origin and flags.
// The walker's own shape checks and its linear reader sit between the file and the inventory;
// this holds both to what npm itself reads.
import { readdirSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Arborist from '@npmcli/arborist';
import { afterEach, describe, expect, it } from 'vitest';
import { walkTree } from '../../src/walk/index.js';
import { copyFixtureProject, LOCKFILES_DIR, makeTempDir, type LockfileFixture } from '../support/fixture-project.js';
import { npmjsTarballUrl } from '../support/public-urls.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

// Read from disk, so that a fixture added later is held to the same answer without a list to update.
const FIXTURES = readdirSync(LOCKFILES_DIR).filter((name) => statSync(join(LOCKFILES_DIR, name)).isDirectory()).sort();

interface Installed {
  name: string;
  version: string;
  integrity: string | null;
  // Only URLs: file: paths are shown relative to the project by the walker, by design.
  resolved: string | null;
  dev: boolean;
  optional: boolean;
  bundled: boolean;
}

type Decision = { accepted: true; locations: Record<string, Installed> } | { accepted: false; error: string };

const asUrl = (resolved: string | null | undefined): string | null => (resolved && /^(https?|git\+[a-z]+):/.test(resolved) ? resolved : null);

// What arborist reads: every installed node (a link stands for its target, as in `npm ls`).
async function arboristReads(dir: string): Promise<Decision> {
  let root: Awaited<ReturnType<Arborist['loadVirtual']>>;
  try {
    root = await new Arborist({ path: dir }).loadVirtual();
  } catch (error) {
    return { accepted: false, error: (error as Error).message.split('\n')[0] ?? '' };
  }
  const locations: Record<string, Installed> = {};
  for (const node of root.inventory.values()) {
    if (node.isProjectRoot || (!node.isLink && node.linksIn.size > 0)) continue;
    locations[node.location] = {
      name: node.packageName ?? node.name,
      version: node.version ?? '',
      integrity: node.integrity ?? null,
      resolved: asUrl(node.resolved),
      dev: node.dev,
      optional: node.optional,
      bundled: node.inDepBundle,
    };
  }
  return { accepted: true, locations };
}

async function walkerReads(dir: string): Promise<Decision> {
  let result: Awaited<ReturnType<typeof walkTree>>;
  try {
    result = await walkTree(dir);
  } catch (error) {
    return { accepted: false, error: `${(error as { code?: string }).code}: ${(error as Error).message}` };
  }
  const locations: Record<string, Installed> = {};
  for (const ref of result.packages) {
    for (const location of ref.locations) {
      locations[location] = {
        name: ref.name,
        version: ref.version,
        integrity: ref.integrity,
        resolved: asUrl(ref.resolved),
        // Flags are merged over a package's locations; compared per location only where single.
        dev: ref.dev,
        optional: ref.optional,
        bundled: ref.bundled,
      };
    }
  }
  return { accepted: true, locations };
}

// A package installed at several locations carries the flags that hold at all of them.
function mergedFlags(arborist: Record<string, Installed>, walker: Record<string, Installed>): Record<string, Installed> {
  const groups = new Map<string, string[]>();
  for (const [location, installed] of Object.entries(walker)) {
    const key = JSON.stringify([installed.name, installed.version, installed.integrity, installed.resolved]);
    groups.set(key, [...(groups.get(key) ?? []), location]);
  }
  const out: Record<string, Installed> = structuredClone(arborist);
  for (const locations of groups.values()) {
    const present = locations.map((location) => out[location]).filter((entry) => entry !== undefined);
    for (const flag of ['dev', 'optional', 'bundled'] as const) {
      const all = present.every((entry) => entry[flag]);
      for (const entry of present) entry[flag] = all;
    }
  }
  return out;
}

describe('every fixture lockfile: the walker reads what arborist (npm ci) reads', () => {
  it('finds the fixtures', () => {
    expect(FIXTURES.length).toBeGreaterThanOrEqual(16);
  });

  it.each(FIXTURES)('%s', async (fixture) => {
    const { dir, cleanup } = await copyFixtureProject(fixture as LockfileFixture);
    cleanups.push(cleanup);
    const arborist = await arboristReads(dir);
    const walker = await walkerReads(dir);
    // The reason is shown when the two disagree.
    expect(walker.accepted ? 'accepted' : `refused (${walker.error})`).toBe(arborist.accepted ? 'accepted' : `refused (${walker.accepted ? '' : walker.error})`);
    if (arborist.accepted && walker.accepted) {
      expect(walker.locations).toEqual(mergedFlags(arborist.locations, walker.locations));
    }
  }, 60_000);
});

// Field values arborist reads as absent in a lockfile entry. npm 6 wrote `"resolved": false`
// (bundled dependencies, and some registry packages: npm/cli#1138); arborist takes a v1 entry's
// missing version from its tarball's file name.
const ABSENT_VALUES: Array<[string, unknown]> = [
  ['resolved', false], ['resolved', null], ['resolved', ''],
  ['integrity', false], ['integrity', null], ['integrity', ''],
  ['version', false], ['version', null], ['version', undefined],
  ['name', false], ['name', null],
];
const INTEGRITY = 'sha512-41Cifkg6e8TylSpdtTpeLVMqvSBEVzTttHvERD741+pnZ8ANv0004MRL43QKPDlK9cGvNp6NZWZUBlbGXYxxng==';

describe.each([1, 3])('lockfile v%i entries with a field npm reads as absent: the walker reads what arborist reads', (lockfileVersion) => {
  it.each(ABSENT_VALUES)('%s: %j', async (field, value) => {
    const { dir, cleanup } = await makeTempDir();
    cleanups.push(cleanup);
    const entry: Record<string, unknown> = { version: '7.0.0', resolved: npmjsTarballUrl('is-number', '7.0.0'), integrity: INTEGRITY };
    if (value === undefined) delete entry[field];
    else entry[field] = value;
    const root = { name: 'app', version: '1.0.0', dependencies: { 'is-number': '^7.0.0' } };
    const lock = lockfileVersion === 1
      ? { name: 'app', version: '1.0.0', lockfileVersion, requires: true, dependencies: { 'is-number': entry } }
      : { name: 'app', version: '1.0.0', lockfileVersion, requires: true, packages: { '': root, 'node_modules/is-number': entry } };
    await writeFile(join(dir, 'package.json'), JSON.stringify(root));
    await writeFile(join(dir, 'package-lock.json'), JSON.stringify(lock));
    const arborist = await arboristReads(dir);
    expect(arborist.accepted).toBe(true);
    expect(await walkerReads(dir)).toEqual(arborist);
  });
});

// The one deliberate difference: arborist carries a number or an object in these fields into its
// tree as it is (a non-string integrity, a version of 1); npm never writes one, and the report
// cannot hold one, so the walker refuses the lockfile.
describe('lockfile entries with a number or an object where npm writes a string', () => {
  it.each([['resolved', 1], ['integrity', {}], ['version', 1], ['name', true]])('%s: %j is refused (LOCKFILE_INVALID)', async (field, value) => {
    const { dir, cleanup } = await makeTempDir();
    cleanups.push(cleanup);
    const entry: Record<string, unknown> = { version: '7.0.0', integrity: INTEGRITY, [field]: value };
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', dependencies: { 'is-number': '^7.0.0' } }));
    await writeFile(join(dir, 'package-lock.json'), JSON.stringify({ name: 'app', lockfileVersion: 1, requires: true, dependencies: { 'is-number': entry } }));
    await expect(walkTree(dir)).rejects.toMatchObject({ code: 'LOCKFILE_INVALID' });
  });
});

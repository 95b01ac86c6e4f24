import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFixtureProject, LOCKFILE_FIXTURES, type LockfileFixture } from '../support/fixture-project.js';
import { runCli } from '../support/run-cli.js';
import { expectedRegistryPackages } from '../walk/lockfile-oracle.js';

interface InventoryPackage {
  name: string;
  version: string;
  source: string;
  bundled: boolean;
  locations: string[];
}

const schema = JSON.parse(await readFile(new URL('../../schema/inventory.schema.json', import.meta.url), 'utf8'));
const validateInventory = new Ajv2020({ allErrors: true, strict: true }).compile(schema);

describe.each(LOCKFILE_FIXTURES)('inventory --json of %s', (fixture: LockfileFixture) => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let inventory: { packages: InventoryPackage[]; lockfile: string };
  let lockfile: Record<string, unknown>;

  beforeAll(async () => {
    ({ dir, cleanup } = await copyFixtureProject(fixture));
    const run = await runCli(['inventory', dir, '--json']);
    expect(run.stderr).not.toMatch(/error/);
    expect(run.code).toBe(0);
    inventory = JSON.parse(run.stdout);
    lockfile = JSON.parse(await readFile(join(dir, inventory.lockfile), 'utf8'));
  });
  afterAll(() => cleanup());

  it('validates against schema/inventory.schema.json', () => {
    const valid = validateInventory(inventory);
    expect(validateInventory.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('lists exactly the registry packages the lockfile has npm download', () => {
    const fetched = inventory.packages.filter((p) => p.source === 'registry' && !p.bundled).map((p) => `${p.name}@${p.version}`);
    expect(new Set(fetched)).toEqual(expectedRegistryPackages(lockfile));
  });

  it('is sorted by name, then version', () => {
    const keys = inventory.packages.map((p) => [p.name, p.version] as const);
    const sorted = [...keys].sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
    expect(keys).toEqual(sorted);
  });
});

import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFixtureProject, LOCKFILE_FIXTURES, makeTempDir, type LockfileFixture } from '../support/fixture-project.js';
import { WORKSPACE_PROJECT, WORKSPACE_PROJECT_PACKAGES, writeWorkspaceProject } from '../support/workspace-project.js';
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

// A workspace project (test/support/workspace-project.ts): a in packages/a depends on alpha (and
// through it gamma) and, for development, a-dev; b on beta; the root on root-tool.
describe('inventory of npm workspaces', () => {
  const INTEGRITY = `sha512-${Buffer.alloc(64, 7).toString('base64')}`;
  let dir: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ dir, cleanup } = await makeTempDir());
    await writeWorkspaceProject(dir, WORKSPACE_PROJECT_PACKAGES.map((name) => ({ name, version: '1.0.0', integrity: INTEGRITY })));
  });
  afterAll(() => cleanup());

  async function inventoryOf(args: string[], cwd = dir): Promise<{ packages: InventoryPackage[]; lockfile: string; workspaces?: unknown; warnings: string[] }> {
    const run = await runCli(['inventory', ...args, '--json'], { cwd });
    expect(run.stderr).not.toMatch(/error/);
    expect(run.code).toBe(0);
    const inventory = JSON.parse(run.stdout);
    expect(validateInventory(inventory)).toBe(true);
    return inventory;
  }
  const names = (inventory: { packages: InventoryPackage[] }) => inventory.packages.map((p) => p.name).sort();

  it("in a workspace's folder: reads the root's lockfile and lists only that workspace's dependencies", async () => {
    for (const [args, cwd] of [[[], join(dir, 'packages/a')], [['packages/a'], dir]] as const) {
      const inventory = await inventoryOf([...args], cwd);
      expect(names(inventory)).toEqual([...WORKSPACE_PROJECT.closureOfA].sort());
      expect(resolve(cwd, args[0] ?? '.', inventory.lockfile)).toBe(join(dir, 'package-lock.json'));
      expect(inventory.workspaces).toEqual({ root: join('..', '..'), names: ['a'], includeRoot: false });
      expect(inventory.warnings).toEqual([]);
    }
  });

  it('-w NAME and -w PATH select a workspace from the root (without, the whole lockfile); --include-workspace-root adds the root\'s own', async () => {
    const whole = await inventoryOf([]);
    expect(names(whole)).toEqual(['a', 'b', ...WORKSPACE_PROJECT_PACKAGES].sort());
    expect(whole.workspaces).toBeUndefined();
    expect(names(await inventoryOf(['-w', 'b']))).toEqual([...WORKSPACE_PROJECT.closureOfB].sort());
    expect(names(await inventoryOf(['--workspace', 'packages/b']))).toEqual([...WORKSPACE_PROJECT.closureOfB].sort());
    expect(names(await inventoryOf(['-w', 'a', '-w', './packages/b']))).toEqual([...WORKSPACE_PROJECT.closureOfA, ...WORKSPACE_PROJECT.closureOfB].sort());
    const withRoot = await inventoryOf(['-w', 'b', '--include-workspace-root']);
    expect(names(withRoot)).toEqual([...WORKSPACE_PROJECT.closureOfB, ...WORKSPACE_PROJECT.root].sort());
    expect(withRoot.workspaces).toEqual({ root: '.', names: ['b'], includeRoot: true });
    // In a's folder, -w names another workspace, as npm lets it.
    expect(names(await inventoryOf(['-w', 'b'], join(dir, 'packages/a')))).toEqual([...WORKSPACE_PROJECT.closureOfB].sort());
  });
});

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Arborist from '@npmcli/arborist';
import { afterEach, describe, expect, it } from 'vitest';
import { walkTree } from '../../src/walk/index.js';
import { copyFixtureProject, makeTempDir, type LockfileFixture } from '../support/fixture-project.js';
import { WORKSPACE_PROJECT, WORKSPACE_PROJECT_PACKAGES, writeWorkspaceProject } from '../support/workspace-project.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

const INTEGRITY = `sha512-${Buffer.alloc(64, 1).toString('base64')}`;

async function workspaceProject(): Promise<string> {
  const { dir, cleanup } = await makeTempDir();
  cleanups.push(cleanup);
  await writeWorkspaceProject(dir, WORKSPACE_PROJECT_PACKAGES.map((name) => ({ name, version: '1.0.0', integrity: INTEGRITY })));
  return dir;
}

// The locations arborist's own workspace filter keeps (Arborist#workspaceDependencySet, as
// `npm audit signatures -w` uses it), as the walk lists them: a link with its target, not the root.
async function arboristSelection(dir: string, names: string[], includeRoot: boolean): Promise<Set<string>> {
  const arborist = new Arborist({ path: dir });
  const tree = await arborist.loadVirtual();
  const set = arborist.workspaceDependencySet(tree, names, includeRoot);
  const locations = new Set<string>();
  for (const node of tree.inventory.values()) {
    const kept = set.has(node) || (node.isLink && set.has(node.target));
    if (kept && !node.isProjectRoot && !(!node.isLink && node.linksIn.size > 0)) locations.add(node.location);
  }
  return locations;
}

describe('workspace selection', () => {
  it.each<[LockfileFixture, string[], boolean]>([
    ['npm-cli-10.9.0', ['@npmcli/arborist'], false],
    ['npm-cli-10.9.0', ['@npmcli/docs', 'libnpmexec'], true],
    ['socket.io-monorepo', ['engine.io'], false],
    ['socket.io-monorepo', ['socket.io', 'engine.io-client'], true],
  ])('of %s %j (root: %s) keeps what arborist keeps', async (fixture, names, includeRoot) => {
    const { dir, cleanup } = await copyFixtureProject(fixture);
    cleanups.push(cleanup);
    const result = await walkTree(dir, { workspaces: names, includeWorkspaceRoot: includeRoot, cwd: dir });
    const expected = await arboristSelection(dir, names, includeRoot);
    expect(new Set(result.packages.flatMap((p) => p.locations))).toEqual(expected);
    expect(result.workspaces).toEqual({ root: '.', names: [...names].sort(), includeRoot });
  });

  it("reads the root's lockfile from a workspace's folder, keeping that workspace's dependencies", async () => {
    const dir = await workspaceProject();
    const result = await walkTree(join(dir, 'packages/a'));
    expect(result.lockfile).toBe(join('..', '..', 'package-lock.json'));
    expect(result.workspaces).toEqual({ root: join('..', '..'), names: ['a'], includeRoot: false });
    expect(result.packages.map((p) => p.name).sort()).toEqual([...WORKSPACE_PROJECT.closureOfA].sort());
    expect(result.warnings).toEqual([]);
    // The project is in sync: the linear reader reads it whole, as arborist does.
    const linear = await walkTree(dir);
    expect(linear.packages).toEqual((await walkTree(dir, { arboristTree: true })).packages);
    expect(linear.packages.map((p) => p.name).sort()).toEqual(['a', 'b', ...WORKSPACE_PROJECT_PACKAGES].sort());
    expect(linear.warnings).toEqual([]);
  });

  it("warns that a workspace's own lockfile is not what npm installs from", async () => {
    const dir = await workspaceProject();
    await writeFile(join(dir, 'packages/b/package-lock.json'), JSON.stringify({ lockfileVersion: 3, packages: {} }));
    const result = await walkTree(join(dir, 'packages/b'));
    expect(result.packages.map((p) => p.name).sort()).toEqual([...WORKSPACE_PROJECT.closureOfB].sort());
    expect(result.warnings).toHaveLength(1);
  });
});

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

// A registry package of the workspace project, with the integrity its tarball has.
export interface WorkspacePackage {
  name: string;
  version: string;
  integrity: string;
}

// The packages each part of the project depends on, by name (all hoisted to the root's
// node_modules, as npm places them when no two versions clash).
export const WORKSPACE_PROJECT = {
  // The root's own devDependencies.
  root: ['root-tool'],
  // Workspace a: dependencies alpha (which depends on gamma), devDependencies a-dev.
  a: { dependencies: ['alpha'], devDependencies: ['a-dev'] },
  // Workspace b: dependencies beta.
  b: { dependencies: ['beta'], devDependencies: [] as string[] },
  // Dependencies of registry packages.
  transitive: { alpha: ['gamma'] } as Record<string, string[]>,
  // What each selection must read (registry packages and workspaces).
  closureOfA: ['a', 'a-dev', 'alpha', 'gamma'],
  closureOfB: ['b', 'beta'],
} as const;

// The registry packages the project installs.
export const WORKSPACE_PROJECT_PACKAGES = ['alpha', 'gamma', 'a-dev', 'beta', 'root-tool'] as const;

// Writes an npm workspace project (root package.json with workspaces packages/*, packages/a and
// packages/b, and the root's package-lock.json), shaped as `npm install --package-lock-only`
// (npm 11) writes it, so the linear lockfile reader takes it as in sync.
export async function writeWorkspaceProject(dir: string, packages: readonly WorkspacePackage[]): Promise<void> {
  const byName = new Map(packages.map((p) => [p.name, p]));
  const pin = (names: readonly string[]) => Object.fromEntries(names.map((name) => [name, (byName.get(name) as WorkspacePackage).version]));
  const root = { name: 'monorepo', version: '1.0.0', workspaces: ['packages/*'], devDependencies: pin(WORKSPACE_PROJECT.root) };
  const members = {
    a: { name: 'a', version: '1.0.0', dependencies: pin(WORKSPACE_PROJECT.a.dependencies), devDependencies: pin(WORKSPACE_PROJECT.a.devDependencies) },
    b: { name: 'b', version: '1.0.0', dependencies: pin(WORKSPACE_PROJECT.b.dependencies) },
  };
  const dev = new Set(['root-tool', 'a-dev']);
  const entries: Record<string, Record<string, unknown>> = {
    '': root,
    'node_modules/a': { resolved: 'packages/a', link: true },
    'node_modules/b': { resolved: 'packages/b', link: true },
  };
  for (const pkg of [...packages].sort((x, y) => (x.name < y.name ? -1 : 1))) {
    const deps = WORKSPACE_PROJECT.transitive[pkg.name];
    entries[`node_modules/${pkg.name}`] = {
      version: pkg.version,
      integrity: pkg.integrity,
      ...(dev.has(pkg.name) ? { dev: true } : {}),
      ...(deps === undefined ? {} : { dependencies: pin(deps) }),
    };
  }
  entries['packages/a'] = members.a;
  entries['packages/b'] = members.b;
  await writeFile(join(dir, 'package.json'), `${JSON.stringify(root, null, 2)}\n`);
  for (const [folder, pkg] of Object.entries(members)) {
    await mkdir(join(dir, 'packages', folder), { recursive: true });
    await writeFile(join(dir, 'packages', folder, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  }
  const lockfile = { name: root.name, version: root.version, lockfileVersion: 3, requires: true, packages: entries };
  await writeFile(join(dir, 'package-lock.json'), `${JSON.stringify(lockfile, null, 2)}\n`);
}

// npm workspaces: which lockfile a member folder installs from, which workspaces a --workspace
// filter names, and the packages those workspaces depend on.
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { InputError, UsageError } from '../errors.js';
import type { WalkNode } from './walk-node.js';

// npm's workspace root detection (@npmcli/config's local prefix): from a folder with a
// package.json, the nearest folder above whose package.json `workspaces` include it. npm installs
// a member from that root's lockfile (a lockfile in the member itself is ignored).
export async function findWorkspaceRoot(dir: string): Promise<string | undefined> {
  if ((await readPackageJson(dir)) === undefined) return undefined;
  for (let at = dirname(dir); ; at = dirname(at)) {
    const pkg = await readPackageJson(at);
    // As npm: a package.json that cannot be read, or whose workspaces cannot be mapped, is passed over.
    const workspaces = pkg === undefined ? undefined : await mapDiskWorkspaces(at, pkg).catch(() => undefined);
    if (workspaces !== undefined && [...workspaces.values()].some((path) => resolve(path) === dir)) return at;
    if (dirname(at) === at) return undefined;
  }
}

async function readPackageJson(dir: string): Promise<Record<string, unknown> | undefined> {
  const text = await readFile(join(dir, 'package.json'), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const pkg: unknown = JSON.parse(text);
    return typeof pkg === 'object' && pkg !== null && !Array.isArray(pkg) ? (pkg as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

// The workspace names a --workspace filter selects, as npm reads it: a workspace's name, its
// folder, or a folder holding workspaces, paths relative to `from`. A filter that selects none
// is a usage error naming the workspaces there are.
export function selectWorkspaces(filters: readonly string[], workspaces: ReadonlyMap<string, string> | null | undefined, from: string, rootDir: string): string[] {
  const available = [...(workspaces ?? new Map<string, string>())];
  const selected = new Set<string>();
  for (const filter of filters) {
    const folder = resolve(from, filter);
    const matches = available.filter(([name, path]) => name === filter || resolve(path) === folder || dirname(resolve(path)) === folder);
    if (matches.length === 0) {
      const names = available.map(([name]) => name).sort();
      const expected = names.length === 0 ? `a workspace, but ${join(rootDir, 'package.json')} declares none` : `one of the workspaces ${names.join(', ')} (or its folder)`;
      throw new UsageError('INVALID_OPTION', `--workspace ${filter}: expected ${expected}`, {
        field: '--workspace',
        hint: 'Name a workspace of the project, as `npm query .workspace` lists them.',
      });
    }
    for (const [name] of matches) selected.add(name);
  }
  return [...selected].sort();
}

// The nodes npm keeps under a workspace filter (arborist's workspaceDependencySet, as `npm audit
// signatures -w` uses it): the workspaces' folders, every node their dependency edges reach
// (development dependencies included, links with their targets), the extraneous packages below
// them; with the root's own dependencies when `includeRoot`.
export function workspaceDependencySet(nodes: readonly WalkNode[], names: readonly string[], includeRoot: boolean, lockfile: string): Set<WalkNode> {
  const root = nodes.find((node) => node.isProjectRoot);
  const workspaces = root?.workspaces;
  if (root === undefined || !workspaces) return new Set();
  const byLocation = new Map(nodes.map((node) => [node.location, node]));
  const selected = new Set<WalkNode>();
  for (const name of names) {
    const path = workspaces.get(name) as string;
    const location = relativeLocation(root, path);
    const node = location === undefined ? undefined : byLocation.get(location);
    // Security: a workspace the lockfile does not record would select nothing, and an empty
    // selection would pass the gate.
    if (node === undefined) {
      throw new InputError('LOCKFILE_INVALID', `${lockfile}: packages["${location ?? path}"]: expected the entry of workspace ${name}, found none`, {
        file: lockfile,
        hint: 'Regenerate it with `npm install --package-lock-only` and commit it.',
      });
    }
    selected.add(node);
  }
  if (includeRoot) {
    for (const [name, edge] of root.edgesOut) if (!workspaces.has(name) && edge.to !== null) selected.add(edge.to);
  }
  for (const node of selected) {
    for (const edge of node.edgesOut.values()) {
      if (edge.to === null) continue;
      selected.add(edge.to);
      if (edge.to.isLink && edge.to.target) selected.add(edge.to.target);
    }
  }
  for (const node of nodes) if (node.extraneous && node.parent !== null && selected.has(node.parent)) selected.add(node);
  return selected;
}

function relativeLocation(root: WalkNode, path: string): string | undefined {
  for (const base of [root.realpath, root.path]) {
    const location = relative(base, resolve(path));
    if (!location.startsWith('..') && !isAbsolute(location)) return location.split('\\').join('/');
  }
  return undefined;
}

// The workspaces a package.json declares, by @npmcli/map-workspaces. It (and glob and minimatch
// with it) loads only for a package.json with a `workspaces` field: without one it returns an
// empty map, as it reads `workspaces` with a default of none.
export async function mapDiskWorkspaces(cwd: string, pkg: unknown): Promise<Map<string, string>> {
  if (isObject(pkg) && pkg.workspaces === undefined) return new Map();
  const { default: mapWorkspaces } = await import('@npmcli/map-workspaces');
  return await mapWorkspaces({ cwd, pkg: pkg as Record<string, unknown> });
}

// The workspaces a lockfile records, by @npmcli/map-workspaces' virtual reader, which reads the
// root entry's `workspaces` the same way: loaded only when there is such a field.
export async function mapRecordedWorkspaces(cwd: string, lockfile: { packages: Record<string, unknown> }): Promise<Map<string, string>> {
  const root: unknown = isObject(lockfile.packages) ? lockfile.packages[''] || {} : undefined;
  if (isObject(root) && root.workspaces === undefined) return new Map();
  const { default: mapWorkspaces } = await import('@npmcli/map-workspaces');
  return mapWorkspaces.virtual({ cwd, lockfile });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object';
}

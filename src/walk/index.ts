import { isAbsolute, relative, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { PACKAGE_SOURCES, type Inventory, type OmitType, type PackageRef, type PackageSource } from '../types.js';
import { assertPackageJsonParses, assertProjectDir, findLockfile, locateTreeSource, MAX_ARBORIST_ENTRIES, type ReadLockfile, type TreeSource } from './lockfile.js';
import { MAX_LOCKFILE_ENTRIES } from './limits.js';
import { loadLockfileNodes, type LockfileName } from './lockfile-tree.js';
import { classifySource, registryHostOf } from './source.js';
import type { WalkNode } from './walk-node.js';
import { findWorkspaceRoot, selectWorkspaces, workspaceDependencySet } from './workspaces.js';

export { assertLockfileShape, type TreeSource } from './lockfile.js';
export { MAX_LOCKFILE_ENTRIES } from './limits.js';
export { classifySource, isRegistryTarballUrl } from './source.js';
export { findWorkspaceRoot } from './workspaces.js';

export interface WalkOptions {
  omit?: readonly OmitType[];
  // Always build arborist's tree, even for a lockfile the linear reader handles (for the tests
  // that hold the two to the same answer).
  arboristTree?: boolean;
  // Only these workspaces' dependencies (npm's --workspace: names or folders); a member folder
  // as `dir` selects itself.
  workspaces?: readonly string[];
  // With a workspace selection, the root's own dependencies too (npm's --include-workspace-root).
  includeWorkspaceRoot?: boolean;
  // The most lockfile entries read (default MAX_LOCKFILE_ENTRIES).
  maxEntries?: number;
  // Where --workspace paths are relative to when it is inside the workspace root (default: the
  // process's working directory, as npm).
  cwd?: string;
}

export interface WalkResult extends Inventory {
  // How the tree was read; `hidden-lockfile` and `node_modules` mean there was no lockfile.
  treeSource: TreeSource;
  warnings: string[];
  // The first root dependency where package.json and the lockfile differ, when they do (the
  // packages are then the lockfile's record, and a warning says so).
  outOfSync?: string;
  // Distinct packages --omit left out; present only when --omit was given.
  omitted?: number;
  // sha256 of the lockfile's bytes as read and checked; null when the tree came from node_modules.
  lockfileSha256: string | null;
}

// Reads the project's lockfile (never node_modules when a lockfile exists) and returns every
// distinct package of the tree with every location it is installed at. In a workspace member's
// folder, reads the workspace root's lockfile and keeps the member's dependencies, as npm does.
export async function walkTree(dir: string, options: WalkOptions = {}): Promise<WalkResult> {
  const startDir = resolve(dir);
  await assertProjectDir(startDir);
  await assertPackageJsonParses(startDir);
  const memberOf = await findWorkspaceRoot(startDir);
  const projectDir = memberOf ?? startDir;
  if (memberOf !== undefined) await assertPackageJsonParses(projectDir);
  const maxEntries = options.maxEntries ?? MAX_LOCKFILE_ENTRIES;
  const { source: treeSource, lockfile } = await locateTreeSource(projectDir, maxEntries);
  const lockfilePath = resolve(projectDir, treeSource.relPath);
  const { nodes, outOfSync } = await loadTree(projectDir, treeSource, lockfile, options.arboristTree ?? false);
  const omit = new Set(options.omit ?? []);
  const warnings = treeSourceWarnings(treeSource);
  if (outOfSync !== undefined) {
    warnings.push(`package.json is out of sync with ${treeSource.relPath} (${outOfSync}): the packages are read as the lockfile records them, which is what npm ci installs. Run \`npm install\` and commit the lockfile.`);
  }
  const ignored = memberOf === undefined ? undefined : await findLockfile(startDir);
  if (ignored !== undefined) warnings.push(`${ignored} of this workspace is not what npm installs from: npm uses the workspace root's; read ${relative(startDir, lockfilePath)}.`);

  const filters = options.workspaces?.length ? options.workspaces : memberOf !== undefined ? [startDir] : [];
  const includeRoot = filters.length > 0 && (options.includeWorkspaceRoot ?? false);
  let keep: ((node: WalkNode) => boolean) | undefined;
  let selection: Inventory['workspaces'];
  if (filters.length > 0) {
    const root = nodes.find((node) => node.isProjectRoot);
    const cwd = options.cwd ?? process.cwd();
    const from = isInside(projectDir, cwd) ? cwd : projectDir;
    const names = selectWorkspaces(filters, root?.workspaces, from, projectDir);
    const selected = workspaceDependencySet(nodes, names, includeRoot, lockfilePath);
    // A link is kept with its target: the workspace itself is listed as its link.
    keep = (node) => selected.has(node) || (node.isLink && node.target != null && selected.has(node.target));
    selection = { root: relative(startDir, projectDir) || '.', names, includeRoot };
  }

  const byKey = new Map<string, PackageRef>();
  // Counted as distinct packages, as the kept ones are, so that "left out N" adds up.
  const omittedKeys = new Set<string>();
  for (const node of nodes) {
    if (node.isProjectRoot || isRepresentedByLink(node)) continue;
    if (keep !== undefined && !keep(node)) continue;
    const ref = toPackageRef(node, projectDir);
    const key = [ref.name, ref.version, ref.integrity, ref.source, ref.registryHost, ref.source === 'registry' ? '' : ref.resolved].join('\0');
    if (isOmitted(node, omit)) {
      omittedKeys.add(key);
      continue;
    }
    const seen = byKey.get(key);
    byKey.set(key, seen ? mergeRefs(seen, ref) : ref);
  }
  // A package installed both where it is omitted and where it is not is kept, not left out.
  for (const key of byKey.keys()) omittedKeys.delete(key);

  const packages = [...byKey.values()].sort(comparePackages);
  for (const ref of packages) ref.locations.sort();
  return {
    schemaVersion: 1,
    lockfile: relative(startDir, lockfilePath),
    lockfileVersion: treeSource.lockfileVersion,
    lockfileSha256: lockfile?.sha256 ?? null,
    ...(selection === undefined ? {} : { workspaces: selection }),
    treeSource,
    warnings,
    ...(outOfSync === undefined ? {} : { outOfSync }),
    ...(omit.size === 0 ? {} : { omitted: omittedKeys.size }),
    packages,
    counts: countBySource(packages),
  };
}

function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return !rel.startsWith('..') && !isAbsolute(rel);
}

// Every node of the tree: from the lockfile in linear time when it allows (lockfile-tree.ts),
// else from arborist's tree (loadVirtual, or loadActual when there is no lockfile).
async function loadTree(projectDir: string, treeSource: TreeSource, lockfile: ReadLockfile | undefined, arboristTree: boolean): Promise<{ nodes: WalkNode[]; outOfSync?: string }> {
  const fromLockfile = treeSource.kind === 'npm-shrinkwrap.json' || treeSource.kind === 'package-lock.json';
  try {
    const read = fromLockfile && !arboristTree ? await loadLockfileNodes(projectDir, treeSource.kind as LockfileName, lockfile) : undefined;
    if (read !== undefined) return read;
    // Arborist 10 (npm 12) reads package-lock.json only; npm 11 still installs from this file.
    if (treeSource.kind === 'npm-shrinkwrap.json') {
      throw new InputError('LOCKFILE_UNSUPPORTED', `${resolve(projectDir, treeSource.relPath)}: an npm-shrinkwrap.json that only arborist could read (lockfileVersion 1, or a v2/v3 file with an override of a direct dependency or a link without its target); npm 12 no longer reads npm-shrinkwrap.json at all`, {
        file: resolve(projectDir, treeSource.relPath),
        hint: 'Rename it to package-lock.json and run `npm install --package-lock-only`, then commit it.',
      });
    }
    // Security: loadVirtual grows quadratically; past this a hostile lockfile would stall the gate.
    if (fromLockfile && (treeSource.entries ?? 0) > MAX_ARBORIST_ENTRIES) {
      throw new InputError('INPUT_TOO_LARGE', `${resolve(projectDir, treeSource.relPath)}: packages: expected at most ${MAX_ARBORIST_ENTRIES} entries for a lockfile only arborist can read (an override of a direct dependency, a link without its target), got ${treeSource.entries} (INPUT_TOO_LARGE)`, {
        file: resolve(projectDir, treeSource.relPath),
        field: 'packages',
        hint: 'Such a lockfile is read by arborist in quadratic time, whatever --max-entries says; drop the override of the direct dependency (or restore the link target) and regenerate the lockfile.',
      });
    }
    // Loaded only when needed (~0.2 s).
    const { default: Arborist } = await import('@npmcli/arborist');
    const arborist = new Arborist({ path: projectDir });
    const root = fromLockfile ? await arborist.loadVirtual() : await arborist.loadActual();
    return { nodes: [...root.inventory.values()] };
  } catch (cause) {
    if (cause instanceof InputError) throw cause;
    const error = cause as Error;
    throw new InputError('LOCKFILE_INVALID', `${resolve(projectDir, treeSource.relPath)}: cannot be loaded (${error.message.split('\n')[0]})`, {
      file: resolve(projectDir, treeSource.relPath),
      hint: 'Regenerate it with `npm install --package-lock-only` and commit it.',
    }, cause);
  }
}

function treeSourceWarnings(treeSource: TreeSource): string[] {
  switch (treeSource.kind) {
    case 'hidden-lockfile':
      return ['No package-lock.json or npm-shrinkwrap.json: read the tree npm installed (node_modules/.package-lock.json). Commit a lockfile so the gate can run before install.'];
    case 'node_modules':
      return ['No lockfile of any kind: read the packages installed in node_modules. Commit a lockfile so the gate can run before install.'];
    default:
      return [];
  }
}

// A link's target carries the same package as the link; it is reported once, as the link.
function isRepresentedByLink(node: WalkNode): boolean {
  return !node.isLink && node.linksIn.size > 0;
}

// npm's own omit rule (arborist Node#shouldOmit): only for trees whose top is the project or a
// workspace, by the node's dependency flags.
function isOmitted(node: WalkNode, omit: ReadonlySet<OmitType>): boolean {
  if (omit.size === 0) return false;
  const top = node.top;
  if (!top.isProjectRoot && !top.isWorkspace) return false;
  return (
    (node.peer && omit.has('peer')) ||
    (node.dev && omit.has('dev')) ||
    (node.optional && omit.has('optional')) ||
    (node.devOptional && omit.has('optional') && omit.has('dev'))
  );
}

function toPackageRef(node: WalkNode, projectDir: string): PackageRef {
  const source = classifySource(node, projectDir);
  const name = node.packageName ?? node.name;
  const resolved = displayResolved(node, source, projectDir);
  return {
    name,
    version: node.version ?? '',
    integrity: node.integrity ?? null,
    resolved,
    registryHost: source === 'registry' ? registryHostOf(resolved) : null,
    source,
    dev: node.dev,
    optional: node.optional,
    devOptional: node.devOptional,
    peer: node.peer,
    bundled: node.inDepBundle,
    extraneous: node.extraneous,
    hasInstallScript: node.hasInstallScript,
    aliases: node.name !== name && !node.isLink ? [node.name] : [],
    locations: [node.location],
  };
}

// `file:` paths are shown relative to the project so that reports do not depend on where the
// project was checked out.
function displayResolved(node: WalkNode, source: PackageSource, projectDir: string): string | null {
  if (source === 'link' || source === 'workspace' || source === 'directory') {
    return `file:${relative(projectDir, node.isLink ? node.realpath : node.path) || '.'}`;
  }
  const resolved = node.resolved ?? null;
  if (resolved?.startsWith('file:')) {
    const path = resolved.slice('file:'.length);
    return isAbsolute(path) ? `file:${relative(projectDir, path)}` : resolved;
  }
  return resolved;
}

// Flags hold for the package only if they hold at every location: one production install of a
// package makes it a production package, one fetched copy means it must be verified.
function mergeRefs(a: PackageRef, b: PackageRef): PackageRef {
  return {
    ...a,
    dev: a.dev && b.dev,
    optional: a.optional && b.optional,
    devOptional: a.devOptional && b.devOptional,
    peer: a.peer && b.peer,
    bundled: a.bundled && b.bundled,
    extraneous: a.extraneous && b.extraneous,
    // Scripts run wherever the package is installed: one location with them is enough.
    hasInstallScript: a.hasInstallScript || b.hasInstallScript,
    aliases: [...new Set([...a.aliases, ...b.aliases])].sort(),
    locations: [...a.locations, ...b.locations],
  };
}

function comparePackages(a: PackageRef, b: PackageRef): number {
  return compareText(a.name, b.name) || compareText(a.version, b.version) || compareText(a.locations[0] ?? '', b.locations[0] ?? '');
}

// Code-point order, so that output is byte-identical whatever the machine's locale.
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function countBySource(packages: readonly PackageRef[]): Inventory['counts'] {
  const counts = Object.fromEntries([...PACKAGE_SOURCES, 'bundled'].map((key) => [key, 0])) as Inventory['counts'];
  for (const ref of packages) {
    if (ref.bundled) counts.bundled++;
    else counts[ref.source]++;
  }
  return counts;
}

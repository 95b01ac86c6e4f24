// The tree of a lockfile v2/v3 in linear time, from arborist's own lockfile reader (Shrinkwrap).
// Arborist's loadVirtual builds its Node graph in quadratic time: placing each node re-resolves
// every edge of that name across the whole tree (Node#reloadNamedEdges), measured at 33 s for
// 12,700 entries. A lockfile npm wrote in sync with package.json already holds every fact the
// walk reads (dependency flags, bundling, links); this reads them as arborist's loadVirtual
// does, and derives what arborist computes (link targets, workspaces, bundlers, dependents) with
// maps instead of tree walks. A package.json out of sync with the lockfile is read as the lockfile
// records it (and said so). Anything unusual (v1 lockfile, an override of a direct dependency, a
// link without its target) returns undefined, and the caller uses arborist's tree.
// test/walk/lockfile-tree.test.ts checks that both give the same inventory on every fixture.
import { readFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import nameFromFolder from '@npmcli/name-from-folder';
import PackageJson from '@npmcli/package-json';
import npa from 'npm-package-arg';
import semver from 'semver';
import type { ReadLockfile } from './lockfile.js';
import { readResolvedSpec } from './resolved-spec.js';
import { mapDiskWorkspaces, mapRecordedWorkspaces } from './workspaces.js';
import type { WalkNode } from './walk-node.js';

interface LockEntry {
  name?: string;
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  peer?: boolean;
  extraneous?: boolean;
  inBundle?: boolean;
  hasInstallScript?: boolean;
  bundleDependencies?: unknown;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  devDependencies?: Record<string, string>;
  workspaces?: unknown;
  [key: string]: unknown;
}

// Arborist.Shrinkwrap.load, arborist's lockfile reader (exported, but its static load is not in
// the published types).
interface ShrinkwrapLoader {
  load(options: { path: string }): Promise<{ loadedFromDisk: boolean; originalLockfileVersion: number; ancientLockfile: boolean; data: { packages: Record<string, unknown> } }>;
}

type LoadedLockfile = Awaited<ReturnType<ShrinkwrapLoader['load']>>;
export type LockfileName = 'npm-shrinkwrap.json' | 'package-lock.json';

// package-lock.json as arborist's Shrinkwrap.load reads a lockfile npm wrote (plain JSON after a
// byte order mark, lockfile v2 or v3, a packages map): then arborist, and the many libraries it
// loads, are not loaded at all, a third of a warm run's start-up. Anything else (no file, a merge
// conflict arborist resolves, invalid JSON, another lockfile version) is read by arborist itself.
// `read`: the file as already read and parsed (JSON.parse refuses a byte order mark, so its parse
// is the one made here).
async function readPackageLock(projectDir: string, read?: ReadLockfile): Promise<LoadedLockfile> {
  const text = read?.text ?? (await readFile(join(projectDir, 'package-lock.json'), 'utf8').catch(() => undefined));
  const data = text === undefined || hasConflictMarkers(text) ? undefined : (read?.data ?? parseJsonOrUndefined(text.replace(/^\uFEFF/, '')));
  const version = data?.lockfileVersion;
  const packages = data?.packages;
  if ((version === 2 || version === 3) && packages !== null && typeof packages === 'object' && !Array.isArray(packages)) {
    const read = { ...data, lockfileVersion: version, requires: true, packages: packages as Record<string, unknown>, dependencies: data?.dependencies || {} };
    return { loadedFromDisk: true, originalLockfileVersion: version, ancientLockfile: false, data: read };
  }
  const { default: Arborist } = await import('@npmcli/arborist');
  return await (Arborist.Shrinkwrap as unknown as ShrinkwrapLoader).load({ path: projectDir });
}

// The three markers of a merge conflict, which arborist's reader resolves (parse-conflict-json).
function hasConflictMarkers(text: string): boolean {
  return /<{7,}/.test(text) && /={7,}/.test(text) && />{7,}/.test(text);
}

function parseJsonOrUndefined(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

// An npm-shrinkwrap.json, which npm 11 installs from (before package-lock.json) but arborist 10
// no longer reads: the same format, so the same fields read from the file itself.
async function readShrinkwrapFile(projectDir: string, read?: ReadLockfile): Promise<LoadedLockfile> {
  const data = (read?.data ?? JSON.parse((await readFile(join(projectDir, 'npm-shrinkwrap.json'), 'utf8')).replace(/^\uFEFF/, ''))) as { lockfileVersion?: unknown; packages?: unknown };
  const version = typeof data.lockfileVersion === 'number' ? data.lockfileVersion : 1;
  const packages = data.packages !== null && typeof data.packages === 'object' ? (data.packages as Record<string, unknown>) : undefined;
  return { loadedFromDisk: packages !== undefined, originalLockfileVersion: version, ancientLockfile: packages === undefined, data: { ...data, packages: packages ?? {} } };
}

// One lockfile location, with what arborist's Node would say of it.
class LockNode implements WalkNode {
  readonly location: string;
  readonly path: string;
  realpath: string;
  readonly name: string;
  packageName: string;
  version: string;
  readonly integrity: string | null;
  readonly resolved: string | null;
  readonly resolvedIsRemote: boolean;
  isLink = false;
  target: LockNode | null = null;
  isProjectRoot = false;
  isWorkspace = false;
  readonly linksIn = new Set<LockNode>();
  dev: boolean;
  optional: boolean;
  devOptional: boolean;
  peer: boolean;
  extraneous: boolean;
  readonly hasInstallScript: boolean;
  inDepBundle = false;
  // The node whose node_modules folder holds this one (null for tops: the root, folders).
  parent: LockNode | null = null;
  top: LockNode = this;
  readonly edgesIn: Array<{ name: string; spec: string; from: LockNode }> = [];
  readonly edgesOut = new Map<string, { to: LockNode | null }>();
  workspaces: Map<string, string> | null = null;
  entry: LockEntry;

  // `resolvedDir`: projectDir resolved (locationPath appends to it).
  constructor(projectDir: string, resolvedDir: string, location: string, rawEntry: LockEntry) {
    const entry = normalized(rawEntry);
    this.location = location;
    this.path = locationPath(resolvedDir, location);
    this.realpath = this.path;
    this.entry = entry;
    this.name = nameFromFolder(this.path);
    // As Node's constructor and getters read them: empty strings count as absent.
    this.packageName = entry.name || this.name;
    this.version = entry.version || '';
    this.integrity = entry.integrity || null;
    ({ resolved: this.resolved, remote: this.resolvedIsRemote } = readResolvedSpec(entry.resolved, projectDir));
    this.dev = !!entry.dev;
    this.optional = !!entry.optional;
    this.devOptional = !!(entry.devOptional || entry.dev || entry.optional);
    this.peer = !!entry.peer;
    this.extraneous = !!entry.extraneous;
    // As arborist's Node#hasInstallScript reads it.
    const scripts = (entry.scripts ?? {}) as Record<string, unknown>;
    this.hasInstallScript = !!(entry.hasInstallScript || scripts.install || scripts.preinstall || scripts.postinstall);
  }
}

// A lockfile entry as arborist's Node holds it: normalized by @npmcli/package-json (bundled
// dependencies, optional dependencies deduplicated, bin, scripts...).
function normalized(entry: LockEntry): LockEntry {
  // fromContent and syncNormalize are public, but not in the published types.
  const pkg = new PackageJson() as unknown as { fromContent(content: object): void; syncNormalize(): void; content: unknown };
  pkg.fromContent(entry !== null && typeof entry === 'object' ? entry : {});
  pkg.syncNormalize();
  return pkg.content as LockEntry;
}

// The nodes of the lockfile at `projectDir`, read by the linear reader.
export interface LockfileNodes {
  // Root first.
  nodes: WalkNode[];
  // The first root dependency whose package.json entry is not what the lockfile records, when
  // they differ (npm ci refuses such a project); the nodes are then the lockfile's own record.
  outOfSync?: string;
}

// The nodes of the lockfile at `projectDir`, or undefined when arborist's tree must be used instead.
// `read`: that lockfile as locateTreeSource read it.
export async function loadLockfileNodes(projectDir: string, lockfileName: LockfileName = 'package-lock.json', read?: ReadLockfile): Promise<LockfileNodes | undefined> {
  const shrinkwrap = lockfileName === 'npm-shrinkwrap.json' ? await readShrinkwrapFile(projectDir, read) : await readPackageLock(projectDir, read);
  if (!shrinkwrap.loadedFromDisk || !(shrinkwrap.originalLockfileVersion >= 2) || shrinkwrap.ancientLockfile) return undefined;
  const packages = shrinkwrap.data.packages as Record<string, LockEntry>;
  const lockRoot = packages[''] ?? {};
  const packageJson = await PackageJson.normalize(projectDir).then((p) => p.content as LockEntry).catch(() => lockRoot);
  const onDisk = await mapDiskWorkspaces(projectDir, packageJson);
  const recorded = await mapRecordedWorkspaces(projectDir, shrinkwrap.data);
  const mismatch = rootEdgeMismatch(packageJson, onDisk, lockRoot, recorded, packages);
  if (mismatch === LEFT_TO_ARBORIST) return undefined;
  // Out of sync, arborist would recompute every dependency flag from package.json in quadratic
  // time (calcDepFlags); the lockfile is what npm ci installs, so its own record is read instead.
  const [rootPackage, workspaces] = mismatch === undefined ? [packageJson, onDisk] : [lockRoot, recorded];

  const resolvedDir = resolve(projectDir);
  const root = new LockNode(projectDir, resolvedDir, '', rootPackage);
  root.isProjectRoot = true;
  root.workspaces = workspaces.size > 0 ? workspaces : null;
  const nodes = new Map<string, LockNode>([['', root]]);
  for (const [location, entry] of Object.entries(packages)) if (location !== '') nodes.set(location, new LockNode(projectDir, resolvedDir, location, entry));
  const tree = (await linkTargets(projectDir, nodes)) && placeInParents(nodes, root);
  if (!tree) return undefined;
  if (!resolveEdges(nodes, root, tree)) return undefined;
  markWorkspaces(workspaces, tree);
  markDependencyBundles(nodes, root);
  return { nodes: [...nodes.values()], ...(mismatch === undefined ? {} : { outOfSync: mismatch }) };
}

// Points each link at its target, as loadVirtual's #resolveLinks does (a target outside
// node_modules is read from disk: the user may have changed it); false when a target is missing.
async function linkTargets(projectDir: string, nodes: Map<string, LockNode>): Promise<boolean> {
  const links = [...nodes.values()].filter((node) => node.entry.link === true);
  for (const link of links) {
    const targetLocation = relativeLocation(projectDir, resolve(projectDir, link.entry.resolved ?? ''));
    const target = targetLocation === undefined ? undefined : nodes.get(targetLocation);
    if (target === undefined || target === link || target.entry.link === true) return false;
    link.isLink = true;
    link.target = target;
    link.realpath = target.path;
    target.linksIn.add(link);
    if (!target.location.split('/').includes('node_modules')) {
      const content = await PackageJson.normalize(target.path).then((p) => p.content as LockEntry).catch(() => undefined);
      if (content !== undefined) {
        target.entry = content;
        target.packageName = content.name || target.name;
        target.version = content.version || '';
      }
    }
  }
  // A link is its target's package, with its target's flags.
  for (const link of links) {
    const target = link.target as LockNode;
    Object.assign(link, {
      packageName: target.packageName,
      version: target.version,
      entry: target.entry,
      dev: target.dev,
      optional: target.optional,
      devOptional: target.devOptional,
      peer: target.peer,
      extraneous: target.extraneous,
    });
  }
  return true;
}

// Each node's parent (the node whose node_modules holds it) and top; the children of each
// parent by lower-cased name (arborist's maps are case-insensitive). Undefined when a parent is
// missing or is a link (arborist then looks further up; such a tree is left to it).
function placeInParents(nodes: Map<string, LockNode>, root: LockNode): Map<string, Map<string, LockNode>> | undefined {
  const children = new Map<string, Map<string, LockNode>>();
  for (const node of nodes.values()) {
    if (node === root) continue;
    const parentLocation = parentLocationOf(node.location);
    if (parentLocation === undefined) continue;
    const parent = nodes.get(parentLocation);
    if (parent === undefined || parent.isLink) return undefined;
    node.parent = parent;
    let named = children.get(parent.location);
    if (named === undefined) children.set(parent.location, (named = new Map()));
    named.set(node.name.toLowerCase(), node);
  }
  for (const node of nodes.values()) node.top = topOf(node);
  return children;
}

// Every dependency edge, resolved as Node#resolve does: the nearest node_modules up the parents,
// then the project root's (a top outside node_modules resolves from there). False when a spec
// is not a string: arborist refuses such a lockfile, and says so.
function resolveEdges(nodes: Map<string, LockNode>, root: LockNode, children: Map<string, Map<string, LockNode>>): boolean {
  const resolveFrom = (from: LockNode, name: string): LockNode | undefined => {
    const key = name.toLowerCase();
    for (let at: LockNode | null = from; at !== null; at = at.parent ?? (at === root ? null : root)) {
      const found = children.get(at.location)?.get(key);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  for (const from of nodes.values()) {
    if (from.isLink) continue;
    for (const [name, spec] of dependenciesOf(from)) {
      if (typeof spec !== 'string') return false;
      const to = resolveFrom(from, name) ?? null;
      to?.edgesIn.push({ name, spec, from });
      from.edgesOut.set(name, { to });
    }
  }
  return true;
}

// Node#isWorkspace: the root's workspace edge of that name reaches the node (or the link to it).
function markWorkspaces(workspaces: Map<string, string>, children: Map<string, Map<string, LockNode>>): void {
  for (const [name] of workspaces) {
    const to = children.get('')?.get(name.toLowerCase());
    if (to === undefined) continue;
    for (const node of to.isLink && to.target ? [to, to.target] : [to]) if (node.packageName === name) node.isWorkspace = true;
  }
}

// Node#inDepBundle: bundled by a package other than the project root.
function markDependencyBundles(nodes: Map<string, LockNode>, root: LockNode): void {
  // Only a bundleDependencies list names a bundler (findBundler): without one, nothing is in a
  // bundle, and the search is skipped (~5 ms of a warm run on 1,700 entries).
  if (!hasBundleList(nodes)) return;
  const bundlers = new Map<LockNode, LockNode | null>();
  const bundlerOf = (node: LockNode): LockNode | null => {
    if (bundlers.has(node)) return bundlers.get(node) ?? null;
    bundlers.set(node, null); // a cycle of dependents bundles nothing
    const found = findBundler(node, bundlerOf);
    bundlers.set(node, found);
    return found;
  };
  for (const node of nodes.values()) {
    const bundler = bundlerOf(node);
    node.inDepBundle = bundler !== null && bundler !== root;
  }
}

function hasBundleList(nodes: Map<string, LockNode>): boolean {
  for (const node of nodes.values()) {
    const bundled = node.entry.bundleDependencies;
    if (Array.isArray(bundled) && bundled.length > 0) return true;
  }
  return false;
}

// Node#getBundler: the parent that bundles the node (explicitly, or as a dependency of something
// it bundles); a node inside a bundled node's folder belongs to that node's bundler.
function findBundler(node: LockNode, bundlerOf: (node: LockNode) => LockNode | null): LockNode | null {
  const parent = node.parent;
  if (parent === null) return null;
  const inherited = bundlerOf(parent);
  if (inherited !== null) return inherited;
  const bundled = parent.entry.bundleDependencies;
  if (Array.isArray(bundled) && bundled.includes(node.name)) return parent;
  for (const edge of node.edgesIn) if (bundlerOf(edge.from) === parent) return parent;
  return null;
}

// The node's dependency specs, as Node#loadDeps reads them (devDependencies only for tops).
function dependenciesOf(node: LockNode): Array<[string, unknown]> {
  const entry = node.entry;
  const deps = new Map<string, unknown>();
  for (const part of [entry.peerDependencies, entry.dependencies, entry.optionalDependencies]) {
    for (const [name, spec] of Object.entries(part ?? {})) deps.set(name, spec);
  }
  if (node.parent === null) for (const [name, spec] of Object.entries(entry.devDependencies ?? {})) if (!deps.has(name)) deps.set(name, spec);
  return [...deps];
}

type DepType = 'prod' | 'dev' | 'optional' | 'peer' | 'peerOptional' | 'workspace';

const DEP_FIELDS: Record<DepType, string> = {
  prod: 'dependencies',
  dev: 'devDependencies',
  optional: 'optionalDependencies',
  peer: 'peerDependencies',
  peerOptional: 'peerDependencies (optional)',
  workspace: 'workspaces',
};

// Roots left to arborist: an override naming a direct dependency (it changes the edge's spec),
// or a root whose workspaces differ from the lockfile's (a root depending on its own workspace,
// a workspace folder missing): arborist recomputes every flag then, as npm does.
const LEFT_TO_ARBORIST = Symbol('left to arborist');

interface RootEdge {
  type: DepType;
  spec: string;
}

// Arborist's #checkRootEdges: the root's dependency edges (package.json and the workspaces on
// disk) must be what the lockfile's root entry recorded, type and spec. Returns undefined when
// all are, else the difference to warn about: the first that makes npm ci refuse the project,
// else the first.
function rootEdgeMismatch(pkg: LockEntry, workspaces: Map<string, string>, lockRoot: LockEntry, recorded: Map<string, string>, packages: Record<string, LockEntry>): string | typeof LEFT_TO_ARBORIST | undefined {
  const edges = new Map<string, RootEdge>();
  for (const [name, path] of workspaces) edges.set(name, { type: 'workspace', spec: `file:${path}` });
  for (const [type, deps] of byType(pkg)) {
    for (const [name, spec] of Object.entries(deps)) if (edges.get(name)?.type !== 'workspace') edges.set(name, { type, spec: String(spec) });
  }
  const overrides = pkg.overrides;
  if (overrides !== null && typeof overrides === 'object' && Object.keys(overrides).some((name) => edges.has(name))) return LEFT_TO_ARBORIST;
  const lock = new Map(byType(lockRoot, true));
  lock.set('workspace', Object.fromEntries([...recorded].map(([name, path]) => [name, `file:${path}`])));
  if (edgesMatch(edges, lock)) return undefined;

  const locked = new Map<string, RootEdge>();
  for (const [type, deps] of lock) for (const [name, spec] of Object.entries(deps)) locked.set(name, { type, spec: String(spec) });
  const differences: Array<{ name: string; wanted?: RootEdge; recorded?: RootEdge }> = [];
  for (const name of new Set([...edges.keys(), ...locked.keys()])) {
    const [wanted, record] = [edges.get(name), locked.get(name)];
    if (wanted?.type !== record?.type || wanted?.spec !== record?.spec) differences.push({ name, ...(wanted && { wanted }), ...(record && { recorded: record }) });
  }
  // A name recorded under two types (arborist's check fails it, npm ci does not): left to arborist.
  if (differences.length === 0) return LEFT_TO_ARBORIST;
  if (differences.every((d) => d.wanted?.type === 'workspace' || d.recorded?.type === 'workspace')) return LEFT_TO_ARBORIST;
  const real = differences.filter((d) => d.wanted?.type !== 'workspace' && d.recorded?.type !== 'workspace');
  const refused = real.find((d) => d.wanted !== undefined && npmCiRefuses(d.name, d.wanted.spec, packages[`node_modules/${d.name}`]));
  const { name, wanted, recorded: record } = refused ?? (real[0] as (typeof real)[number]);
  const has = wanted === undefined ? 'does not list it' : `has ${DEP_FIELDS[wanted.type]} ${wanted.spec}`;
  const records = record === undefined ? 'does not record it' : `records ${DEP_FIELDS[record.type]} ${record.spec}`;
  const installed = packages[`node_modules/${name}`]?.version;
  const holds = refused === undefined ? '' : installed === undefined ? ', and installs no such package' : `, and installs ${name}@${installed}`;
  return `${refused === undefined ? '' : 'npm ci would refuse this project: '}"${name}": package.json ${has}, the lockfile ${records}${holds}`;
}

// #checkRootEdges itself: every edge the lockfile records, by type, is package.json's, and no more.
function edgesMatch(edges: Map<string, RootEdge>, lock: Map<DepType, Record<string, string>>): boolean {
  const unaccounted = new Set(edges.keys());
  for (const type of ['dev', 'optional', 'peer', 'peerOptional', 'prod', 'workspace'] as const) {
    for (const [name, spec] of Object.entries(lock.get(type) ?? {})) {
      const edge = edges.get(name);
      if (edge === undefined || edge.type !== type || edge.spec !== String(spec)) return false;
      unaccounted.delete(name);
    }
  }
  return unaccounted.size === 0;
}

// Whether npm ci refuses a lockfile whose root install of `name` does not satisfy package.json's
// spec (missing, or a version outside the range). Specs it cannot judge here (tags, git, files)
// count as accepted.
function npmCiRefuses(name: string, spec: string, installed: LockEntry | undefined): boolean {
  if (installed === undefined) return true;
  let parsed: npa.Result;
  try {
    parsed = npa.resolve(name, spec, '/');
  } catch {
    return false;
  }
  const range = parsed.type === 'alias' ? (parsed as npa.Result & { subSpec?: npa.Result }).subSpec : parsed;
  if (range === undefined || (range.type !== 'range' && range.type !== 'version') || typeof installed.version !== 'string') return false;
  return !semver.satisfies(installed.version, range.fetchSpec ?? '*', { loose: true });
}

// A package's dependencies by edge type, in Node#loadDeps order (a later type replaces an
// earlier one of the same name). `asLocked`: the lockfile's reading, where an optional
// dependency is not also a production one.
function byType(pkg: LockEntry, asLocked = false): Array<[DepType, Record<string, string>]> {
  const peer: Record<string, string> = {};
  const peerOptional: Record<string, string> = {};
  for (const [name, spec] of Object.entries(pkg.peerDependencies ?? {})) {
    if (pkg.peerDependenciesMeta?.[name]?.optional) peerOptional[name] = spec;
    else peer[name] = spec;
  }
  const prod = { ...(pkg.dependencies ?? {}) };
  if (asLocked) for (const name of Object.keys(pkg.optionalDependencies ?? {})) delete prod[name];
  return [
    ['peer', peer],
    ['peerOptional', peerOptional],
    ['prod', prod],
    ['optional', { ...(pkg.optionalDependencies ?? {}) }],
    ['dev', { ...(pkg.devDependencies ?? {}) }],
  ];
}

// `a/node_modules/b` → `a`; `node_modules/b` → ''; a folder outside node_modules has no parent.
function parentLocationOf(location: string): string | undefined {
  const last = location.lastIndexOf('/node_modules/');
  if (last >= 0) return location.slice(0, last);
  return location.startsWith('node_modules/') ? '' : undefined;
}

// resolve(projectDir, location) for a resolved projectDir: a plain location (relative, without an
// empty, `.` or `..` segment) is appended as it is, without resolve's normalising (~5 ms of a
// warm run on 1,700 entries); any other location (the lockfile is untrusted) goes through resolve.
export function locationPath(projectDir: string, location: string): string {
  if (sep !== '/' || location === '' || location.startsWith('/') || location.endsWith('/') || location.includes('//') || DOT_SEGMENT.test(location)) return resolve(projectDir, location);
  return projectDir === '/' ? `/${location}` : `${projectDir}/${location}`;
}

const DOT_SEGMENT = /(?:^|\/)\.\.?(?:\/|$)/;

function topOf(node: LockNode): LockNode {
  let top = node;
  while (top.parent !== null) top = top.parent;
  return top;
}

function relativeLocation(projectDir: string, path: string): string | undefined {
  const base = resolve(projectDir);
  if (path === base) return '';
  if (!path.startsWith(`${base}/`)) return undefined;
  return path.slice(base.length + 1);
}

// An independent reading of a lockfile, written from npm's lockfile documentation without
// arborist: the set of `name@version` that npm downloads from a registry on its own. The walker is
// tested against it, so the two must agree exactly.

type Entry = Record<string, unknown>;

export function expectedRegistryPackages(lockfile: Entry): Set<string> {
  const version = lockfile.lockfileVersion;
  return version === 1
    ? fromLegacyDependencies(lockfile.dependencies as Record<string, Entry> | undefined)
    : fromPackages(lockfile.packages as Record<string, Entry>);
}

function fromPackages(packages: Record<string, Entry>): Set<string> {
  const out = new Set<string>();
  for (const [location, entry] of Object.entries(packages)) {
    if (location === '' || entry.link === true) continue;
    // Workspace folders and local directories are not under node_modules.
    if (!location.split('/').includes('node_modules')) continue;
    if (isInsideDependencyBundle(location, packages)) continue;
    if (!isRegistryResolved(entry.resolved)) continue;
    const name = typeof entry.name === 'string' ? entry.name : location.slice(location.lastIndexOf('node_modules/') + 'node_modules/'.length);
    out.add(`${name}@${String(entry.version)}`);
  }
  return out;
}

// Locations in the project's own bundle: its bundleDependencies and everything they require,
// resolved the way Node resolves (own node_modules, then each ancestor's). npm fetches these from
// the registry; they only get packed into the project's own tarball.
export function rootBundleClosure(packages: Record<string, Entry>): string[] {
  const seen = new Set<string>();
  const queue = ((packages['']?.bundleDependencies as string[] | undefined) ?? []).map((name) => resolveFrom('', name, packages));
  while (queue.length > 0) {
    const location = queue.pop();
    if (location === undefined || location === null || seen.has(location)) continue;
    seen.add(location);
    const entry = packages[location] ?? {};
    const requires = { ...(entry.dependencies as object | undefined), ...(entry.optionalDependencies as object | undefined) };
    for (const name of Object.keys(requires)) queue.push(resolveFrom(location, name, packages));
  }
  return [...seen];
}

function resolveFrom(location: string, name: string, packages: Record<string, Entry>): string | null {
  let base = location;
  for (;;) {
    const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (base === '') return null;
    base = parentLocation(base);
  }
}

// An inBundle entry belongs to the tarball of its nearest ancestor that is not itself inBundle;
// when that ancestor is the project root, npm fetches the entry from the registry like any other.
function isInsideDependencyBundle(location: string, packages: Record<string, Entry>): boolean {
  if (packages[location]?.inBundle !== true) return false;
  let parent = parentLocation(location);
  while (parent !== '' && packages[parent]?.inBundle === true) parent = parentLocation(parent);
  return parent !== '';
}

function parentLocation(location: string): string {
  const match = /^(.*)\/node_modules\/(?:@[^/]+\/)?[^/]+$/.exec(location);
  return match?.[1] ?? '';
}

// No `resolved` (npm omits it, npm 6 wrote `false`): fetched by name and version from the registry.
function isRegistryResolved(resolved: unknown): boolean {
  if (resolved === undefined || resolved === null || resolved === false || resolved === '') return true;
  if (typeof resolved !== 'string' || !/^https?:\/\//.test(resolved)) return false;
  return new URL(resolved).pathname.includes('/-/');
}

function fromLegacyDependencies(dependencies: Record<string, Entry> | undefined, out = new Set<string>()): Set<string> {
  for (const [key, entry] of Object.entries(dependencies ?? {})) {
    if (entry.bundled !== true) {
      let name = key;
      let version = String(entry.version);
      if (version.startsWith('npm:')) {
        const at = version.lastIndexOf('@');
        name = version.slice('npm:'.length, at);
        version = version.slice(at + 1);
      }
      if (/^\d+\.\d+\.\d+/.test(version) && isRegistryResolved(entry.resolved)) out.add(`${name}@${version}`);
    }
    fromLegacyDependencies(entry.dependencies as Record<string, Entry> | undefined, out);
  }
  return out;
}

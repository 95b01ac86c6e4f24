import npa from 'npm-package-arg';

// Why npm would refuse this package name (npm-package-arg's rule, which every npm command applies:
// validate-npm-package-name's rules for existing packages), or undefined when npm accepts it. A
// lockfile can still hold such a name (arborist reads it), so the gate must judge it, not trip.
// The empty spec (npm's "any version") gives the same verdict and reasons as `*` for every name,
// at a third of the cost: `*` is parsed as a semver range first (~20 µs a package on a warm run).
export function getPackageNameProblem(name: string): string | undefined {
  try {
    npa.resolve(name, '');
    return undefined;
  } catch (error) {
    // `Invalid package name "x" of package "x@*": REASONS.`: the reasons alone.
    const message = (error as Error).message;
    return message.slice(message.lastIndexOf('": ') + 3).replace(/\.$/, '');
  }
}

// The registry path of a package name, `/name` or `/@scope%2fname` as npm requests it (a
// registry or proxy may route only that spelling); every other character is percent-encoded, so
// no name can reach another path of the registry.
export function toRegistryPath(name: string): string {
  const path = name.split('/').map(encodeURIComponent).join('%2f');
  return name.startsWith('@') ? `/@${path.slice('%40'.length)}` : `/${path}`;
}

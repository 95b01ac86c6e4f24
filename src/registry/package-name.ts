import npa from 'npm-package-arg';

// npa.Result's constructor, exported by npm-package-arg (its published types declare none).
const NamedResult = npa.Result as unknown as new (options: { name: string; rawSpec: string }) => npa.Result;

// Why npm would refuse this package name (npm-package-arg's rule, which every npm command applies:
// validate-npm-package-name's rules for existing packages), or undefined when npm accepts it. A
// lockfile can still hold such a name (arborist reads it), so the gate must judge it, not trip.
// npm-package-arg judges the name when its Result is given one, before any spec is parsed (an
// empty name is never judged, as in npa.resolve); building the Result alone gives the same verdict
// and reasons as `npa.resolve(name, '*')` without parsing a spec (hosted-git-info, a semver
// range): a tenth of the cost, ~15 µs a package on a warm run.
// The walk (classifying a registry URL) and the check (before fetching) judge the same names: the
// verdict, which depends on the name alone, is remembered (~5 ms of a warm run on 1,700 packages).
export function getPackageNameProblem(name: string): string | undefined {
  const known = verdicts.get(name);
  if (known !== undefined) return known === ACCEPTED ? undefined : known;
  const problem = judgeName(name);
  if (verdicts.size >= MAX_VERDICTS) verdicts.clear();
  verdicts.set(name, problem ?? ACCEPTED);
  return problem;
}

// Names judged so far (a run holds at most --max-entries names; a process checking many projects
// starts over past this).
const MAX_VERDICTS = 100_000;
const ACCEPTED = Symbol('accepted');
const verdicts = new Map<string, string | typeof ACCEPTED>();

// Names validate-npm-package-name accepts for existing packages at first sight: lower case, URL
// characters only (scope too), each part starting with a letter or a digit, and neither of its
// two excluded names. Most names of a lockfile; npm-package-arg judges every other one.
const PLAINLY_VALID = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;
const EXCLUDED_NAMES = new Set(['node_modules', 'favicon.ico']);

function judgeName(name: string): string | undefined {
  if (PLAINLY_VALID.test(name) && !EXCLUDED_NAMES.has(name)) return undefined;
  try {
    new NamedResult({ name, rawSpec: '' });
    return undefined;
  } catch (error) {
    // `Invalid package name "x" of package "x@": REASONS.`: the reasons alone.
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

// Glob and literal to regular-expression translation. Only `*` is a wildcard: no `?`, classes,
// braces or negation, so a policy means what it says. Every pattern built here is `^…$`-anchored.

const SPECIAL = /[\\^$.*+?()[\]{}|]/g;

// Escapes every character a regular expression would read as syntax.
export function escapeRegExp(literal: string): string {
  return literal.replace(SPECIAL, '\\$&');
}

// A package-name glob: `*` matches within one name segment (never `/`), so `@scope/*` stays in
// its scope; `*` alone matches every package, scoped or not.
export function packageGlobPattern(glob: string): string {
  if (glob === '*') return '^.*$';
  return `^${glob.split('*').map(escapeRegExp).join('[^/]*')}$`;
}

// A git ref glob (`refs/tags/v*`): `*` matches any characters but `@`, the separator of a
// workflow URI and its ref, so a ref pattern cannot reach back into the workflow path.
export function refGlobPattern(ref: string): string {
  return ref.split('*').map(escapeRegExp).join('[^@]*');
}

// A Build Signer URI: literal up to its last `@`, the ref after it a ref glob; without `@`, any
// ref of that workflow.
export function builderPattern(uri: string): string {
  const at = uri.lastIndexOf('@');
  return at < 0 ? `^${escapeRegExp(uri)}@[^@]*$` : `^${escapeRegExp(uri.slice(0, at))}@${refGlobPattern(uri.slice(at + 1))}$`;
}

// Whether a regular expression can only match a whole string: every top-level alternative
// starts with `^` and ends with an unescaped `$` (`^a|b$` is `(^a)|(b$)`: anchored at one end each).
export function isAnchored(source: string): boolean {
  return topLevelAlternatives(source).every((alt) => alt.startsWith('^') && alt.endsWith('$') && !escapesLast(alt));
}

function topLevelAlternatives(source: string): string[] {
  const alternatives: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let i = 0; i < source.length; i += 1) {
    const c = source[i];
    if (c === '\\') i += 1;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth += 1;
    else if (c === ')') depth -= 1;
    else if (c === '|' && depth === 0) {
      alternatives.push(source.slice(start, i));
      start = i + 1;
    }
  }
  alternatives.push(source.slice(start));
  return alternatives;
}

// Whether the last character is escaped (an odd run of backslashes before it).
function escapesLast(source: string): boolean {
  let backslashes = 0;
  for (let i = source.length - 2; i >= 0 && source[i] === '\\'; i -= 1) backslashes += 1;
  return backslashes % 2 === 1;
}

// The compiled regular expression of a policy pattern, compiled once per run: policies are
// matched against every package, and building the same RegExp anew for each cost ~10 µs a time.
// Never global or sticky (no flags), so one instance tests any number of strings independently.
export function patternRegExp(source: string): RegExp {
  let compiled = COMPILED.get(source);
  if (compiled === undefined) {
    compiled = new RegExp(source);
    COMPILED.set(source, compiled);
  }
  return compiled;
}

const COMPILED = new Map<string, RegExp>();

// Compiles a regular expression source; the error message when it does not compile.
export function regExpError(source: string): string | undefined {
  try {
    new RegExp(source);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

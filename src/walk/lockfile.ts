import { readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import semver from 'semver';
import { sha256Hex } from '../canonical-json.js';
import { toDisplayValue } from '../display-value.js';
import { InputError } from '../errors.js';
import { MAX_LOCKFILE_ENTRIES } from './limits.js';

// Where the tree comes from: a lockfile the project commits, or (only when there is none) what
// npm left in node_modules.
export type TreeSourceKind = 'npm-shrinkwrap.json' | 'package-lock.json' | 'hidden-lockfile' | 'node_modules';

export interface TreeSource {
  kind: TreeSourceKind;
  // Relative to the project directory, as printed in reports.
  relPath: string;
  lockfileVersion: number | null;
  // How many packages the lockfile lists; null when the tree is read from node_modules.
  entries: number | null;
}

const REGENERATE_HINT = 'Regenerate it with `npm install --package-lock-only` and commit it.';
const SUPPORTED_VERSIONS = [1, 2, 3];

// The most entries of a lockfile that only arborist's loadVirtual can read (lockfileVersion 1, an
// override of a direct dependency), whatever --max-entries says: it grows quadratically
// (measured: 10,000 entries 21 s, 20,000 112 s), so a larger one would stall the gate.
export const MAX_ARBORIST_ENTRIES = 20_000;
// The deepest nesting of a lockfile v1 `dependencies` tree (real ones nest a few dozen levels).
export const MAX_LOCKFILE_DEPTH = 1_000;

// Checks that the project directory exists and is a directory.
export async function assertProjectDir(dir: string): Promise<void> {
  const info = await stat(dir).catch(() => null);
  if (info?.isFile()) {
    throw new InputError('PROJECT_DIR_MISSING', `${dir}: expected a project directory (or its package-lock.json or npm-shrinkwrap.json), got another file`, {
      file: dir,
      hint: 'Pass the directory that holds package.json and package-lock.json, or the lockfile itself.',
    });
  }
  if (!info || !info.isDirectory()) {
    throw new InputError('PROJECT_DIR_MISSING', `${dir}: no such directory`, {
      file: dir,
      hint: 'Pass the directory that holds package.json and package-lock.json.',
    });
  }
}

// Checks that package.json, when present, parses: arborist falls back to the lockfile's copy of
// the root silently, and npm would refuse to install from this project anyway.
export async function assertPackageJsonParses(dir: string): Promise<void> {
  const path = join(dir, 'package.json');
  const text = await readFile(path, 'utf8').catch(() => null);
  if (text === null) return;
  try {
    JSON.parse(text);
  } catch (cause) {
    throw new InputError('PACKAGE_JSON_UNPARSEABLE', `${path}: not valid JSON (${(cause as Error).message})`, {
      file: path,
      hint: 'Fix the JSON syntax of package.json.',
    }, cause);
  }
}

// The lockfile npm would install from in `dir`, if any (npm-shrinkwrap.json first, as npm 11 reads them).
export async function findLockfile(dir: string): Promise<'npm-shrinkwrap.json' | 'package-lock.json' | undefined> {
  for (const name of ['npm-shrinkwrap.json', 'package-lock.json'] as const) if (await isFile(join(dir, name))) return name;
  return undefined;
}

// A lockfile's text and its parse, as the shape check read them, and the sha256 of the bytes read.
export interface ReadLockfile {
  text: string;
  data: Record<string, unknown>;
  sha256: string;
}

// Finds the file npm itself would install from, in npm's order of precedence, and checks its
// shape (at most `maxEntries` entries). Returns the lockfile as read and checked (none for
// node_modules): the tree is read from that parse, not a second one (~10 ms of a warm run on a
// 1.7 MB lockfile), so it is the very text that was checked.
export async function locateTreeSource(dir: string, maxEntries = MAX_LOCKFILE_ENTRIES): Promise<{ source: TreeSource; lockfile?: ReadLockfile }> {
  const name = await findLockfile(dir);
  if (name === 'npm-shrinkwrap.json' && (await isFile(join(dir, 'package-lock.json')))) {
    // npm 11 installs from npm-shrinkwrap.json, npm 12 ignores it and installs package-lock.json:
    // checking either one would let the other, unchecked, be what some npm installs.
    const path = join(dir, 'npm-shrinkwrap.json');
    throw new InputError('LOCKFILE_UNSUPPORTED', `${path}: beside a package-lock.json (npm 11 installs from npm-shrinkwrap.json, npm 12 from package-lock.json; expected one lockfile)`, {
      file: path,
      hint: 'Keep one lockfile: delete npm-shrinkwrap.json (npm 12 no longer reads it), or package-lock.json.',
    });
  }
  if (name !== undefined) {
    const path = join(dir, name);
    await assertInsideProject(dir, path);
    const { lockfile, ...shape } = await readLockfileShape(path, name, maxEntries);
    return { source: { kind: name, relPath: name, ...shape }, lockfile };
  }
  await assertNoOtherLockfile(dir);
  const hidden = join('node_modules', '.package-lock.json');
  if (await isFile(join(dir, hidden))) {
    const { lockfile, ...shape } = await readLockfileShape(join(dir, hidden), hidden, maxEntries);
    return { source: { kind: 'hidden-lockfile', relPath: hidden, ...shape }, lockfile };
  }
  if (await isDirectory(join(dir, 'node_modules'))) {
    return { source: { kind: 'node_modules', relPath: 'node_modules', lockfileVersion: null, entries: null } };
  }
  throw new InputError('NO_LOCKFILE', `${join(dir, 'package-lock.json')}: not found (nor npm-shrinkwrap.json, nor node_modules)`, {
    file: join(dir, 'package-lock.json'),
    hint: 'Create one first with `npm install --package-lock-only`.',
  });
}

// The lockfiles of other package managers, which verify-deps does not read (yet).
const OTHER_LOCKFILES = [
  { file: 'yarn.lock', manager: 'yarn' },
  { file: 'pnpm-lock.yaml', manager: 'pnpm' },
  { file: 'bun.lock', manager: 'bun' },
  { file: 'bun.lockb', manager: 'bun' },
] as const;

// Another package manager's lockfile is what pins this project: reading node_modules instead,
// or saying there is no lockfile at all, would judge something other than what it installs.
async function assertNoOtherLockfile(dir: string): Promise<void> {
  for (const { file, manager } of OTHER_LOCKFILES) {
    const path = join(dir, file);
    if (!(await isFile(path))) continue;
    throw new InputError('LOCKFILE_UNSUPPORTED', `${path}: a ${manager} lockfile, not supported yet (expected package-lock.json or npm-shrinkwrap.json)`, {
      file: path,
      hint: `verify-deps reads npm lockfiles only. For a one-off gate, write one beside it with \`npm install --package-lock-only\` (it resolves package.json again: versions may differ from ${file}'s).`,
    });
  }
}

// A lockfile symlinked from elsewhere would let whoever controls that file decide what the gate
// checks, while the project's own file looks reviewed: the real file must be inside the project.
async function assertInsideProject(dir: string, path: string): Promise<void> {
  const [root, target] = await Promise.all([realpath(dir), realpath(path)]);
  const rel = relative(root, target);
  if (rel.startsWith('..') || isAbsolute(rel)) {
    throw new InputError('LOCKFILE_OUTSIDE_PROJECT', `${path}: a symlink to ${target}, outside the project`, {
      file: path,
      hint: 'Commit the lockfile itself in the project directory.',
    });
  }
}

// Parses and shape-checks a lockfile, because arborist silently treats a broken one as empty,
// and an empty tree would pass the gate.
async function readLockfileShape(path: string, relPath: string, maxEntries: number): Promise<{ lockfileVersion: number; entries: number; lockfile: ReadLockfile }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    throw new InputError('LOCKFILE_UNREADABLE', `${path}: cannot be read (${(cause as NodeJS.ErrnoException).code ?? String(cause)})`, { file: path }, cause);
  }
  const text = bytes.toString('utf8');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw new InputError('LOCKFILE_UNPARSEABLE', `${path}: not valid JSON (${(cause as Error).message})`, {
      file: path,
      hint: REGENERATE_HINT,
    }, cause);
  }
  const lockfileVersion = assertLockfileShape(data, path, relPath, maxEntries);
  const packages = (data as { packages?: unknown }).packages;
  return { lockfileVersion, entries: isRecord(packages) ? Object.keys(packages).length : 0, lockfile: { text, data: data as Record<string, unknown>, sha256: sha256Hex(bytes) } };
}

function invalid(path: string, field: string, expected: string): InputError {
  return new InputError('LOCKFILE_INVALID', `${path}: ${field}: expected ${expected}`, {
    file: path,
    field,
    hint: REGENERATE_HINT,
  });
}

// Narrows parsed JSON to the parts of a lockfile the walker relies on (at most `maxEntries`
// entries); returns its version.
export function assertLockfileShape(data: unknown, path: string, relPath = path, maxEntries = MAX_LOCKFILE_ENTRIES): number {
  if (!isRecord(data)) throw invalid(path, '(root)', 'an object (an npm lockfile)');
  const version = data.lockfileVersion;
  if (typeof version === 'number' && Number.isInteger(version) && version > Math.max(...SUPPORTED_VERSIONS)) {
    // Regenerating would not help: the npm that wrote it writes the same version again.
    throw new InputError('LOCKFILE_UNSUPPORTED', `${path}: lockfileVersion: expected 1, 2 or 3, got ${version}, a lockfile version newer than this verify-deps reads`, {
      file: path,
      field: 'lockfileVersion',
      hint: 'Upgrade verify-deps to a release that reads it (npm install --save-dev verify-deps@latest).',
    });
  }
  if (typeof version !== 'number' || !SUPPORTED_VERSIONS.includes(version)) {
    throw invalid(path, 'lockfileVersion', `1, 2 or 3, got ${toDisplayValue(version)}`);
  }
  if (version >= 2 || relPath.endsWith('.package-lock.json')) {
    if (!isRecord(data.packages)) throw invalid(path, 'packages', 'an object of install locations');
    const locations = Object.keys(data.packages);
    if (locations.length > maxEntries) throw tooLarge(path, 'packages', `at most ${maxEntries} entries, got ${locations.length}`, tooManyEntriesHint(maxEntries));
    for (const [location, entry] of Object.entries(data.packages)) {
      if (!isRecord(entry)) throw invalid(path, `packages["${location}"]`, 'an object');
      assertStringFields(entry, path, `packages["${location}"]`);
      assertSemverVersion(entry, path, `packages["${location}"]`);
    }
  } else if (data.dependencies !== undefined) {
    if (!isRecord(data.dependencies)) throw invalid(path, 'dependencies', 'an object of dependencies');
    assertLegacyDependencies(data.dependencies, path, Math.min(maxEntries, MAX_ARBORIST_ENTRIES));
  }
  return version;
}

// Walks the v1 `dependencies` tree without recursion (a deeply nested one must not overflow the
// stack), counting its entries: arborist alone reads a v1 lockfile, so never more than it can
// read in reasonable time.
function assertLegacyDependencies(root: Record<string, unknown>, path: string, maxEntries: number): void {
  const pending: { deps: Record<string, unknown>; field: string; depth: number }[] = [{ deps: root, field: 'dependencies', depth: 1 }];
  let count = 0;
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { deps, field, depth } = next;
    if (depth > MAX_LOCKFILE_DEPTH) throw tooLarge(path, field, `at most ${MAX_LOCKFILE_DEPTH} levels of nested dependencies`, 'A real lockfile nests a few dozen levels; regenerate it with `npm install --package-lock-only`.');
    for (const [name, entry] of Object.entries(deps)) {
      const here = `${field}["${name}"]`;
      if (++count > maxEntries) throw tooLarge(path, 'dependencies', `at most ${maxEntries} entries`, tooManyEntriesHint(maxEntries, 'A lockfileVersion 1'));
      if (!isRecord(entry)) throw invalid(path, here, 'an object');
      assertStringFields(entry, path, here);
      if (entry.dependencies !== undefined) {
        if (!isRecord(entry.dependencies)) throw invalid(path, `${here}.dependencies`, 'an object');
        pending.push({ deps: entry.dependencies, field: `${here}.dependencies`, depth: depth + 1 });
      }
    }
  }
}

// The fields the walker reads as strings (arborist copies them as they are).
const STRING_FIELDS = ['name', 'version', 'resolved', 'integrity'] as const;

// Arborist reads false, null and "" in these fields as absent, and so does npm ci: npm 6 wrote
// `"resolved": false` for bundled dependencies and, through a bug, for some registry packages
// (npm/cli#1138). An absent field is judged by the gate (no integrity: INTEGRITY_MISSING). A
// number or an object is carried into arborist's tree as it is, and npm never writes one: refused.
function assertStringFields(entry: Record<string, unknown>, path: string, here: string): void {
  for (const field of STRING_FIELDS) {
    const value = entry[field];
    if (value !== undefined && value !== null && value !== false && typeof value !== 'string') {
      throw invalid(path, `${here}.${field}`, `a string (or false or null, read as absent), got ${toDisplayValue(value)}`);
    }
    // npm never writes a control character into these fields; shown to a person, one could
    // rewrite what their terminal displays.
    if (typeof value === 'string' && CONTROL_CHARACTER.test(value)) {
      throw invalid(path, `${here}.${field}`, `a string without control characters, got ${toDisplayValue(value)}`);
    }
  }
}

const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

// A v2/v3 entry's version is its package.json's, which npm refuses to install unless it is
// semver (a link's entry carries none). A v1 `dependencies` version may be a spec (npm:, file:,
// a URL), so only v2/v3 entries are held to it.
function assertSemverVersion(entry: Record<string, unknown>, path: string, here: string): void {
  const version = entry.version;
  if (typeof version === 'string' && version !== '' && semver.valid(version, { loose: true }) === null) {
    throw invalid(path, `${here}.version`, `a semver version, got ${toDisplayValue(version)}`);
  }
}

function tooLarge(path: string, field: string, expected: string, hint: string): InputError {
  return new InputError('INPUT_TOO_LARGE', `${path}: ${field}: expected ${expected} (INPUT_TOO_LARGE)`, { file: path, field, hint });
}

// The ceiling bounds the run against a hostile lockfile; a real one past it can raise it, up to
// what arborist reads in reasonable time for the lockfiles only arborist reads (`readByArborist`
// names them).
export function tooManyEntriesHint(maxEntries: number, readByArborist?: string): string {
  if (readByArborist !== undefined && maxEntries >= MAX_ARBORIST_ENTRIES) {
    return `${readByArborist} is read by arborist in quadratic time, so at most ${MAX_ARBORIST_ENTRIES} entries whatever --max-entries says; regenerate the lockfile with \`npm install --package-lock-only\` (npm 7 or later), which verify-deps reads in linear time.`;
  }
  return `verify-deps reads at most ${maxEntries} lockfile entries, so that a hostile lockfile cannot stall the run; if yours is real, raise the ceiling with --max-entries <n>.`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isFile() ?? false;
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isDirectory() ?? false;
}

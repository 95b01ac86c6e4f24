import { statSync, type Stats } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { VersionManifest } from '../registry/manifest.js';
import { compareCodePoints, rehashTarball, toSha512Integrity, toTarballDigestMismatch } from '../sri/index.js';
import type { PackageRef } from '../types.js';
import type { LimitFunction } from 'p-limit';
import { hashInstalledPackage, type InstalledEntry } from './installed-files.js';
import { getTarball, type TarballDeps } from './tarball.js';
import { readTarballFiles, type TarballFiles } from './tarball-files.js';
import type { CheckFinding } from './types.js';

export interface InstalledDeps extends TarballDeps {
  // The folder the lockfile's locations are relative to.
  rootDir: string;
  // Every location the lockfile records: a nested node_modules folder that is one belongs to
  // that entry, not to the package it sits in.
  lockfileLocations: ReadonlySet<string>;
  // Holds a tarball in memory only inside a slot (each up to MAX_TARBALL_BYTES until parsed).
  inTarballSlot: <T>(task: () => Promise<T>) => Promise<T>;
  onFileHashed?: () => void;
  // Bounds the installed files read at once across the run (open file descriptors).
  files?: LimitFunction;
}

// At most this many changed, added or removed files are named per location; one more finding
// counts the rest (a replaced tree would otherwise bury the report).
const MAX_NAMED_FILES = 20;

// --installed: node_modules must hold exactly the bytes of the verified tarball at every
// location of the package. The tarball comes from npm's cache by the verified sha512, else from
// the registry, and its bytes are hashed against that sha512 either way: a tarball that cannot be
// had, or does not match, leaves the installed files unverified (a finding, never a pass).
// `verifiedIntegrity` is the sha512 verification bound the package to (a sha1-only pin's comes
// from its download); undefined when there is none.
export async function checkInstalledPackage(ref: PackageRef, manifest: VersionManifest, verifiedIntegrity: string | undefined, deps: InstalledDeps): Promise<CheckFinding[]> {
  const expected = toSha512Integrity(verifiedIntegrity ?? ref.integrity);
  if (expected === undefined) return [unverifiable('no sha512 digest of the tarball to check its bytes against')];
  const locations = ref.locations.filter((location) => location.split('/').includes('node_modules'));
  // A location with no package folder is reported without the tarball: an optional package npm
  // skipped on this platform costs no download. The folder is looked at again when compared.
  const missing = new Map<string, CheckFinding>();
  for (const location of locations) {
    const finding = findMissingLocation(ref, location, deps.rootDir);
    if (finding !== undefined) missing.set(location, finding);
  }
  if (missing.size === locations.length) return [...missing.values()];
  const tarball = await deps.inTarballSlot(async (): Promise<{ files: TarballFiles } | { finding: CheckFinding }> => {
    const got = await getTarball({ ...ref, integrity: expected }, manifest, deps);
    if ('finding' in got) return { finding: { ...got.finding, message: `the installed files could not be compared: ${got.finding.message}` } };
    const { integrity, matches } = rehashTarball(got.bytes, expected);
    if (!matches) return { finding: toTarballDigestMismatch(expected, integrity) };
    try {
      return { files: await readTarballFiles(got.bytes) };
    } catch (error) {
      return { finding: unverifiable(`expected the tarball to be a tar archive, got: ${(error as Error).message}`) };
    }
  });
  if ('finding' in tarball) return [tarball.finding];
  const findings: CheckFinding[] = [];
  for (const location of locations) {
    const finding = missing.get(location);
    findings.push(...(finding === undefined ? await compareLocation(ref, location, tarball.files, deps) : [finding]));
  }
  return findings;
}

// Every location the lockfile at `path` records ("packages" keys, lockfile v2 and v3).
export async function readLockfileLocations(path: string): Promise<Set<string>> {
  const data = JSON.parse(await readFile(path, 'utf8')) as { packages?: Record<string, unknown> };
  return new Set(Object.keys(data.packages ?? {}));
}

// INSTALLED_PACKAGE_MISSING when no directory is at the location; undefined when one is.
function findMissingLocation(ref: PackageRef, location: string, rootDir: string): CheckFinding | undefined {
  // Synchronous: one system call, cheaper than its round trip through the thread pool.
  let info: Stats | undefined;
  try {
    info = statSync(join(rootDir, location));
  } catch {
    info = undefined;
  }
  if (info?.isDirectory()) return undefined;
  return {
    code: 'INSTALLED_PACKAGE_MISSING',
    message: `expected ${ref.name}@${ref.version} installed at ${location}, found ${info === undefined ? 'nothing' : 'no directory'} there`,
    details: { location, optional: ref.optional },
  };
}

async function compareLocation(ref: PackageRef, location: string, expected: TarballFiles, deps: InstalledDeps): Promise<CheckFinding[]> {
  const dir = join(deps.rootDir, location);
  const gone = findMissingLocation(ref, location, deps.rootDir);
  if (gone !== undefined) return [gone];
  const tarballDirs = directoriesOf(expected);
  const isForeign = (relDir: string): boolean => {
    const nested = /(?:^|\/)node_modules\/(?:@[^/]+\/)?[^/]+$/.exec(relDir);
    if (nested === null) return false;
    // npm's links to the nested dependencies' executables.
    if (/(?:^|\/)node_modules\/\.bin$/.test(relDir)) return true;
    // Bundled dependencies came out of this tarball: they are this package's content.
    return !tarballDirs.has(relDir) && deps.lockfileLocations.has(`${location}/${relDir}`);
  };
  let installed: Map<string, InstalledEntry>;
  try {
    installed = await hashInstalledPackage(dir, {
      isForeign,
      ...(deps.onFileHashed === undefined ? {} : { onFileHashed: deps.onFileHashed }),
      ...(deps.files === undefined ? {} : { limit: deps.files }),
    });
  } catch (error) {
    return [unverifiable(`expected to read the files installed at ${location}, got: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)];
  }
  return toModifiedFindings(location, diffFiles(expected, installed));
}

type Difference = { path: string; kind: 'changed' | 'added' | 'removed' };

// The files that differ, in code-point order of path.
function diffFiles(expected: TarballFiles, installed: Map<string, InstalledEntry>): Difference[] {
  const differences: Difference[] = [];
  for (const [path, digest] of expected) {
    const entry = installed.get(path);
    if (entry === undefined) differences.push({ path, kind: 'removed' });
    else if (entry.kind !== 'file' || entry.digest !== digest) differences.push({ path, kind: 'changed' });
  }
  for (const path of installed.keys()) if (!expected.has(path)) differences.push({ path, kind: 'added' });
  return differences.sort((a, b) => compareCodePoints(a.path, b.path));
}

function toModifiedFindings(location: string, differences: Difference[]): CheckFinding[] {
  const findings: CheckFinding[] = differences.slice(0, MAX_NAMED_FILES).map(({ path, kind }) => ({
    code: 'INSTALLED_TREE_MODIFIED',
    message: MESSAGES[kind](`${location}/${path}`),
    details: { location, path, kind },
  }));
  const more = differences.length - MAX_NAMED_FILES;
  if (more > 0) {
    findings.push({
      code: 'INSTALLED_TREE_MODIFIED',
      message: `expected ${location} to hold the tarball's files, found ${more} more files that differ`,
      details: { location, more },
    });
  }
  return findings;
}

const MESSAGES = {
  changed: (file: string) => `expected ${file} to hold the tarball's bytes, found other bytes`,
  added: (file: string) => `expected no ${file} (the tarball has no such file), found one`,
  removed: (file: string) => `expected ${file} from the tarball, found none`,
};

// Every directory that holds a file of the tarball (package-relative posix paths).
function directoriesOf(files: TarballFiles): Set<string> {
  const dirs = new Set<string>();
  for (const path of files.keys()) {
    for (let end = path.lastIndexOf('/'); end > 0; end = path.lastIndexOf('/', end - 1)) dirs.add(path.slice(0, end));
  }
  return dirs;
}

function unverifiable(message: string): CheckFinding {
  return { code: 'VERIFICATION_ERROR', message: `the installed files could not be compared: ${message}` };
}

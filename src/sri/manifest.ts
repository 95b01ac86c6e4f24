// Builds the SRI manifest: the digests of what verified, and nothing else. Pure: data in, data
// out, no clock (no timestamp: the same verified tree always gives the same bytes).

import { canonicalJson } from '../canonical-json.js';
import { SriError } from './errors.js';
import { isSha1OnlyPin, toSha512Integrity } from './integrity.js';

export type SriMode = 'strict' | 'audit';

// One package as the caller judged it.
export interface SriPackageInput {
  name: string;
  version: string;
  // The lockfile's pinned SRI string (PackageRef.integrity).
  integrity: string | null;
  // The report's verification.verified: evidence over the lockfile's digest verified, and no
  // finding was waived or stands.
  verified: boolean;
  // Why not, when not verified: the report's reason kinds (registry-publishes-no-keys, …).
  reasons: readonly string[];
  // rehashTarball's integrity of the downloaded tarball, when it was re-hashed.
  rehashed?: string;
  // For a sha1-only lockfile pin: the sha512 of the downloaded bytes that matched it, the digest
  // its evidence was verified against (the report's evidence.boundIntegrity).
  boundIntegrity?: string;
  // hashPackageFiles' result: posix path relative to the package directory → `sha384-…`.
  files?: Record<string, string>;
}

export interface SriManifestInput {
  packages: readonly SriPackageInput[];
  mode: SriMode;
  // No timestamps: a manifest is a function of what verified, so it can be diffed and digested.
  generatedAt?: never;
}

export interface SriManifestEntry {
  name: string;
  version: string;
  // `sha512-<base64>`: the one lockfile digest that verification bound to.
  integrity: string;
  // The lockfile's sha1-only pin, when integrity is the sha512 of the bytes that matched it.
  lockfileIntegrity?: string;
  rehashed?: string;
  files?: Record<string, string>;
}

export interface SriManifest {
  schemaVersion: 1;
  // The policy's enforcement when the manifest was written.
  mode: SriMode;
  // Verified packages only, sorted by name, then version (code-point order).
  packages: SriManifestEntry[];
  // Every other package the gate let through (no verified evidence, a waived or reported finding,
  // bundled, not from a registry), with its reasons. Names only, never a digest.
  notVerified: Array<{ name: string; version: string; reasons: string[] }>;
}

const SHA384 = /^sha384-[A-Za-z0-9+/]{64}$/;

// Builds the manifest. Throws SriError when asked to vouch for something that was not proven (a
// verified package without a sha512 pin, or whose re-hashed bytes differ from it).
export function buildSriManifest(input: SriManifestInput): SriManifest {
  // Security: digests are computed and listed only for verified packages (SRI hashes
  // only after successful attestation); an unverified package's pin is never repeated here.
  const entries = input.packages.filter((p) => p.verified).map(toEntry);
  // Named in either mode: a strict policy may still let a package through unverified (a registry
  // that cannot sign, a waiver, a finding it only reports), and the manifest must not make it look
  // verified by silence.
  const notVerified = input.packages.filter((p) => !p.verified).map((p) => ({ name: p.name, version: p.version, reasons: [...p.reasons] }));
  return {
    schemaVersion: 1,
    mode: input.mode,
    packages: uniqueSorted(entries),
    notVerified: uniqueSorted(notVerified),
  };
}

function toEntry(pkg: SriPackageInput): SriManifestEntry {
  const id = `${pkg.name}@${pkg.version}`;
  // Security: the digest listed is the one verified. For a sha1-only pin that is the sha512 of the
  // bytes that matched it, never the sha1 (which nothing signed), and the pin is named beside it.
  const bound = pkg.boundIntegrity !== undefined && isSha1OnlyPin(pkg.integrity) ? toSha512Integrity(pkg.boundIntegrity) : undefined;
  const integrity = bound ?? toSha512Integrity(pkg.integrity);
  if (integrity === undefined) {
    throw new SriError('SRI_INTEGRITY_NOT_SHA512', `${id} is marked verified but its lockfile integrity ${pkg.integrity ?? '(none)'} pins no single sha512 digest`);
  }
  const entry: SriManifestEntry = { name: pkg.name, version: pkg.version, integrity, ...(bound === undefined ? {} : { lockfileIntegrity: pkg.integrity as string }) };
  if (pkg.rehashed !== undefined) {
    if (toSha512Integrity(pkg.rehashed) !== integrity) {
      throw new SriError('SRI_REHASH_MISMATCH', `${id} is marked verified but its tarball hashed to ${pkg.rehashed}, not ${integrity}`);
    }
    entry.rehashed = integrity;
  }
  if (pkg.files !== undefined) {
    entry.files = toSortedFiles(id, pkg.files);
  }
  return entry;
}

// A file key must stay inside the package: relative, posix, no `.`/`..`/empty segments.
export function isPackageRelativePath(path: string): boolean {
  return path.length > 0 && !path.includes('\\') && !path.includes('\0') && path.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}

function toSortedFiles(id: string, files: Record<string, string>): Record<string, string> {
  const sorted: Record<string, string> = {};
  for (const path of Object.keys(files).sort(compareCodePoints)) {
    const digest = files[path];
    if (!isPackageRelativePath(path) || digest === undefined || !SHA384.test(digest)) {
      throw new SriError('SRI_FILE_ENTRY_INVALID', `${id}: file entry ${JSON.stringify(path)} → ${JSON.stringify(digest)} is not a package-relative path with a sha384 digest`);
    }
    sorted[path] = digest;
  }
  return sorted;
}

// Sorted by name, then version, then the whole entry (so even duplicates of one name@version with
// different pins come out in one order); exact duplicates are dropped.
function uniqueSorted<T extends { name: string; version: string }>(items: T[]): T[] {
  const keyed = items.map((item) => ({ item, key: canonicalJson(item) }));
  keyed.sort((a, b) => compareCodePoints(a.item.name, b.item.name) || compareCodePoints(a.item.version, b.item.version) || compareCodePoints(a.key, b.key));
  return keyed.filter((k, i) => i === 0 || keyed[i - 1]?.key !== k.key).map((k) => k.item);
}

// Unicode code-point order (UTF-8 byte order is code-point order; JS `<` compares UTF-16 units).
export function compareCodePoints(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

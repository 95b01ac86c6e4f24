// The lockfile's integrity, reduced to the one digest the whole gate binds to (sha512), and the
// re-hash of a downloaded tarball against it.

import ssri from 'ssri';
import { getSha512Hex } from '../verify/integrity.js';

// The finding code for a tarball whose bytes do not hash to the lockfile's sha512. A contract
// string like the verify stage's codes: add, never rename.
export const TARBALL_DIGEST_MISMATCH = 'TARBALL_DIGEST_MISMATCH' as const;

export interface TarballDigestMismatchFinding {
  code: typeof TARBALL_DIGEST_MISMATCH;
  message: string;
  details: { expected: string | null; actual: string };
}

// The normalised `sha512-<base64>` an SRI string pins, or undefined when it pins no sha512 or
// more than one. Same rule as the verify stage's getSha512Hex (which this reuses): what was
// verified is that one digest, so that is the only one the manifest may carry.
export function toSha512Integrity(integrity: string | null): string | undefined {
  const hex = getSha512Hex(integrity);
  return hex === undefined ? undefined : ssri.fromHex(hex, 'sha512').toString();
}

// Hashes a tarball's bytes with sha512 and compares them with the lockfile's pin. Only the
// sha512 entry counts: a sha1 that "matches" is no evidence (sha1 collisions are practical), so a
// pin without exactly one sha512 never matches.
export function rehashTarball(bytes: Uint8Array, expected: string): { integrity: string; matches: boolean } {
  const computed = ssri.fromData(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { algorithms: ['sha512'] });
  const pinned = toSha512Integrity(expected);
  return { integrity: computed.toString(), matches: pinned !== undefined && computed.match(pinned) !== false };
}

// True when an SRI string pins sha1 and nothing else: what npm 6 and earlier wrote for packages
// published before npm computed sha512, and what later npm keeps. No registry signs or attests a
// sha1, so such a pin binds to the evidence only through the tarball's bytes (hashSha1Pinned).
export function isSha1OnlyPin(integrity: string | null): boolean {
  // Without a sha1 hash in it there is nothing to parse (asked of every package on every run).
  if (integrity === null || !integrity.includes('sha1-')) return false;
  // Not strict: ssri's strict parse drops sha1, which is exactly the algorithm asked about.
  const algorithms = Object.keys(ssri.parse(integrity) ?? {});
  return algorithms.length === 1 && algorithms[0] === 'sha1';
}

// Hashes a tarball's bytes against a sha1-only pin: whether they match it, and their sha512 (the
// digest the registry signs and attestations name), both from the same bytes.
export function hashSha1Pinned(bytes: Uint8Array, pin: string): { sha1: string; sha512: string; matches: boolean } {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const computed = ssri.fromData(data, { algorithms: ['sha1', 'sha512'] });
  const sha1 = ssri.fromData(data, { algorithms: ['sha1'] }).toString();
  const sha512 = ssri.fromData(data, { algorithms: ['sha512'] }).toString();
  return { sha1, sha512, matches: isSha1OnlyPin(pin) && computed.match(pin) !== false };
}

// The finding the caller reports when a tarball's bytes do not match the lockfile's sha1-only
// pin: other bytes than were pinned, whatever the registry signed for them.
export function toSha1PinMismatch(pin: string, computed: { sha1: string; sha512: string }): TarballDigestMismatchFinding {
  return {
    code: TARBALL_DIGEST_MISMATCH,
    message: `expected the tarball to hash to the lockfile's ${pin}, got ${computed.sha1} (${computed.sha512})`,
    details: { expected: pin, actual: computed.sha1 },
  };
}

// The finding the caller reports when rehashTarball says the bytes differ.
export function toTarballDigestMismatch(expected: string, actual: string): TarballDigestMismatchFinding {
  const pinned = toSha512Integrity(expected) ?? null;
  return {
    code: TARBALL_DIGEST_MISMATCH,
    message: `expected the tarball to hash to ${pinned ?? 'the lockfile\'s sha512 (it pins none)'}, got ${actual}`,
    details: { expected: pinned, actual },
  };
}

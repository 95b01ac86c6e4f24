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

// The finding the caller reports when rehashTarball says the bytes differ.
export function toTarballDigestMismatch(expected: string, actual: string): TarballDigestMismatchFinding {
  const pinned = toSha512Integrity(expected) ?? null;
  return {
    code: TARBALL_DIGEST_MISMATCH,
    message: `expected the tarball to hash to ${pinned ?? 'the lockfile\'s sha512 (it pins none)'}, got ${actual}`,
    details: { expected: pinned, actual },
  };
}

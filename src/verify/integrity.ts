// The lockfile's pinned integrity is the anchor every other check binds to: the registry's
// dist.integrity must equal it, registry signatures are checked over it, and attestation
// subjects must name its sha512.

import ssri from 'ssri';
import { toFinding } from './findings.js';
import type { Finding } from './types.js';

// Checks that the registry serves the integrity the lockfile pins. Compared as exact strings:
// the registry signs the exact string, so two spellings of "the same" hash are not the same.
export function verifyIntegrityMatch(lockfile: string | null, registry: string | undefined): Finding[] {
  if (lockfile === null || lockfile.trim() === '') {
    return [toFinding('INTEGRITY_MISSING', 'expected the lockfile to pin an integrity, got none')];
  }
  if (registry !== lockfile) {
    return [
      toFinding(
        'INTEGRITY_MISMATCH',
        `expected registry dist.integrity ${lockfile} (the lockfile's), got ${registry === undefined ? 'none' : registry}`,
        { lockfile, registry: registry ?? null },
      ),
    ];
  }
  return [];
}

// Returns the hex sha512 digest an SRI string pins, or undefined when it pins no sha512 or
// more than one (which one would a subject have to match?).
export function getSha512Hex(integrity: string | null): string | undefined {
  if (integrity === null) {
    return undefined;
  }
  const parsed = ssri.parse(integrity, { strict: true });
  const hashes = parsed?.['sha512'];
  if (hashes === undefined || hashes.length !== 1 || hashes[0] === undefined) {
    return undefined;
  }
  const digest = Buffer.from(hashes[0].digest, 'base64');
  return digest.length === 64 ? digest.toString('hex') : undefined;
}

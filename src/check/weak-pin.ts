import type { VersionManifest } from '../registry/manifest.js';
import { hashSha1Pinned, toSha1PinMismatch } from '../sri/index.js';
import type { PackageRef } from '../types.js';
import { getTarball, type TarballDeps } from './tarball.js';
import type { CheckFinding } from './types.js';

// The command that really replaces sha1 pins, tried with npm 11: `npm install --package-lock-only`
// keeps a sha1 pin it finds, and never fills in an integrity deleted from an entry; only entries
// resolved afresh get sha512 (their versions may move within their ranges: review the diff).
export const WEAK_PIN_FIX = 'delete its entries from package-lock.json and run `npm install --package-lock-only` (or, for every sha1 pin at once: `rm -rf node_modules package-lock.json && npm install --package-lock-only`); a plain `npm install --package-lock-only` keeps sha1 pins';

// Binds a package the lockfile pins with sha1 only to its evidence through the bytes: its tarball
// (getTarball) must match the sha1 pin, and its sha512, computed from the same bytes, is what the
// registry signature and the attestations are then verified against. Bytes that do not match the
// pin are tampering (TARBALL_DIGEST_MISMATCH), whatever the registry signed for them.
export async function bindSha1Pin(ref: PackageRef & { integrity: string }, manifest: VersionManifest, deps: TarballDeps): Promise<{ bound: string } | { finding: CheckFinding }> {
  const tarball = await getTarball(ref, manifest, deps);
  if ('finding' in tarball) return tarball;
  const computed = hashSha1Pinned(tarball.bytes, ref.integrity);
  return computed.matches ? { bound: computed.sha512 } : { finding: toSha1PinMismatch(ref.integrity, computed) };
}

// INTEGRITY_WEAK_PIN: the lockfile pins sha1 only, and the package was verified through its
// downloaded bytes (bound). A warning by default: the evidence binds, but npm checks only the sha1
// when it installs, and sha1 collisions can be made (the policy's weakIntegrity: "deny" fails it).
export function toWeakPinFinding(pin: string, bound: string): CheckFinding {
  return {
    code: 'INTEGRITY_WEAK_PIN',
    message: `expected the lockfile to pin a sha512 integrity, got sha1 only (${pin}); verified through its tarball, whose bytes match the pin and hash to ${bound}; to pin sha512, ${WEAK_PIN_FIX}`,
    details: { lockfile: pin, boundThrough: 'download', bound },
  };
}

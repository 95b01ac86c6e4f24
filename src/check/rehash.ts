import type { VersionManifest } from '../registry/manifest.js';
import { rehashTarball, toTarballDigestMismatch } from '../sri/index.js';
import type { PackageRef } from '../types.js';
import { getTarball, type TarballDeps } from './tarball.js';
import type { CheckFinding } from './types.js';

// --rehash: never trust a claimed digest where the bytes are at hand. The tarball (getTarball:
// npm's cache, else the registry) is hashed here and compared with the lockfile's sha512.
export async function rehashPackage(ref: PackageRef, manifest: VersionManifest, deps: TarballDeps): Promise<{ rehashed?: string; finding?: CheckFinding }> {
  if (ref.integrity === null) return {};
  const tarball = await getTarball(ref, manifest, deps);
  if ('finding' in tarball) return { finding: tarball.finding };
  const { integrity, matches } = rehashTarball(tarball.bytes, ref.integrity);
  return matches ? { rehashed: integrity } : { rehashed: integrity, finding: toTarballDigestMismatch(ref.integrity, integrity) };
}

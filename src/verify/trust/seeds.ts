// The public-good trusted root and npm's registry keys as embedded in @sigstore/tuf's
// seeds.json. That file is the TUF client's bootstrap cache: using it directly trusts the copy
// shipped with the installed package (no TUF freshness check), which is what an offline run can do.
// Reading the file is the caller's job; this takes its parsed content.

import { TrustMaterialError } from '../errors.js';
import { isRecord, toBytesFromBase64 } from '../encoding.js';

export const SIGSTORE_TUF_MIRROR = 'https://tuf-repo-cdn.sigstore.dev';
export const TRUSTED_ROOT_TARGET = 'trusted_root.json';
export const NPM_KEYS_TARGET = 'registry.npmjs.org%2Fkeys.json';

export interface SeedTargets {
  // The decoded bytes of each target, to be passed on as bytes so their sha256 is recorded.
  trustedRoot: Buffer;
  registryKeys: Buffer;
}

// Returns the raw bytes of the trusted root and npm keys targets of one mirror's seed.
export function getSeedTargets(seeds: unknown, mirror: string = SIGSTORE_TUF_MIRROR): SeedTargets {
  const seed = isRecord(seeds) ? seeds[mirror] : undefined;
  if (!isRecord(seed) || !isRecord(seed.targets)) {
    throw new TrustMaterialError('SEEDS_INVALID', `seeds.json: expected a seed with targets for ${mirror}`, { field: mirror });
  }
  return {
    trustedRoot: toTarget(seed.targets, TRUSTED_ROOT_TARGET, mirror),
    registryKeys: toTarget(seed.targets, NPM_KEYS_TARGET, mirror),
  };
}

function toTarget(targets: Record<string, unknown>, name: string, mirror: string): Buffer {
  const bytes = toBytesFromBase64(targets[name]);
  if (bytes === undefined) {
    throw new TrustMaterialError('SEEDS_INVALID', `seeds.json: target ${name} of ${mirror} is missing or not base64`, {
      field: `${mirror}.targets.${name}`,
    });
  }
  return bytes;
}

// The TUF root a mirror's seed starts from (base64 `root.json`), when seeds.json has that mirror.
export function getSeedRoot(seeds: unknown, mirror: string): Buffer | undefined {
  const seed = isRecord(seeds) ? seeds[mirror] : undefined;
  return isRecord(seed) ? toBytesFromBase64(seed['root.json']) : undefined;
}

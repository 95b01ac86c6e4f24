import { join } from 'node:path';
import { cacheRead } from '../registry/cacache-parts.js';
import type { RegistryHttp } from '../registry/http.js';
import type { VersionManifest } from '../registry/manifest.js';
import { toRegistryPath } from '../registry/package-name.js';
import type { PackageRef } from '../types.js';
import { offlineMiss, toFetchFinding } from './fetch-finding.js';
import type { CheckFinding } from './types.js';

export interface TarballDeps {
  http: RegistryHttp;
  npmCacheDir: string;
  offline: boolean;
}

// A package's tarball bytes: from npm's own cache (content-addressed by the lockfile's integrity:
// a hit is only a hit for bytes with that digest, which cacache checks on read), else from the
// registry (npm's credentials, the size bound of src/registry/http.ts), never with --offline.
// The caller hashes the bytes itself: nothing here vouches for them.
export async function getTarball(ref: PackageRef, manifest: VersionManifest, deps: TarballDeps): Promise<{ bytes: Buffer } | { finding: CheckFinding }> {
  if (ref.integrity !== null) {
    try {
      return { bytes: (await cacheRead.byDigest(join(deps.npmCacheDir, '_cacache'), ref.integrity)) as Buffer };
    } catch {
      // Not in npm's cache (or corrupt there): fetched below.
    }
  }
  if (deps.offline) return { finding: offlineMiss(`tarball of ${ref.name}@${ref.version} (neither verify-deps' cache nor npm's)`) };
  try {
    return { bytes: await deps.http.getBytes(manifest.tarballPath ?? defaultTarballPath(ref), { name: ref.name }) };
  } catch (error) {
    const finding = toFetchFinding(error);
    return { finding: { ...finding, message: `the tarball could not be fetched: ${finding.message}` } };
  }
}

// The tarball path every npm registry serves: /NAME/-/BASENAME-VERSION.tgz.
function defaultTarballPath(ref: PackageRef): string {
  const basename = ref.name.startsWith('@') ? ref.name.slice(ref.name.indexOf('/') + 1) : ref.name;
  return `${toRegistryPath(ref.name)}/-/${basename}-${ref.version}.tgz`;
}

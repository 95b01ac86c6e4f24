import { join } from 'node:path';
import cacache from 'cacache';
import type { RegistryHttp } from '../registry/http.js';
import type { VersionManifest } from '../registry/manifest.js';
import { FetchError } from '../registry/fetch-error.js';
import { toRegistryPath } from '../registry/package-name.js';
import { rehashTarball, toTarballDigestMismatch } from '../sri/index.js';
import type { PackageRef } from '../types.js';
import type { CheckFinding } from './types.js';

// --rehash: never trust a claimed digest where the bytes are at hand. The tarball is taken from
// npm's own cache (content-addressed by the lockfile's integrity: a hit is only a hit for those
// exact bytes, which cacache verifies on read), else fetched from the registry, and hashed here.
export async function rehashPackage(
  ref: PackageRef,
  manifest: VersionManifest,
  deps: { http: RegistryHttp; npmCacheDir: string; offline: boolean },
): Promise<{ rehashed?: string; finding?: CheckFinding }> {
  if (ref.integrity === null) return {};
  let bytes: Buffer | undefined;
  try {
    bytes = (await cacache.get.byDigest(join(deps.npmCacheDir, '_cacache'), ref.integrity)) as Buffer;
  } catch {
    bytes = undefined;
  }
  if (bytes === undefined) {
    if (deps.offline) return { finding: { code: 'OFFLINE_CACHE_MISS', message: `--offline --rehash: npm's cache does not hold the tarball of ${ref.name}@${ref.version}` } };
    try {
      bytes = await deps.http.getBytes(manifest.tarballPath ?? defaultTarballPath(ref), { name: ref.name });
    } catch (error) {
      if (!(error instanceof FetchError)) throw error;
      return { finding: { code: 'FETCH_FAILED', message: `the tarball could not be fetched: ${error.message}`, details: { kind: error.kind, url: error.url } } };
    }
  }
  const { integrity, matches } = rehashTarball(bytes, ref.integrity);
  return matches ? { rehashed: integrity } : { rehashed: integrity, finding: toTarballDigestMismatch(ref.integrity, integrity) };
}

// The tarball path every npm registry serves: /NAME/-/BASENAME-VERSION.tgz.
function defaultTarballPath(ref: PackageRef): string {
  const basename = ref.name.startsWith('@') ? ref.name.slice(ref.name.indexOf('/') + 1) : ref.name;
  return `${toRegistryPath(ref.name)}/-/${basename}-${ref.version}.tgz`;
}

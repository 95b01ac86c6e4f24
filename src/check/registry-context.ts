import { ConfigError } from '../errors.js';
import type { EvidenceCache } from '../registry/cache.js';
import { FetchError } from '../registry/fetch-error.js';
import type { RegistryHttp } from '../registry/http.js';
import { loadRegistryKeys, type RegistryKeysSource } from '../registry/keys.js';
import type { TrustSource } from '../registry/trust-source.js';
import { TrustMaterialError } from '../verify/errors.js';
import { parseTrust, type ParsedTrust } from '../verify/trust/documents.js';
import type { CheckFinding, RegistryTrust } from './types.js';
import type { TrustDocuments } from './verifier-pool.js';

// One registry's keys and the trust built from them, or why there is none.
export interface RegistryContext {
  summary: RegistryTrust;
  // The trust documents checked and parsed: all a reused result needs. The Sigstore material is
  // built from them on the first verification (toTrust), so a run that verifies nothing never
  // loads @sigstore/verify.
  trust?: ParsedTrust;
  // The documents the trust was built from (for the verification workers, which build their own).
  trustDocuments?: TrustDocuments;
  // The trust's id in the verifier pool, once registered there.
  trustId?: number;
  // Set when the registry's keys could not be had: every package of it is then unverifiable.
  failure?: CheckFinding;
}

export interface RegistryContextOptions {
  offline: boolean;
  registryKeysFile?: string;
  trustedRootFile?: string;
}

// Loads a registry's signing keys (file, TUF copy, registry endpoint, or the cache offline) and
// builds the trust to verify its packages with (npm's keys beside a registry's own). Unfetchable
// keys make every package of the registry unverifiable (fail closed); unusable trust files are
// configuration errors.
export async function prepareRegistry(
  registry: string,
  deps: { http: RegistryHttp; cache: EvidenceCache; trustSource: TrustSource; options: RegistryContextOptions },
): Promise<RegistryContext> {
  const { http, cache, trustSource, options } = deps;
  let keys: RegistryKeysSource | undefined;
  try {
    if (options.offline && options.registryKeysFile === undefined && new URL(registry).host !== 'registry.npmjs.org') {
      keys = await cache.getKeys(registry);
      if (keys === undefined) throw new FetchError('offline-cache-miss', `${registry}-/npm/v1/keys`, `--offline: the keys of ${registry} are not in the cache`);
    } else {
      keys = await loadRegistryKeys(registry, http, {
        ...(options.registryKeysFile === undefined ? {} : { file: options.registryKeysFile }),
        npmKeys: trustSource.npmKeys,
        npmKeysOrigin: trustSource.npmKeysOrigin,
      });
      if (keys.origin === 'registry' || keys.origin === 'none') await cache.putKeys(keys).catch(() => undefined);
    }
  } catch (error) {
    if (!(error instanceof FetchError)) throw error;
    return {
      summary: { registry, keysOrigin: 'none', publishesKeys: true },
      failure: {
        code: error.kind === 'offline-cache-miss' ? 'OFFLINE_CACHE_MISS' : 'FETCH_FAILED',
        message: `registry keys could not be fetched: ${error.message}`,
      },
    };
  }
  const publishesKeys = keys.document !== null;
  // npm's keys are accepted beside what a registry publishes (its own keys, or none): a proxy of
  // registry.npmjs.org (Artifactory, Nexus, Verdaccio) passes npm's signatures through without
  // publishing npm's keys. Not with --registry-keys: the user's file is then the whole truth.
  const npmKeys = keys.origin === 'registry' || keys.origin === 'none' ? trustSource.npmKeys : undefined;
  try {
    const trust = parseTrust({ trustedRoot: trustSource.trustedRoot, registryKeys: keys.document, ...(npmKeys === undefined ? {} : { npmKeys }) });
    return {
      summary: { registry, keysOrigin: keys.origin, publishesKeys, ...(npmKeys === undefined ? {} : { npmKeysOrigin: trustSource.npmKeysOrigin }) },
      trust,
      trustDocuments: { trustedRoot: trustSource.trustedRoot, registryKeys: keys.document, ...(npmKeys === undefined ? {} : { npmKeys }) },
    };
  } catch (error) {
    if (!(error instanceof TrustMaterialError)) throw error;
    const rootProblem = error.code === 'TRUSTED_ROOT_INVALID';
    const file = rootProblem ? options.trustedRootFile : options.registryKeysFile;
    throw new ConfigError(rootProblem ? 'TRUSTED_ROOT_INVALID' : 'REGISTRY_KEYS_INVALID', `${file ?? registry}: ${error.message}`, {
      ...(file === undefined ? {} : { file }),
    }, error);
  }
}

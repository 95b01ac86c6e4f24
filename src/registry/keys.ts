import { readTrustFile, type TrustOrigin } from './trust-source.js';
import type { RegistryHttp } from './http.js';
import { FetchError } from './fetch-error.js';

// A registry's signing keys as fetched (or given), before the verify stage parses them.
export interface RegistryKeysSource {
  registry: string;
  // Raw document (npm's /-/npm/v1/keys shape or the TUF keys.json shape); null: no keys.
  document: Buffer | unknown | null;
  origin: TrustOrigin | 'registry' | 'none';
}

const NPMJS_HOST = 'registry.npmjs.org';

// Finds the keys a registry signs with: --registry-keys when given; for registry.npmjs.org, the
// TUF-distributed copy (a registry-served copy would let a mirror vouch for itself); otherwise
// the registry's own /-/npm/v1/keys, where 404 or 400 means it publishes none (as npm's
// `audit signatures` reads them: some proxies answer 400 for a path they do not know).
export async function loadRegistryKeys(
  registry: string,
  http: RegistryHttp,
  options: { file?: string; npmKeys: Buffer; npmKeysOrigin: TrustOrigin },
): Promise<RegistryKeysSource> {
  if (options.file !== undefined) {
    return { registry, document: await readTrustFile(options.file, 'REGISTRY_KEYS_INVALID', '--registry-keys'), origin: 'file' };
  }
  if (new URL(registry).host === NPMJS_HOST) {
    return { registry, document: options.npmKeys, origin: options.npmKeysOrigin };
  }
  let response;
  try {
    response = await http.getJson('/-/npm/v1/keys', { registry });
  } catch (error) {
    if (error instanceof FetchError && error.kind === 'unreachable' && error.status === 400) return { registry, document: null, origin: 'none' };
    throw error;
  }
  if (response.status === 404) return { registry, document: null, origin: 'none' };
  if (response.body === null || typeof response.body !== 'object') {
    throw new FetchError('malformed', response.url, `${response.url}: expected a keys document`);
  }
  return { registry, document: response.body, origin: 'registry' };
}

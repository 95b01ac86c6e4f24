import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ConfigError } from '../errors.js';
import { getSeedRoot, getSeedTargets, SIGSTORE_TUF_MIRROR } from '../verify/trust/seeds.js';
import type { NpmFlatOptions } from './npm-config.js';

export { SIGSTORE_TUF_MIRROR };

const require = createRequire(import.meta.url);

const NPM_KEYS_TARGET = 'registry.npmjs.org/keys.json';

// Where the run's Sigstore trusted root and npm's registry keys came from, for the report.
// tuf-cached: the last copy a TUF refresh verified, still within its metadata's expiry.
export type TrustOrigin = 'file' | 'tuf-refreshed' | 'tuf-cached' | 'tuf-embedded';
// npm's keys come only from Sigstore's TUF repository (--registry-keys replaces them instead).
export type NpmKeysOrigin = Exclude<TrustOrigin, 'file'>;

export interface TrustSource {
  trustedRoot: Buffer;
  trustedRootOrigin: TrustOrigin;
  // npm's keys for registry.npmjs.org, from the same TUF repository as the trusted root.
  npmKeys: Buffer;
  npmKeysOrigin: NpmKeysOrigin;
  // Why a TUF refresh was not used, when it was tried and failed.
  refreshError?: string;
}

export interface TrustSourceOptions {
  trustedRootFile?: string;
  // Refresh through Sigstore's TUF repository; off with --offline or --trusted-root.
  refresh: boolean;
  tufCacheDir: string;
  tufMirror?: string;
  refreshTimeoutMs: number;
  // npm's options (.npmrc's proxy, noproxy, cafile/ca, strict-ssl) for the refresh's fetches.
  npm?: NpmFlatOptions;
}

// Loads the trust material: the file given, else a fresh copy through Sigstore's TUF repository
// when it answers in time, else the last copy a refresh verified (its cached timestamp, snapshot
// and targets metadata checked again, unexpired), else the copy embedded in @sigstore/tuf
// (offline, possibly older: trust roots rotate, so a refresh is preferred whenever reachable).
export async function loadTrustSource(options: TrustSourceOptions): Promise<TrustSource> {
  const seeds: unknown = JSON.parse(await readFile(require.resolve('@sigstore/tuf/seeds.json'), 'utf8'));
  const embedded = getSeedTargets(seeds);
  let trustedRoot = embedded.trustedRoot;
  let trustedRootOrigin: TrustOrigin = 'tuf-embedded';
  let npmKeys = embedded.registryKeys;
  let npmKeysOrigin: NpmKeysOrigin = 'tuf-embedded';
  let refreshError: string | undefined;

  if (options.refresh) {
    try {
      const refreshed = await withTimeout(refreshFromTuf(options, seeds, true), options.refreshTimeoutMs);
      ({ trustedRoot, npmKeys } = refreshed);
      trustedRootOrigin = npmKeysOrigin = 'tuf-refreshed';
    } catch (error) {
      refreshError = (error as Error).message.split('\n')[0];
      try {
        const cached = await withTimeout(refreshFromTuf(options, seeds, false), options.refreshTimeoutMs);
        ({ trustedRoot, npmKeys } = cached);
        trustedRootOrigin = npmKeysOrigin = 'tuf-cached';
      } catch {
        // No verified, unexpired cache either: the embedded copy stays, with the refresh's error.
      }
    }
  }
  if (options.trustedRootFile !== undefined) {
    trustedRoot = await readTrustFile(options.trustedRootFile, 'TRUSTED_ROOT_INVALID', '--trusted-root');
    trustedRootOrigin = 'file';
  }
  return { trustedRoot, trustedRootOrigin, npmKeys, npmKeysOrigin, ...(refreshError ? { refreshError } : {}) };
}

// Reads a trust file the user pointed at; its content is validated by the verify stage.
export async function readTrustFile(path: string, code: 'TRUSTED_ROOT_INVALID' | 'REGISTRY_KEYS_INVALID', flag: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (cause) {
    throw new ConfigError(code, `${path}: cannot be read (${(cause as NodeJS.ErrnoException).code ?? String(cause)})`, {
      file: path,
      field: flag,
      hint: `Pass an existing file to ${flag}.`,
    }, cause);
  }
}

// Online: a TUF refresh over npm's agent. Offline: the cached timestamp, snapshot and targets
// metadata alone, taken only when they verify and have not expired; a cache holding just the
// starting root (never refreshed) has no timestamp, so it fails here.
async function refreshFromTuf(options: TrustSourceOptions, seeds: unknown, online: boolean): Promise<{ trustedRoot: Buffer; npmKeys: Buffer }> {
  const mirrorUrl = options.tufMirror ?? SIGSTORE_TUF_MIRROR;
  const startingRoot = getSeedRoot(seeds, mirrorUrl);
  // tuf-js loads only when a refresh runs: a run with --trusted-root or --offline never needs it.
  const { getTufTargets } = await import('./tuf-client.js');
  const [trustedRoot, npmKeys] = await getTufTargets(
    {
      mirrorUrl,
      cacheDir: join(options.tufCacheDir, 'tuf'),
      ...(startingRoot === undefined ? {} : { startingRoot }),
      ...(online ? { npm: options.npm ?? { registry: 'https://registry.npmjs.org/' } } : {}),
      timeoutMs: options.refreshTimeoutMs,
    },
    ['trusted_root.json', NPM_KEYS_TARGET],
  );
  return { trustedRoot: trustedRoot as Buffer, npmKeys: npmKeys as Buffer };
}

// Never hang on an unreachable CDN: `npm audit signatures` waits ~70 s and dies where it is blocked.
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

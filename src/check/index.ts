import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import npmFetch from 'npm-registry-fetch';
import { ConfigError } from '../errors.js';
import { EvidenceCache } from '../registry/cache.js';
import { fetchEvidence, type FetchedEvidence } from '../registry/evidence.js';
import { FetchError } from '../registry/fetch-error.js';
import { RegistryHttp } from '../registry/http.js';
import { loadRegistryKeys, type RegistryKeysSource } from '../registry/keys.js';
import type { VersionManifest } from '../registry/manifest.js';
import { loadNpmSettings } from '../registry/npm-config.js';
import { loadTrustSource } from '../registry/trust-source.js';
import type { OmitType, PackageRef } from '../types.js';
import { createTrust, TrustMaterialError, verifyPackageEvidence, type Trust } from '../verify/index.js';
import { walkTree } from '../walk/index.js';
import { findSignatureStrippingRegistries, judgeBaseline, toVerdict } from './baseline.js';
import type { CheckFinding, CheckResult, PackageOutcome, RegistryTrust } from './types.js';

export type * from './types.js';

export interface CheckOptions {
  dir: string;
  omit: readonly OmitType[];
  registry?: string;
  registryKeysFile?: string;
  trustedRootFile?: string;
  concurrency: number;
  timeoutMs: number;
  retries: number;
  cacheDir?: string;
  offline: boolean;
  // The run's one clock reading: every time comparison of the run uses it.
  now: Date;
  tufMirror?: string;
  refreshTimeoutMs: number;
}

interface RegistryContext {
  summary: RegistryTrust;
  trust?: Trust;
  // Set when the registry's keys could not be had: every package of it is then unverifiable.
  failure?: CheckFinding;
}

// The gate: walk the tree, fetch and verify every registry package, judge by the baseline.
export async function runCheck(options: CheckOptions): Promise<CheckResult> {
  const projectDir = resolve(options.dir);
  const inventory = await walkTree(projectDir, { omit: options.omit });
  const settings = await loadNpmSettings(projectDir, options.registry === undefined ? {} : { registry: options.registry });
  const cacheDir = options.cacheDir ?? join(settings.npmCacheDir, '_verify-deps');
  const cache = new EvidenceCache(join(cacheDir, 'evidence'));
  const http = new RegistryHttp({ npm: settings.flat, concurrency: options.concurrency, timeoutMs: options.timeoutMs, retries: options.retries });
  const trustSource = await loadTrustSource({
    ...(options.trustedRootFile === undefined ? {} : { trustedRootFile: options.trustedRootFile }),
    ...(options.tufMirror === undefined ? {} : { tufMirror: options.tufMirror }),
    refresh: !options.offline && options.trustedRootFile === undefined,
    tufCacheDir: cacheDir,
    refreshTimeoutMs: options.refreshTimeoutMs,
  });

  const toCheck = inventory.packages.filter((ref) => ref.source === 'registry' && !ref.bundled);
  const registryOf = (ref: PackageRef): string => normaliseRegistry(npmFetch.pickRegistry(ref.name, settings.flat));
  const contexts = new Map<string, RegistryContext>();
  for (const registry of new Set(toCheck.map(registryOf))) {
    contexts.set(registry, await prepareRegistry(registry, { http, cache, options, trustSource }));
  }

  const warnings: string[] = [];
  const outcomes = await Promise.all(
    toCheck.map((ref) => {
      const registry = registryOf(ref);
      return checkPackage(ref, registry, contexts.get(registry) as RegistryContext, { http, cache, options, warnings });
    }),
  );
  const registries = [...contexts.values()].map((context) => context.summary);
  return {
    inventory,
    now: options.now.toISOString(),
    trust: {
      trustedRootOrigin: trustSource.trustedRootOrigin,
      trustedRootSha256: createHash('sha256').update(trustSource.trustedRoot).digest('hex'),
      ...(trustSource.refreshError === undefined ? {} : { refreshError: trustSource.refreshError }),
    },
    registries,
    packages: outcomes,
    coveredByBundle: inventory.packages.filter((ref) => ref.source === 'registry' && ref.bundled),
    nonRegistry: inventory.packages.filter((ref) => ref.source !== 'registry'),
    signatureStrippingRegistries: findSignatureStrippingRegistries(outcomes, registries),
    verdict: toVerdict(outcomes),
    warnings: [...new Set(warnings)],
    requests: http.stats.requests,
  };
}

async function prepareRegistry(
  registry: string,
  deps: { http: RegistryHttp; cache: EvidenceCache; options: CheckOptions; trustSource: Awaited<ReturnType<typeof loadTrustSource>> },
): Promise<RegistryContext> {
  const { http, cache, options, trustSource } = deps;
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
  try {
    const trust = createTrust({ trustedRoot: trustSource.trustedRoot, registryKeys: keys.document });
    return { summary: { registry, keysOrigin: keys.origin, publishesKeys }, trust };
  } catch (error) {
    if (error instanceof TrustMaterialError) {
      const file = error.code === 'TRUSTED_ROOT_INVALID' ? options.trustedRootFile : options.registryKeysFile;
      throw new ConfigError(error.code === 'TRUSTED_ROOT_INVALID' ? 'TRUSTED_ROOT_INVALID' : 'REGISTRY_KEYS_INVALID', `${file ?? registry}: ${error.message}`, {
        ...(file === undefined ? {} : { file }),
      }, error);
    }
    throw error;
  }
}

async function checkPackage(
  ref: PackageRef,
  registry: string,
  context: RegistryContext,
  deps: { http: RegistryHttp; cache: EvidenceCache; options: CheckOptions; warnings: string[] },
): Promise<PackageOutcome> {
  const { http, cache, options, warnings } = deps;
  if (context.failure || !context.trust) {
    return { ref, registry, fromCache: false, findings: [context.failure ?? { code: 'FETCH_FAILED', message: 'no trust for this registry' }] };
  }
  const trust = context.trust;
  let evidence: FetchedEvidence | undefined = await cache.getEvidence(registry, ref.name, ref.version, ref.integrity);
  const fromCache = evidence !== undefined;
  if (evidence === undefined) {
    if (options.offline) {
      return { ref, registry, fromCache, findings: [{ code: 'OFFLINE_CACHE_MISS', message: `--offline: no cached evidence for ${ref.name}@${ref.version}` }] };
    }
    try {
      evidence = await fetchEvidence(http, ref, (manifest, attestations) => needsPublishTime(manifest, attestations, trust));
    } catch (error) {
      if (!(error instanceof FetchError)) throw error;
      return { ref, registry, fromCache, findings: [{ code: 'FETCH_FAILED', message: error.message, details: { kind: error.kind, url: error.url } }] };
    }
  }
  const facts = verifyPackageEvidence(evidence, trust, options.now);
  const findings = judgeBaseline(facts, context.summary);
  if (findings.length === 0 && !fromCache) {
    await cache.putEvidence(registry, evidence).catch((error: Error) => warnings.push(`the evidence cache could not be written (${error.message.split('\n')[0]}); the next run fetches again`));
  }
  return { ref, registry, facts, fromCache, findings };
}

// A key with an end date can only be judged at the publish time. Without a publish attestation
// (whose log time is signed) that is the packument's `time`, which only the full packument
// carries: it is fetched only then.
function needsPublishTime(manifest: VersionManifest, attestations: unknown, trust: Trust): boolean {
  if (!manifest.signatures || hasPublishAttestation(attestations)) return false;
  const keys = trust.registryKeys.get('npm:signatures');
  return manifest.signatures.some((signature) => keys?.get(signature.keyid)?.validUntil !== undefined);
}

function hasPublishAttestation(document: unknown): boolean {
  const list = (document as { attestations?: unknown } | undefined)?.attestations;
  return Array.isArray(list) && list.some((entry) => String((entry as { predicateType?: unknown })?.predicateType).startsWith(NPM_PUBLISH_PREDICATE_PREFIX));
}

const NPM_PUBLISH_PREDICATE_PREFIX = 'https://github.com/npm/attestation/tree/main/specs/publish/';

function normaliseRegistry(registry: string): string {
  return registry.endsWith('/') ? registry : `${registry}/`;
}

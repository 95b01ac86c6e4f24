import { setMaxListeners } from 'node:events';
import { dirname, join, resolve } from 'node:path';
import pLimit from 'p-limit';
import { sha256Hex } from '../canonical-json.js';
import { EvidenceCache } from '../registry/cache.js';
import { RegistryHttp } from '../registry/http.js';
import { loadNpmSettings, withTrailingSlash } from '../registry/npm-config.js';
import { defaultStateDir, loadResultKey } from '../registry/result-key.js';
import { getPackageNameProblem } from '../registry/package-name.js';
import { loadTrustSource, type TrustSource } from '../registry/trust-source.js';
import type { HistoryNeed, NpmReleaseAge, PackageRef } from '../types.js';
import { assertFreshTrust, assertFreshTrustAllowed } from './fresh-trust.js';
import type { PackageEvidence, PackageFacts, ParsedTrust, Trust } from '../verify/index.js';
import { toRegistryKeys } from '../verify/trust/registry-keys.js';
import type { EvidenceSources } from '../registry/evidence.js';
import { FILES_IN_FLIGHT } from './installed-files.js';
import { readLockfileLocations } from './installed.js';
import { findStrayInstalled } from './installed-strays.js';
import { checkPackage, type PackageCheckDeps } from './package.js';
import { prepareRegistry, type RegistryContext } from './registry-context.js';
import { findSignatureStrippingRegistries } from './stripping.js';
import { VerifierPool } from './verifier-pool.js';
import type { ProjectTree } from './tree.js';
import type { CheckFinding, CheckResult, PackageOutcome } from './types.js';

export type * from './types.js';
export { readProjectTree, type ProjectTree, type TreeOptions } from './tree.js';

export interface CheckOptions {
  dir: string;
  // The tree to check, read by readProjectTree.
  tree: ProjectTree;
  registry?: string;
  // --attestations-registry: where attestations are fetched from when a package's registry (a
  // proxy) does not serve them; default the .npmrc setting, else none.
  attestationsRegistry?: string;
  registryKeysFile?: string;
  trustedRootFile?: string;
  concurrency: number;
  timeoutMs: number;
  retries: number;
  cacheDir?: string;
  // Where this machine's result key is kept (never in the cache: a result from the cache is
  // reused only when this key vouches for it); default defaultStateDir(process.env).
  stateDir?: string;
  offline: boolean;
  // The run's one clock reading: every time comparison of the run uses it.
  now: Date;
  tufMirror?: string;
  refreshTimeoutMs: number;
  // --require-fresh-trust: stop (TRUST_NOT_FRESH) unless the trust material came from a TUF
  // refresh, a TUF-verified cache or --trusted-root, never from the embedded copy alone.
  requireFreshTrust?: boolean;
  // Whether the judge reads this package's earlier versions or its registry publish time (npm's
  // release cooldown, from its configuration, given); fetched only then.
  wantsHistory?: (ref: PackageRef, facts: PackageFacts, npmReleaseAge: NpmReleaseAge | undefined) => boolean;
  // How surely it will, before the package's facts are known (never `never` where wantsHistory
  // may be true): the packument then replaces the version manifest, one request for both.
  historyNeed?: (ref: PackageRef, npmReleaseAge: NpmReleaseAge | undefined) => HistoryNeed;
  // Hash every tarball and compare it with the lockfile's integrity (TARBALL_DIGEST_MISMATCH).
  rehash?: boolean;
  // --installed: compare every installed file of every registry package with its verified
  // tarball (INSTALLED_TREE_MODIFIED, INSTALLED_PACKAGE_MISSING).
  installed?: boolean;
  // Told how far the run is: after the walk (done 0) and after each package is checked.
  onProgress?: (progress: CheckProgress) => void;
  // Verify in worker threads (the default); false verifies on the main thread.
  verifyInWorkers?: boolean;
  // --timeout: the whole run's deadline in milliseconds; what is not fetched and verified by
  // then is FETCH_FAILED (the gate fails closed with a partial report).
  deadlineMs?: number;
}

// Tarballs downloaded and hashed at once (--rehash, sha1-only pins): each is held whole, up to
// MAX_TARBALL_BYTES, until hashed, so a registry serving huge ones cannot exhaust memory.
const TARBALLS_IN_FLIGHT = 4;

export interface CheckProgress {
  // Distinct packages the walk found, and how many of them need checking against a registry.
  walked: number;
  total: number;
  // Packages whose evidence is in hand (fetched or cached), whose evidence was checked (whatever
  // the outcome: "verified" means only what getVerification says, and the policy decides that
  // after the run), and that are completely checked.
  fetched: number;
  checked: number;
  done: number;
}

// Gathers the facts: walks the tree, fetches and verifies every registry package. Judges nothing:
// the policy does (src/policy).
export async function runCheck(options: CheckOptions): Promise<CheckResult> {
  const projectDir = resolve(options.dir);
  const { inventory, lockfileSha256 } = options.tree;
  const settings = await loadNpmSettings(projectDir, {
    ...(options.registry === undefined ? {} : { registry: options.registry }),
    ...(options.attestationsRegistry === undefined ? {} : { attestationsRegistry: options.attestationsRegistry }),
  });
  const cacheDir = options.cacheDir ?? join(settings.npmCacheDir, '_verify-deps');
  const warnings: string[] = [];
  const resultKey = await loadResultKey(options.stateDir ?? defaultStateDir(process.env), [cacheDir, settings.npmCacheDir]);
  if ('problem' in resultKey) warnings.push(`${resultKey.problem}; verification results are not reused (the cached evidence is verified again)`);
  const cache = new EvidenceCache(join(cacheDir, 'evidence'), options.now, 'mac' in resultKey ? resultKey.mac : undefined);
  const deadline = options.deadlineMs === undefined ? undefined : AbortSignal.timeout(options.deadlineMs);
  // Every request in flight, every retry's wait and every package waiting on its verification
  // listens to the deadline, each removing its listener when done: at most a few per package in
  // flight (packageLimit below), far more than node's default of 10, which would warn of a leak.
  if (deadline !== undefined) setMaxListeners(options.concurrency * 8 + 16, deadline);
  const http = new RegistryHttp({
    npm: settings.flat,
    concurrency: options.concurrency,
    timeoutMs: options.timeoutMs,
    retries: options.retries,
    ...(deadline === undefined ? {} : { signal: deadline }),
  });
  assertFreshTrustAllowed(options);
  const trustSource = await loadTrustSource({
    ...(options.trustedRootFile === undefined ? {} : { trustedRootFile: options.trustedRootFile }),
    ...(options.tufMirror === undefined ? {} : { tufMirror: options.tufMirror }),
    refresh: !options.offline && options.trustedRootFile === undefined,
    tufCacheDir: cacheDir,
    npm: settings.flat,
    // The refresh is part of the run: it may not outlast the run's deadline.
    refreshTimeoutMs: Math.min(options.refreshTimeoutMs, options.deadlineMs ?? Number.POSITIVE_INFINITY),
  });
  if (options.requireFreshTrust) assertFreshTrust(trustSource, options);

  const fromRegistry = inventory.packages.filter((ref) => ref.source === 'registry' && !ref.bundled);
  // A name npm cannot parse is never fetched (no registry path or scope can be trusted from it):
  // it is a finding, judged with the rest.
  const unnamed = new Map<PackageRef, PackageOutcome>();
  for (const ref of fromRegistry) {
    const problem = getPackageNameProblem(ref.name);
    if (problem !== undefined) unnamed.set(ref, toUnnamedOutcome(ref, problem));
  }
  const toCheck = fromRegistry.filter((ref) => !unnamed.has(ref));
  const registryOf = (ref: PackageRef): string => withTrailingSlash(http.registryFor(ref.name));
  const pool = options.verifyInWorkers === false ? undefined : new VerifierPool();
  const verifyHere = verifierInThisThread(options.now);
  // At the deadline the workers are stopped mid-verification: the run ends with what is done.
  const stopPool = () => void pool?.close();
  deadline?.addEventListener('abort', stopPool, { once: true });
  // Every registry's keys are requested at once, and the cache's indexes are read while the
  // requests are in flight: on a warm run the keys are the only request, and their round trip
  // would otherwise be idle time. A registry's failure is reported as when they were fetched one
  // by one: the first registry's, in the tree's order.
  const registryUrls = [...new Set(toCheck.map(registryOf))];
  const preparing = registryUrls.map((registry) => prepareRegistry(registry, { http, cache, trustSource, options }));
  await Promise.all(registryUrls.map((registry) => cache.loadIndex(registry)));
  const prepared = await Promise.allSettled(preparing);
  const contexts = new Map<string, RegistryContext>();
  for (const [i, registry] of registryUrls.entries()) {
    const result = prepared[i] as PromiseSettledResult<RegistryContext>;
    if (result.status === 'rejected') throw result.reason;
    const context = result.value;
    if (pool !== undefined && context.trustDocuments !== undefined) context.trustId = pool.addTrust(context.trustDocuments);
    contexts.set(registry, context);
  }

  const progress: CheckProgress = { walked: inventory.packages.length, total: toCheck.length, fetched: 0, checked: 0, done: 0 };
  const report = (stage?: 'fetched' | 'checked' | 'done') => {
    if (stage !== undefined) progress[stage]++;
    options.onProgress?.({ ...progress });
  };
  report();
  const installed = options.installed ? await toInstalledDeps(projectDir, options.tree) : undefined;
  const strayInstalled = installed === undefined ? undefined : await findStrayInstalled(installed.rootDir, installed.lockfileLocations);
  const deps = {
    http,
    cache,
    evidenceSources: toEvidenceSources(settings.attestationsRegistry, trustSource),
    offline: options.offline,
    now: options.now,
    wantsHistory: (ref: PackageRef, facts: PackageFacts) => options.wantsHistory?.(ref, facts, settings.releaseAge) ?? false,
    historyNeed: (ref: PackageRef): HistoryNeed => options.historyNeed?.(ref, settings.releaseAge) ?? 'never',
    rehash: options.rehash ?? false,
    ...(installed === undefined ? {} : { installed }),
    tarballs: pLimit(TARBALLS_IN_FLIGHT),
    npmCacheDir: settings.npmCacheDir,
    warnings,
    onStage: (stage: 'fetched' | 'verified') => report(stage === 'verified' ? 'checked' : stage),
    ...(deadline === undefined ? {} : { signal: deadline }),
    verify: (evidence: PackageEvidence, context: RegistryContext): Promise<PackageFacts> =>
      pool !== undefined && context.trustId !== undefined
        ? pool.verify(context.trustId, evidence, options.now)
        : verifyHere(evidence, context.trust as ParsedTrust),
  };
  // Packages are taken a few at a time (twice the requests in flight): started all at once,
  // every package's first request would queue before any package's second, and verification
  // would wait for the last manifest.
  const packageLimit = pLimit(options.concurrency * 2);
  const checked = await Promise.all(
    toCheck.map((ref) =>
      packageLimit(async () => {
        const registry = registryOf(ref);
        const outcome = await checkPackage(ref, registry, contexts.get(registry) as RegistryContext, deps);
        report('done');
        return outcome;
      }),
    ),
  ).finally(() => {
    deadline?.removeEventListener('abort', stopPool);
    return pool?.close();
  });
  const outcomes = [...checked, ...unnamed.values()];
  await cache.save().catch((error: Error) => {
    warnings.push(`the evidence cache could not be written (${error.message.split('\n')[0]}); the next run fetches again`);
  });
  const registries = [...contexts.values()].map((context) => context.summary);
  return {
    inventory,
    now: options.now.toISOString(),
    trust: {
      trustedRootOrigin: trustSource.trustedRootOrigin,
      trustedRootSha256: sha256Hex(trustSource.trustedRoot),
      ...(trustSource.refreshError === undefined ? {} : { refreshError: trustSource.refreshError }),
    },
    trustedLogs: toTrustedLogs(trustSource),
    lockfileSha256,
    registries,
    packages: outcomes,
    coveredByBundle: inventory.packages.filter((ref) => ref.source === 'registry' && ref.bundled),
    nonRegistry: inventory.packages.filter((ref) => ref.source !== 'registry'),
    signatureStrippingRegistries: findSignatureStrippingRegistries(outcomes, registries),
    warnings: [...new Set(warnings)],
    requests: http.stats.requests,
    ...(settings.releaseAge === undefined ? {} : { npmReleaseAge: settings.releaseAge }),
    ...(strayInstalled === undefined ? {} : { strayInstalled }),
  };
}

// Verification on this thread (no worker pool): the verify stage and each registry's trust are
// loaded and built on the first package verified, as the workers do, so that a run whose results
// are all reused never loads @sigstore/verify.
function verifierInThisThread(now: Date): (evidence: PackageEvidence, parsed: ParsedTrust) => Promise<PackageFacts> {
  let stage: Promise<typeof import('../verify/index.js')> | undefined;
  const trusts = new Map<ParsedTrust, Trust>();
  return async (evidence, parsed) => {
    const verify = await (stage ??= import('../verify/index.js'));
    let trust = trusts.get(parsed);
    if (trust === undefined) {
      trust = verify.toTrust(parsed);
      trusts.set(parsed, trust);
    }
    return verify.verifyPackageEvidence(evidence, trust, now);
  };
}

// Where the lockfile's locations are, and every location it records: the lockfile's own
// entries (omitted and unselected ones too) and the walk's.
async function toInstalledDeps(projectDir: string, tree: ProjectTree): Promise<NonNullable<PackageCheckDeps['installed']>> {
  const lockfile = join(projectDir, tree.inventory.lockfile);
  const lockfileLocations = await readLockfileLocations(lockfile);
  for (const ref of tree.inventory.packages) for (const location of ref.locations) lockfileLocations.add(location);
  // One bound on the files read at once for the whole run, however many packages are in flight.
  return { rootDir: dirname(lockfile), lockfileLocations, files: pLimit(FILES_IN_FLIGHT * 2) };
}

// The logs of the trusted root, by key id, so that a policy can pin a log by its base URL.
function toTrustedLogs(trustSource: TrustSource): Array<{ logId: string; baseUrl: string }> {
  const root = JSON.parse(trustSource.trustedRoot.toString('utf8')) as { tlogs?: Array<{ baseUrl?: string; logId?: { keyId?: string } }> };
  return (root.tlogs ?? []).flatMap((log) => (log.baseUrl && log.logId?.keyId ? [{ logId: log.logId.keyId, baseUrl: log.baseUrl }] : []));
}

// Where evidence comes from besides each package's registry, and npm's keyids, which say which
// packages npm signed (only those are asked about when their manifest advertises nothing).
function toEvidenceSources(attestationsRegistry: string | undefined, trustSource: TrustSource): EvidenceSources {
  if (attestationsRegistry === undefined) return {};
  const npmKeyids = new Set(toRegistryKeys(JSON.parse(trustSource.npmKeys.toString('utf8'))).map((key) => key.keyid));
  return { attestationsRegistry, npmKeyids };
}

function toUnnamedOutcome(ref: PackageRef, problem: string): PackageOutcome {
  const finding: CheckFinding = {
    code: 'PACKAGE_NAME_INVALID',
    message: `expected a package name npm accepts, got ${JSON.stringify(ref.name)} (${problem})`,
    details: { name: ref.name },
  };
  return { ref, registry: null, fromCache: false, findings: [finding] };
}

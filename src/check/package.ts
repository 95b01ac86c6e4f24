import type { CachedPackage, EvidenceCache } from '../registry/cache.js';
import { fetchEvidence, type EvidenceSources, type FetchedEvidence } from '../registry/evidence.js';
import { FetchError } from '../registry/fetch-error.js';
import { fetchVersionHistory, type VersionHistory } from '../registry/history.js';
import type { RegistryHttp } from '../registry/http.js';
import type { VersionManifest } from '../registry/manifest.js';
import type { PackageRef } from '../types.js';
import type { PackageFacts, Trust } from '../verify/index.js';
import { beforeDeadline, DeadlineExpiredError, toDeadlineFinding } from './deadline.js';
import type { RegistryContext } from './registry-context.js';
import { rehashPackage } from './rehash.js';
import type { CheckFinding, PackageOutcome } from './types.js';

export interface PackageCheckDeps {
  http: RegistryHttp;
  cache: EvidenceCache;
  // Where attestations come from besides the package's registry (--attestations-registry).
  evidenceSources?: EvidenceSources;
  offline: boolean;
  now: Date;
  // Whether the judge will read this package's earlier versions (trust-downgrade rule).
  wantsHistory: (ref: PackageRef, facts: PackageFacts) => boolean;
  // --rehash: hash the tarball's bytes and compare them with the lockfile's integrity.
  rehash: boolean;
  npmCacheDir: string;
  warnings: string[];
  // Told when this package's evidence is in hand, and when it is verified (progress).
  onStage?: (stage: 'fetched' | 'verified') => void;
  // Verifies evidence (in a worker thread when there is a pool); rejects when it cannot.
  verify: (evidence: FetchedEvidence, context: RegistryContext) => Promise<PackageFacts>;
  // The run's deadline (--timeout): verification not done by then is not waited for.
  signal?: AbortSignal;
}

// Gets one registry package's evidence (cache, else registry; never the registry with
// --offline), verifies it, and fetches its version history when the judge needs it. Every
// failure to get evidence is a finding: the package is never silently skipped.
export async function checkPackage(ref: PackageRef, registry: string, context: RegistryContext, deps: PackageCheckDeps): Promise<PackageOutcome> {
  const base = { ref, registry };
  if (context.failure || !context.trust) {
    return { ...base, fromCache: false, findings: [context.failure ?? { code: 'FETCH_FAILED', message: 'no trust for this registry' }] };
  }
  const trust = context.trust;
  const source = evidenceSource(registry, deps.evidenceSources);
  const cached = await deps.cache.lookup(source, ref.name, ref.version, ref.integrity);
  const reused = cached === undefined ? undefined : reusableFacts(cached, trust, deps);
  // Evidence is read (or fetched) unless a verification result of it can be reused; --rehash
  // needs the manifest's tarball path either way.
  let evidence: FetchedEvidence | undefined;
  let fetched = false;
  if (reused === undefined || deps.rehash) {
    evidence = cached === undefined ? undefined : forPackage(await deps.cache.getEvidence(cached.evidence), ref);
    if (evidence === undefined) {
      if (deps.offline) return { ...base, fromCache: false, findings: [offlineMiss(`evidence of ${ref.name}@${ref.version}`)] };
      try {
        evidence = await fetchEvidence(deps.http, ref, (manifest, attestations) => needsPublishTime(manifest, attestations, trust), deps.evidenceSources);
        fetched = true;
      } catch (error) {
        return { ...base, fromCache: false, findings: [toFetchFinding(error)] };
      }
    }
  }
  const fromCache = !fetched;
  deps.onStage?.('fetched');
  let facts: PackageFacts;
  try {
    // A result is reused only for the stored evidence it was verified from: evidence fetched
    // anew (the stored copy unreadable) is verified anew.
    facts = reused !== undefined && !fetched ? reused : await beforeDeadline(deps.signal, () => deps.verify(evidence as FetchedEvidence, context));
  } catch (error) {
    // Past the deadline the workers are stopped: what they held is unverified, not broken.
    if (error instanceof DeadlineExpiredError || deps.signal?.aborted) return { ...base, fromCache, findings: [toDeadlineFinding(ref.name, ref.version)] };
    // Verification that could not run is not a result: the package stays unverified.
    return { ...base, fromCache, findings: [{ code: 'VERIFICATION_ERROR', message: `expected the evidence to be verified, got: ${(error as Error).message}` }] };
  }
  deps.onStage?.('verified');
  const repository = evidence === undefined ? cached?.repository : evidence.manifest.repository;
  const outcome: PackageOutcome = {
    ...base,
    facts,
    fromCache,
    findings: [...facts.findings],
    ...(repository === undefined ? {} : { declaredRepository: repository }),
  };
  if (deps.rehash && evidence !== undefined) {
    const { rehashed, finding } = await rehashPackage(ref, evidence.manifest, deps);
    if (rehashed !== undefined) outcome.rehashed = rehashed;
    if (finding !== undefined) outcome.findings.push(finding);
  }
  if (deps.wantsHistory(ref, facts)) {
    const history = await getHistory(ref, registry, deps);
    if ('finding' in history) outcome.findings.push(history.finding);
    else outcome.history = history.entries;
  }
  if ((reused === undefined || fetched) && evidence !== undefined && isWorthCaching(facts, context)) cacheVerified(source, ref, evidence, fetched ? undefined : cached, facts, trust, deps);
  return outcome;
}

async function getHistory(ref: PackageRef, registry: string, deps: PackageCheckDeps): Promise<{ entries: VersionHistory } | { finding: CheckFinding }> {
  const cached = await deps.cache.getHistory(registry, ref.name, ref.version);
  if (cached !== undefined) return { entries: cached };
  if (deps.offline) return { finding: offlineMiss(`the version history of ${ref.name}`) };
  try {
    const entries = await fetchVersionHistory(deps.http, ref.name, ref.version);
    // What was published before a version does not change (unpublishing aside): its history is cached.
    deps.cache.recordHistory(registry, ref.name, ref.version, entries);
    return { entries };
  } catch (error) {
    return { finding: toFetchFinding(error) };
  }
}

// The cache's name for where evidence came from: evidence gathered without an attestations
// registry is not reused when one is named (it may lack what that registry serves).
function evidenceSource(registry: string, sources: EvidenceSources | undefined): string {
  return sources?.attestationsRegistry === undefined ? registry : `${registry} attestations from ${sources.attestationsRegistry}`;
}

// Caches evidence that verified (unless it is stored already) and its verification result.
function cacheVerified(registry: string, ref: PackageRef, evidence: FetchedEvidence, cached: CachedPackage | undefined, facts: PackageFacts, trust: Trust, deps: PackageCheckDeps): void {
  deps.cache.record(
    registry,
    ref.name,
    ref.version,
    ref.integrity,
    {
      ...(evidence.manifest.repository === undefined ? {} : { repository: evidence.manifest.repository }),
      verified: { trustDigest: trustDigest(trust), verifiedAt: deps.now.toISOString(), facts },
    },
    cached?.evidence ?? evidence,
  );
}

// The verification result of the same stored evidence under the same trust material, reused
// only when this run's clock is not earlier than the clock it was verified at: every check of a
// verified result is then still true (a timestamp cannot have moved into the future, and keys
// are judged at the publish time, not now).
function reusableFacts(cached: CachedPackage, trust: Trust, deps: PackageCheckDeps): PackageFacts | undefined {
  const verified = cached.verified;
  if (verified === undefined || verified.trustDigest !== trustDigest(trust) || !(Date.parse(verified.verifiedAt) <= deps.now.getTime())) return undefined;
  return verified.facts as PackageFacts;
}

// Stored evidence is verified as the evidence of the package the lockfile names, whatever it
// says it is for: evidence copied under a forged integrity must be checked against the forged
// integrity (and fail), not against the genuine one it carries.
function forPackage(evidence: FetchedEvidence | undefined, ref: PackageRef): FetchedEvidence | undefined {
  return evidence === undefined ? undefined : { ...evidence, name: ref.name, version: ref.version, lockfileIntegrity: ref.integrity };
}

// npm's keys count when they were accepted: a result verified with them is not reused without.
function trustDigest(trust: Trust): string {
  const { trustedRoot, registryKeys, npmKeys } = trust.digests;
  return npmKeys === undefined ? `${trustedRoot}:${registryKeys}` : `${trustedRoot}:${registryKeys}:${npmKeys}`;
}

// Only evidence that verified is cached: a failure is fetched again next time, in case the
// registry has mended it, and never mistaken for a result.
function isWorthCaching(facts: PackageFacts, context: RegistryContext): boolean {
  return facts.findings.every((f) => f.code === 'SIGNATURE_MISSING' && !context.summary.publishesKeys);
}

function offlineMiss(what: string): CheckFinding {
  return { code: 'OFFLINE_CACHE_MISS', message: `--offline: the cache does not hold the ${what}` };
}

function toFetchFinding(error: unknown): CheckFinding {
  if (!(error instanceof FetchError)) throw error;
  return { code: error.kind === 'too-large' ? 'INPUT_TOO_LARGE' : 'FETCH_FAILED', message: error.message, details: { kind: error.kind, url: error.url } };
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

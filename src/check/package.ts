import type { LimitFunction } from 'p-limit';
import type { CachedPackage, EvidenceCache } from '../registry/cache.js';
import { fetchEvidence, type EvidenceSources, type FetchedEvidence } from '../registry/evidence.js';
import { fetchPackument, readVersionHistory, type VersionHistory } from '../registry/history.js';
import type { RegistryHttp } from '../registry/http.js';
import type { VersionManifest } from '../registry/manifest.js';
import { isSha1OnlyPin } from '../sri/index.js';
import type { HistoryNeed, PackageRef } from '../types.js';
import type { PackageFacts, TrustKeys } from '../verify/index.js';
import { beforeDeadline, DeadlineExpiredError, toDeadlineFinding } from './deadline.js';
import { offlineMiss, toFetchFinding } from './fetch-finding.js';
import type { RegistryContext } from './registry-context.js';
import { checkInstalledPackage, type InstalledDeps } from './installed.js';
import { rehashPackage } from './rehash.js';
import { bindSha1Pin, toWeakPinFinding } from './weak-pin.js';
import type { CheckFinding, PackageOutcome } from './types.js';

export interface PackageCheckDeps {
  http: RegistryHttp;
  cache: EvidenceCache;
  // Where attestations come from besides the package's registry (--attestations-registry).
  evidenceSources?: EvidenceSources;
  offline: boolean;
  now: Date;
  // Whether the judge will read this package's earlier versions (trust-downgrade rule) or its
  // registry publish time (release cooldown).
  wantsHistory: (ref: PackageRef, facts: PackageFacts) => boolean;
  // How surely it will, before its facts are known: the packument is then fetched in place of
  // the version manifest, so that the history costs no second request.
  historyNeed: (ref: PackageRef) => HistoryNeed;
  // --rehash: hash the tarball's bytes and compare them with the lockfile's integrity.
  rehash: boolean;
  // --installed: where the lockfile's locations are, to compare each with the tarball.
  installed?: Pick<InstalledDeps, 'rootDir' | 'lockfileLocations' | 'onFileHashed' | 'files'>;
  // Bounds the tarballs held in memory at once (each up to MAX_TARBALL_BYTES until hashed).
  tarballs?: LimitFunction;
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
// --offline), verifies it, and gets its version history when the judge needs it (in the same
// request as the evidence when the policy may need it). Every failure to get evidence is a
// finding: the package is never silently skipped.
export async function checkPackage(ref: PackageRef, registry: string, context: RegistryContext, deps: PackageCheckDeps): Promise<PackageOutcome> {
  const base = { ref, registry };
  if (context.failure || !context.trust) {
    return { ...base, fromCache: false, findings: [context.failure ?? { code: 'FETCH_FAILED', message: 'no trust for this registry' }] };
  }
  const trust = context.trust;
  const source = evidenceSource(registry, deps.evidenceSources);
  // A sha1-only pin is bound to the evidence through the tarball's bytes (bindSha1Pin).
  const sha1Pin = isSha1OnlyPin(ref.integrity) ? (ref.integrity as string) : undefined;
  const cached = await deps.cache.lookup(source, ref.name, ref.version, ref.integrity);
  let reused = cached === undefined ? undefined : reusableFacts(cached, trust, deps);
  // Security: the sha512 of a sha1-pinned tarball is reused only inside a result this machine's
  // MAC vouches for (reusableFacts); --rehash wants the bytes hashed again, so it downloads.
  if (sha1Pin !== undefined && (deps.rehash || reused?.integrity.bound === undefined)) reused = undefined;
  // Evidence is read (or fetched) unless a verification result of it can be reused; --rehash
  // and --installed need the manifest's tarball path either way.
  let evidence: FetchedEvidence | undefined;
  let history: VersionHistory | undefined;
  let fetched = false;
  if (reused === undefined || deps.rehash || deps.installed !== undefined) {
    evidence = cached === undefined ? undefined : forPackage(await deps.cache.getEvidence(cached.evidence), ref);
    if (evidence === undefined) {
      if (deps.offline) return { ...base, fromCache: false, findings: [offlineMiss(`evidence of ${ref.name}@${ref.version}`)] };
      try {
        const withHistory = await shouldFetchPackument(ref, registry, deps);
        const got = await fetchEvidence(deps.http, ref, (manifest, attestations) => needsPublishTime(manifest, attestations, trust), deps.evidenceSources, withHistory);
        ({ evidence, history } = got);
        if (got.packumentBytes !== undefined) deps.cache.recordPackumentBytes(registry, ref.name, got.packumentBytes);
        fetched = true;
      } catch (error) {
        return { ...base, fromCache: false, findings: [toFetchFinding(error)] };
      }
    }
  }
  const fromCache = !fetched;
  deps.onStage?.('fetched');
  // A result is reused only for the stored evidence it was verified from: evidence fetched anew
  // (the stored copy unreadable) is verified anew.
  const verifyAnew = reused === undefined || fetched;
  let bound: string | undefined;
  if (sha1Pin !== undefined && verifyAnew) {
    const manifest = (evidence as FetchedEvidence).manifest;
    const binding = await inTarballSlot(deps, () => bindSha1Pin({ ...ref, integrity: sha1Pin }, manifest, deps));
    if ('finding' in binding) return { ...base, fromCache, findings: [binding.finding] };
    bound = binding.bound;
  }
  let facts: PackageFacts;
  try {
    // The computed sha512 goes to verification beside the evidence, never into it: the evidence
    // is what the cache stores, and a stored digest must not become an anchor.
    const toVerify = bound === undefined ? (evidence as FetchedEvidence) : { ...(evidence as FetchedEvidence), boundIntegrity: bound };
    facts = verifyAnew ? await beforeDeadline(deps.signal, () => deps.verify(toVerify, context)) : (reused as PackageFacts);
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
  if (sha1Pin !== undefined && facts.integrity.bound !== undefined) {
    outcome.findings.push(toWeakPinFinding(sha1Pin, facts.integrity.bound));
    // The tarball was hashed here, this run: what --rehash would have done.
    if (bound !== undefined) outcome.rehashed = bound;
  } else if (deps.rehash && evidence !== undefined) {
    const manifest = evidence.manifest;
    const { rehashed, finding } = await inTarballSlot(deps, () => rehashPackage(ref, manifest, deps));
    if (rehashed !== undefined) outcome.rehashed = rehashed;
    if (finding !== undefined) outcome.findings.push(finding);
  }
  if (deps.installed !== undefined && evidence !== undefined) {
    const installedDeps: InstalledDeps = { ...deps, ...deps.installed, inTarballSlot: (task) => inTarballSlot(deps, task) };
    outcome.findings.push(...(await checkInstalledPackage(ref, evidence.manifest, facts.integrity.bound, installedDeps)));
  }
  if (deps.wantsHistory(ref, facts)) {
    const found = history === undefined ? await getHistory(ref, registry, deps) : { entries: history };
    if ('finding' in found) outcome.findings.push(found.finding);
    else outcome.history = found.entries;
  }
  // What was published before a version does not change (unpublishing aside): its history is cached.
  if (history !== undefined) deps.cache.recordHistory(registry, ref.name, ref.version, history);
  if ((reused === undefined || fetched) && evidence !== undefined && isWorthCaching(facts, context)) cacheVerified(source, ref, evidence, fetched ? undefined : cached, facts, trust, deps);
  return outcome;
}

// A packument this large (as read, decoded) is fetched only when the history is surely needed:
// where the verified facts may make it unneeded, the version manifest (a few KB) comes first.
// Real packuments run from a few KB to tens of MB (every version ever published, with readmes).
const HUGE_PACKUMENT_BYTES = 4 * 1024 * 1024;

// Whether to fetch the packument in place of the version manifest: where the history will surely
// be read and is not cached; where it may be, unless the last read of the packument found it huge.
async function shouldFetchPackument(ref: PackageRef, registry: string, deps: PackageCheckDeps): Promise<boolean> {
  const need = deps.historyNeed(ref);
  if (need === 'never' || (await deps.cache.getHistory(registry, ref.name, ref.version)) !== undefined) return false;
  if (need === 'always') return true;
  const bytes = await deps.cache.getPackumentBytes(registry, ref.name);
  return bytes === undefined || bytes < HUGE_PACKUMENT_BYTES;
}

function inTarballSlot<T>(deps: PackageCheckDeps, task: () => Promise<T>): Promise<T> {
  return deps.tarballs === undefined ? task() : deps.tarballs(task);
}

async function getHistory(ref: PackageRef, registry: string, deps: PackageCheckDeps): Promise<{ entries: VersionHistory } | { finding: CheckFinding }> {
  const cached = await deps.cache.getHistory(registry, ref.name, ref.version);
  if (cached !== undefined) return { entries: cached };
  if (deps.offline) return { finding: offlineMiss(`the version history of ${ref.name}`) };
  try {
    const packument = await fetchPackument(deps.http, ref.name);
    const entries = readVersionHistory(packument, ref.version);
    deps.cache.recordHistory(registry, ref.name, ref.version, entries);
    deps.cache.recordPackumentBytes(registry, ref.name, packument.bytes);
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
function cacheVerified(registry: string, ref: PackageRef, evidence: FetchedEvidence, cached: CachedPackage | undefined, facts: PackageFacts, trust: TrustKeys, deps: PackageCheckDeps): void {
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
function reusableFacts(cached: CachedPackage, trust: TrustKeys, deps: PackageCheckDeps): PackageFacts | undefined {
  const verified = cached.verified;
  if (verified === undefined || verified.trustDigest !== trustDigest(trust) || !(Date.parse(verified.verifiedAt) <= deps.now.getTime())) return undefined;
  return verified.facts as PackageFacts;
}

// Stored evidence is verified as the evidence of the package the lockfile names, whatever it
// says it is for: evidence copied under a forged integrity must be checked against the forged
// integrity (and fail), not against the genuine one it carries.
// A digest stored beside it (boundIntegrity) is dropped: only this run's hashing sets one.
function forPackage(evidence: FetchedEvidence | undefined, ref: PackageRef): FetchedEvidence | undefined {
  if (evidence === undefined) return undefined;
  const copy: FetchedEvidence = { ...evidence, name: ref.name, version: ref.version, lockfileIntegrity: ref.integrity };
  delete copy.boundIntegrity;
  return copy;
}

// npm's keys count when they were accepted: a result verified with them is not reused without.
function trustDigest(trust: TrustKeys): string {
  const { trustedRoot, registryKeys, npmKeys } = trust.digests;
  return npmKeys === undefined ? `${trustedRoot}:${registryKeys}` : `${trustedRoot}:${registryKeys}:${npmKeys}`;
}

// Only evidence that verified is cached: a failure is fetched again next time, in case the
// registry has mended it, and never mistaken for a result.
function isWorthCaching(facts: PackageFacts, context: RegistryContext): boolean {
  return facts.findings.every((f) => f.code === 'SIGNATURE_MISSING' && !context.summary.publishesKeys);
}

// A key with an end date can only be judged at the publish time. Without a publish attestation
// (whose log time is signed) that is the packument's `time`, which only the full packument
// carries: it is fetched only then.
function needsPublishTime(manifest: VersionManifest, attestations: unknown, trust: TrustKeys): boolean {
  if (!manifest.signatures || hasPublishAttestation(attestations)) return false;
  const keys = trust.registryKeys.get('npm:signatures');
  return manifest.signatures.some((signature) => keys?.get(signature.keyid)?.validUntil !== undefined);
}

function hasPublishAttestation(document: unknown): boolean {
  const list = (document as { attestations?: unknown } | undefined)?.attestations;
  return Array.isArray(list) && list.some((entry) => String((entry as { predicateType?: unknown })?.predicateType).startsWith(NPM_PUBLISH_PREDICATE_PREFIX));
}

const NPM_PUBLISH_PREDICATE_PREFIX = 'https://github.com/npm/attestation/tree/main/specs/publish/';

// Trust downgrades, judged by publish time as pnpm's `trustPolicy: no-downgrade` does: a version
// published after another version of the package carried provenance (or a publish attestation),
// and carrying none verified itself. The signature of a hijacked maintainer account publishing
// from a laptop instead of CI, whatever version number it picks: `0.9.1` published after `1.0.0`
// adopted provenance is as much a downgrade as `1.0.1`. Publish time supersedes version order,
// which also flagged a release older than the provenance it was compared with (a later backport
// to an older line); version order decides only where the times cannot. Above provenance, pnpm's
// ranking of how a version was published (publishing.ts): a token publish after a trusted
// publisher's, or a trusted publisher's after a staged publish a person approved, is a downgrade
// too, per the packument's unsigned `_npmUser` claims.

import semver from 'semver';
import type { PackageFacts } from '../verify/types.js';
import { verifiedOf, type RawFinding } from './evidence.js';
import { getJudgedTime, type JudgedTime } from './publish-time.js';
import { getEarlierLevel, getJudgedLevel, PUBLISHING_RANK, toPublishedBy, type PublishingLevel } from './publishing.js';
import type { NormalizedPolicy, PolicySubject, VersionHistory, VersionHistoryEntry } from './types.js';

// Whether evaluation would read this package's history: a registry package, unless its signed
// publish time puts it outside the policy's ignore window. Every other one can be a downgrade:
// only the packument says whether it was a staged publish (the one level nothing outranks), so
// it is fetched even for a version with verified provenance and publish attestation.
export function needsHistory(subject: Pick<PolicySubject, 'ref' | 'facts'>, policy: NormalizedPolicy, now: Date): boolean {
  if (!mayNeedHistory(subject.ref, policy) || subject.facts === undefined) return false;
  const signed = subject.facts.publishTime?.signed === true ? Date.parse(subject.facts.publishTime.value) : Number.NaN;
  return !(Number.isFinite(signed) && isPastWindow(signed, policy, now));
}

// Whether evaluation may read this package's history, before its facts are known: needsHistory
// is true only where this is.
export function mayNeedHistory(ref: PolicySubject['ref'], policy: NormalizedPolicy): boolean {
  return policy.downgrade !== 'off' && ref.source === 'registry' && !ref.bundled;
}

// pnpm's `trustPolicyIgnoreAfter`: a version published longer ago than the window is not judged.
function isPastWindow(publishedAt: number, policy: NormalizedPolicy, now: Date): boolean {
  const minutes = policy.downgradeIgnoreAfterMinutes;
  return minutes !== null && now.getTime() - publishedAt > minutes * 60_000;
}

// How an earlier version was found to be earlier: by the registry's publish times, or, without
// two distinct times, by version order.
type Order = 'publish-time' | 'version';

const LOST = [
  { key: 'provenance', role: 'provenance', what: 'provenance' },
  { key: 'publishAttestation', role: 'publish', what: 'a publish attestation' },
] as const;

// Checks the history for a downgrade; none when the history was not fetched, or when the judged
// version was published before the ignore window (a version without a known time is judged).
export function checkDowngrade(subject: PolicySubject, facts: PackageFacts, policy: NormalizedPolicy, now: Date): RawFinding[] {
  if (policy.downgrade === 'off' || subject.history === undefined) return [];
  const { name, version } = subject.ref;
  const judged = getJudgedTime(facts, subject.history);
  if (judged !== undefined && isPastWindow(judged.at, policy, now)) return [];
  // pnpm's rule: a release is not judged by prereleases (a CI-built beta does not commit the
  // release line to CI); a prerelease is judged by every earlier version.
  const isRelease = !isPrerelease(version);
  const candidates = subject.history.versions.filter((h) => h.version !== version && !(isRelease && isPrerelease(h.version)));
  const findings: RawFinding[] = [];
  for (const { key, role, what } of LOST) {
    if (verifiedOf(facts, role).length > 0) continue;
    const last = lastEarlier(candidates.filter((h) => h[key]), version, judged);
    if (last === undefined) continue;
    const { entry, order } = last;
    findings.push({
      code: 'TRUST_DOWNGRADE',
      detail: `expected ${what} as ${name}@${entry.version} had, got none verified; ${describeOrder(name, version, entry, order, judged)}`,
      details: {
        lost: key,
        order,
        earlierVersion: entry.version,
        ...(entry.publishedAt === undefined ? {} : { earlierPublishedAt: entry.publishedAt }),
        ...(judged === undefined ? {} : { publishedAt: judged.value, publishedAtSource: judged.source }),
      },
      ...(policy.downgrade === 'warn' ? { audit: true } : {}),
    });
  }
  const publishing = checkPublishingDowngrade(subject, facts, subject.history, candidates, judged);
  if (publishing !== undefined) findings.push({ ...publishing, ...(policy.downgrade === 'warn' ? { audit: true } : {}) });
  return findings;
}

const LOST_PUBLISHING = {
  'staged-publish': { key: 'stagedPublish', what: 'a staged publish approved by a person' },
  'trusted-publisher': { key: 'trustedPublisher', what: 'trusted publishing' },
} as const;

// The levels above provenance (provenance itself is judged above): the strongest level an earlier
// version claims above the judged version's, and the version published last with it.
function checkPublishingDowngrade(subject: PolicySubject, facts: PackageFacts, history: VersionHistory, candidates: VersionHistoryEntry[], judged: JudgedTime | undefined): RawFinding | undefined {
  const { name, version } = subject.ref;
  const own = getJudgedLevel(facts, history.publishing);
  let strongest: PublishingLevel | undefined;
  for (const entry of candidates) {
    const level = getEarlierLevel(entry);
    if (PUBLISHING_RANK[level] >= PUBLISHING_RANK['trusted-publisher'] && PUBLISHING_RANK[level] > PUBLISHING_RANK[strongest ?? own]) strongest = level;
  }
  if (strongest !== 'staged-publish' && strongest !== 'trusted-publisher') return undefined;
  const last = lastEarlier(candidates.filter((h) => getEarlierLevel(h) === strongest), version, judged);
  if (last === undefined) return undefined;
  const { entry, order } = last;
  const { key, what } = LOST_PUBLISHING[strongest];
  return {
    code: 'TRUST_DOWNGRADE',
    detail: `expected ${what} as ${name}@${entry.version} had (per the registry's unsigned metadata), got ${describeLevel(own)}; ${describeOrder(name, version, entry, order, judged)}`,
    details: {
      lost: key,
      order,
      earlierVersion: entry.version,
      earlierEvidence: strongest,
      ...(entry.publishedAt === undefined ? {} : { earlierPublishedAt: entry.publishedAt }),
      evidence: own,
      publishedBy: toPublishedBy(history.publishing),
      ...(judged === undefined ? {} : { publishedAt: judged.value, publishedAtSource: judged.source }),
      // Whether each version was published by a trusted publisher or staged is the packument's
      // `_npmUser`, which nothing signs; only the judged version's provenance was verified.
      publishingSource: 'packument',
      publishingSigned: false,
    },
  };
}

function describeLevel(level: PublishingLevel): string {
  switch (level) {
    case 'trusted-publisher':
      return 'trusted publishing';
    case 'provenance':
      return 'provenance (verified) published with a token';
    case 'none':
      return 'neither provenance nor trusted publishing';
    default:
      return 'a staged publish';
  }
}

// The version published last before the judged one; by version order only when no candidate is
// earlier by time.
function lastEarlier(entries: VersionHistoryEntry[], version: string, judged: JudgedTime | undefined): { entry: VersionHistoryEntry; order: Order } | undefined {
  const byTime: Array<{ entry: VersionHistoryEntry; at: number }> = [];
  const byVersion: VersionHistoryEntry[] = [];
  const judgedVersion = semver.parse(version);
  for (const entry of entries) {
    const at = entry.publishedAt === undefined ? Number.NaN : Date.parse(entry.publishedAt);
    if (judged !== undefined && Number.isFinite(at) && at !== judged.at) {
      if (at < judged.at) byTime.push({ entry, at });
    } else if (isLowerVersion(entry.version, judgedVersion)) {
      // Without two distinct times nothing says which came first: version order decides, so a
      // missing time never passes what the version-order rule catches.
      byVersion.push(entry);
    }
  }
  const newest = byTime.sort((a, b) => b.at - a.at)[0];
  if (newest !== undefined) return { entry: newest.entry, order: 'publish-time' };
  const highest = byVersion.sort((a, b) => (semver.valid(a.version) && semver.valid(b.version) ? semver.rcompare(a.version, b.version) : 0))[0];
  return highest === undefined ? undefined : { entry: highest, order: 'version' };
}

// semver's answer, without parsing the many versions of a history that have no `-`: a prerelease
// is written after one.
function isPrerelease(version: string): boolean {
  return version.includes('-') && semver.prerelease(version) !== null;
}

// A version that does not parse cannot be ordered; it is counted as earlier (fail closed). The
// judged version is parsed once by the caller, not once per earlier version.
function isLowerVersion(candidate: string, version: semver.SemVer | null): boolean {
  const parsed = semver.parse(candidate);
  return parsed === null || version === null || parsed.compare(version) < 0;
}

function describeOrder(name: string, version: string, earlier: VersionHistoryEntry, order: Order, judged: JudgedTime | undefined): string {
  if (order === 'version') {
    return `${name}@${earlier.version} is a lower version and the registry's publish times do not order the two`;
  }
  const sources =
    judged?.source === 'publish-attestation'
      ? `${earlier.version}'s per the registry's unsigned time metadata, ${version}'s per its publish attestation's signed log time`
      : "both per the registry's unsigned time metadata";
  return `${name}@${earlier.version} was published ${earlier.publishedAt}, before ${name}@${version} at ${judged?.value} (${sources})`;
}

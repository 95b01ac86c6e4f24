// Trust downgrades, judged by publish time as pnpm's `trustPolicy: no-downgrade` does: a version
// published after another version of the package carried provenance (or a publish attestation),
// and carrying none verified itself. The signature of a hijacked maintainer account publishing
// from a laptop instead of CI, whatever version number it picks: `0.9.1` published after `1.0.0`
// adopted provenance is as much a downgrade as `1.0.1`. Publish time supersedes version order,
// which also flagged a release older than the provenance it was compared with (a later backport
// to an older line); version order decides only where the times cannot.

import semver from 'semver';
import type { PackageFacts } from '../verify/types.js';
import { verifiedOf, type RawFinding } from './evidence.js';
import { getJudgedTime, type JudgedTime } from './publish-time.js';
import type { NormalizedPolicy, PolicySubject, VersionHistory, VersionHistoryEntry } from './types.js';

// Whether evaluation would read this package's history: only a registry package that lacks
// verified provenance or a verified publish attestation can be a downgrade. Lets the caller
// fetch the (large) packument only when it matters.
export function needsHistory(subject: Pick<PolicySubject, 'ref' | 'facts'>, policy: NormalizedPolicy): boolean {
  if (policy.downgrade === 'off' || subject.ref.source !== 'registry' || subject.ref.bundled || subject.facts === undefined) return false;
  return verifiedOf(subject.facts, 'provenance').length === 0 || verifiedOf(subject.facts, 'publish').length === 0;
}

// How an earlier version was found to be earlier: by the registry's publish times, or, without
// two distinct times, by version order.
type Order = 'publish-time' | 'version';

const LOST = [
  { key: 'provenance', role: 'provenance', what: 'provenance' },
  { key: 'publishAttestation', role: 'publish', what: 'a publish attestation' },
] as const;

// Checks the history for a downgrade; none when the history was not fetched.
export function checkDowngrade(subject: PolicySubject, facts: PackageFacts, policy: NormalizedPolicy): RawFinding[] {
  if (policy.downgrade === 'off' || subject.history === undefined) return [];
  const { name, version } = subject.ref;
  const judged = getJudgedTime(facts, subject.history);
  // pnpm's rule: a release is not judged by prereleases (a CI-built beta does not commit the
  // release line to CI); a prerelease is judged by every earlier version.
  const isRelease = semver.prerelease(version) === null;
  const candidates = subject.history.versions.filter((h) => h.version !== version && !(isRelease && semver.prerelease(h.version) !== null));
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
  return findings;
}

// The version published last before the judged one; by version order only when no candidate is
// earlier by time.
function lastEarlier(entries: VersionHistoryEntry[], version: string, judged: JudgedTime | undefined): { entry: VersionHistoryEntry; order: Order } | undefined {
  const byTime: Array<{ entry: VersionHistoryEntry; at: number }> = [];
  const byVersion: VersionHistoryEntry[] = [];
  for (const entry of entries) {
    const at = entry.publishedAt === undefined ? Number.NaN : Date.parse(entry.publishedAt);
    if (judged !== undefined && Number.isFinite(at) && at !== judged.at) {
      if (at < judged.at) byTime.push({ entry, at });
    } else if (isLowerVersion(entry.version, version)) {
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

// A version that does not parse cannot be ordered; it is counted as earlier (fail closed).
function isLowerVersion(candidate: string, version: string): boolean {
  return semver.valid(candidate) === null || semver.valid(version) === null || semver.lt(candidate, version);
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

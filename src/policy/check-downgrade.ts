// Trust downgrades: a package whose earlier version carried provenance (or a publish
// attestation) and whose locked version carries none verified. The signature of a hijacked
// maintainer account publishing from a laptop instead of CI.

import semver from 'semver';
import type { PackageFacts } from '../verify/types.js';
import { verifiedOf, type RawFinding } from './evidence.js';
import type { NormalizedPolicy, PolicySubject, VersionHistoryEntry } from './types.js';

// Whether evaluation would read this package's history: only a registry package that lacks
// verified provenance or a verified publish attestation can be a downgrade. Lets the caller
// fetch the (large) packument only when it matters.
export function needsHistory(subject: Pick<PolicySubject, 'ref' | 'facts'>, policy: NormalizedPolicy): boolean {
  if (policy.downgrade === 'off' || subject.ref.source !== 'registry' || subject.ref.bundled || subject.facts === undefined) return false;
  return verifiedOf(subject.facts, 'provenance').length === 0 || verifiedOf(subject.facts, 'publish').length === 0;
}

// Checks the history for a downgrade; none when the history was not fetched.
export function checkDowngrade(subject: PolicySubject, facts: PackageFacts, policy: NormalizedPolicy): RawFinding[] {
  if (policy.downgrade === 'off' || subject.history === undefined) return [];
  const earlier = subject.history.versions.filter((h) => isEarlier(h.version, subject.ref.version));
  const findings: RawFinding[] = [];
  const lost = [
    { key: 'provenance', role: 'provenance', what: 'provenance' },
    { key: 'publishAttestation', role: 'publish', what: 'a publish attestation' },
  ] as const;
  for (const { key, role, what } of lost) {
    if (verifiedOf(facts, role).length > 0) continue;
    const last = latest(earlier.filter((h) => h[key]));
    if (last === undefined) continue;
    findings.push({
      code: 'TRUST_DOWNGRADE',
      detail: `expected ${what} as ${subject.ref.name}@${last.version} had, got none verified`,
      details: { lost: key, earlierVersion: last.version },
      ...(policy.downgrade === 'warn' ? { audit: true } : {}),
    });
  }
  return findings;
}

// The caller lists earlier versions; versions that do not parse are taken at its word.
function isEarlier(version: string, current: string): boolean {
  return semver.valid(version) === null || semver.valid(current) === null || semver.lt(version, current);
}

function latest(entries: VersionHistoryEntry[]): VersionHistoryEntry | undefined {
  return [...entries].sort((a, b) => (semver.valid(a.version) && semver.valid(b.version) ? semver.rcompare(a.version, b.version) : 0))[0];
}

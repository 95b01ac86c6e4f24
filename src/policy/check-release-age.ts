// The release cooldown, as npm's `min-release-age` and pnpm's `minimumReleaseAge` apply it when
// they resolve: a malicious release is usually caught and unpublished within days, so a version
// younger than the cooldown is not let through. Judged on the lockfile as committed, against the
// run's clock; a version exactly the cooldown old passes, as npm's `before` cut-off lets it in.

import { minimatch } from 'minimatch';
import type { NpmReleaseAge } from '../types.js';
import type { PackageFacts } from '../verify/types.js';
import type { RawFinding } from './evidence.js';
import { installedNames, nameMatches } from './match.js';
import { getJudgedTime } from './publish-time.js';
import type { NormalizedPolicy, NormalizedRule, PolicySubject } from './types.js';
import { patternRegExp } from './patterns.js';

const DAY_MS = 86_400_000;

// npm's own matching of `min-release-age-exclude`: minimatch with negation, comments and extglobs
// off, so a stray `!foo` exempts nothing instead of everything but foo.
const NPM_EXCLUDE_OPTIONS = { nonegate: true, nocomment: true, noext: true };

// The cooldown that applies to a package and where it is set.
export interface ReleaseAge {
  days: number;
  setBy: 'rule' | 'policy' | 'npm-config';
}

// The cooldown for a package: the longest its applying rules set, else the policy's, else npm's;
// undefined when none is set, it is 0, or the package's real name is exempt. Security: only the
// real name is matched against exemptions (as npm does), so an npm: alias named like an exempt
// package cannot switch the cooldown off for the package it resolves to.
export function getReleaseAge(name: string, rules: readonly NormalizedRule[], policy: NormalizedPolicy, npm: NpmReleaseAge | undefined): ReleaseAge | undefined {
  const ruleDays = rules.map((rule) => rule.minReleaseAgeDays).filter((days): days is number => days !== null);
  const age: ReleaseAge | undefined =
    ruleDays.length > 0
      ? { days: Math.max(...ruleDays), setBy: 'rule' }
      : policy.minReleaseAgeDays !== null
        ? { days: policy.minReleaseAgeDays, setBy: 'policy' }
        : npm === undefined
          ? undefined
          : { days: npm.days, setBy: 'npm-config' };
  if (age === undefined || !(age.days > 0)) return undefined;
  if (policy.minReleaseAgeExclude.some((m) => patternRegExp(m.pattern).test(name))) return undefined;
  // npm's exemptions go with npm's cooldown only: a developer's .npmrc cannot exempt a package
  // from a cooldown the policy sets.
  if (age.setBy === 'npm-config' && (npm?.exclude ?? []).some((pattern) => name === pattern || minimatch(name, pattern, NPM_EXCLUDE_OPTIONS))) return undefined;
  return age;
}

// Whether judging the cooldown would need the registry's publish time of this package (its full
// packument): a cooldown may apply and its evidence holds no publish time. Rules are matched by
// name alone, so this answers yes for every rule that might apply: a fetch too many, never one
// too few.
export function needsReleaseTime(subject: Pick<PolicySubject, 'ref' | 'facts'>, policy: NormalizedPolicy, npm: NpmReleaseAge | undefined): boolean {
  const { ref, facts } = subject;
  return facts !== undefined && facts.publishTime === undefined && mayNeedReleaseTime(ref, policy, npm);
}

// Whether judging the cooldown may need the registry's publish time, before the package's facts
// are known (needsReleaseTime is true only where this is): a cooldown may apply to it.
export function mayNeedReleaseTime(ref: PolicySubject['ref'], policy: NormalizedPolicy, npm: NpmReleaseAge | undefined): boolean {
  if (ref.source !== 'registry' || ref.bundled) return false;
  const rules = policy.rules.filter((rule) => installedNames(ref).some((name) => nameMatches(name, rule)));
  return getReleaseAge(ref.name, rules, policy, npm) !== undefined || getReleaseAge(ref.name, [], policy, npm) !== undefined;
}

// Checks the version's age at `now` against the cooldown of the rules that apply to it.
// RELEASE_TOO_NEW when it is younger; RELEASE_AGE_UNKNOWN (fail closed) when no publish time can
// be had. The finding names the time's source: the registry's `time` is unsigned metadata.
export function checkReleaseAge(subject: PolicySubject, facts: PackageFacts, rules: readonly NormalizedRule[], policy: NormalizedPolicy, npm: NpmReleaseAge | undefined, now: Date): RawFinding[] {
  const { name, version } = subject.ref;
  const age = getReleaseAge(name, rules, policy, npm);
  if (age === undefined) return [];
  const setting = { minReleaseAgeDays: age.days, setBy: age.setBy };
  const published = getJudgedTime(facts, subject.history);
  if (published === undefined) {
    return [
      {
        code: 'RELEASE_AGE_UNKNOWN',
        detail: `expected a publish time for ${name}@${version} to judge its ${age.days}-day release cooldown, got none (no verified publish attestation, and the registry lists no time for it)`,
        details: { ...setting, historyFetched: subject.history !== undefined },
      },
    ];
  }
  const releasableAt = published.at + age.days * DAY_MS;
  if (now.getTime() >= releasableAt) return [];
  const ageDays = Math.floor(((now.getTime() - published.at) / DAY_MS) * 100) / 100;
  const source = published.source === 'publish-attestation' ? "its publish attestation's signed log time" : "the registry's unsigned time metadata";
  return [
    {
      code: 'RELEASE_TOO_NEW',
      detail: `expected ${name}@${version} to be published at least ${age.days} days before ${now.toISOString()}, got published ${published.value} per ${source} (${ageDays} days old)`,
      details: {
        ...setting,
        publishedAt: published.value,
        publishedAtSource: published.source,
        ageDays,
        releasableAt: new Date(releasableAt).toISOString(),
      },
    },
  ];
}

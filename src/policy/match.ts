// Which rule applies to a package, and which exceptions name it.

import semver from 'semver';
import type { NormalizedException, NormalizedRule, PolicySubject } from './types.js';

// The host a package's bytes come from: the lockfile's `resolved` host, else the registry it is
// fetched from. Lower-cased; null when neither is known.
export function originHost(subject: PolicySubject): string | null {
  return (subject.ref.registryHost ?? subject.registryHost)?.toLowerCase() ?? null;
}

// Whether a package's real name matches one of the rule's globs.
export function nameMatches(name: string, rule: NormalizedRule): boolean {
  return rule.match.packages.some((m) => new RegExp(m.pattern).test(name));
}

// The first rule whose match matches the package, or null. Rule version ranges include
// prereleases: a rule reaches more packages, never fewer.
export function findRule(subject: PolicySubject, rules: readonly NormalizedRule[]): NormalizedRule | null {
  return (
    rules.find((rule) => {
      if (!nameMatches(subject.ref.name, rule)) return false;
      if (rule.match.version !== null && !satisfies(subject.ref.version, rule.match.version, true)) return false;
      return rule.match.registry === null || rule.match.registry === originHost(subject);
    }) ?? null
  );
}

// Whether an exception names this package version. Exception ranges exclude prereleases unless
// they name one: an exception reaches fewer packages, never more.
export function exceptionMatches(exception: NormalizedException, name: string, version: string): boolean {
  return exception.name === name && satisfies(version, exception.range, false);
}

function satisfies(version: string, range: string, includePrerelease: boolean): boolean {
  return semver.valid(version) !== null && semver.satisfies(version, range, { includePrerelease });
}

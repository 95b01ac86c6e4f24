// Which rules apply to a package, and which exceptions name it.
//
// A package is judged under every name it is installed as (its real name and any npm: alias
// name: code loaded as `@scope/pinned` must meet `@scope/pinned`'s rule even when it is `evil`)
// and every host it comes from (the lockfile's `resolved` host, which npm downloads from, and the
// registry the gate fetched its evidence from). Under each name and host the first matching rule
// applies, and the package must satisfy all of them: no name or host is a way around a rule.

import semver from 'semver';
import type { PackageRef } from '../types.js';
import { normalizeHost } from './host.js';
import type { NormalizedException, NormalizedRule, PolicySubject } from './types.js';
import { patternRegExp } from './patterns.js';

// One name and host a package is judged under, and the first rule that matches it there.
export interface RuleMatch {
  name: string;
  host: string | null;
  rule: NormalizedRule | null;
}

// The names a package is installed as: its real name first, then its alias names.
export function installedNames(ref: PackageRef): string[] {
  return [...new Set([ref.name, ...ref.aliases])];
}

// The host the lockfile names, normalised under the scheme of its `resolved` URL; null when none.
export function lockfileHost(ref: PackageRef): string | null {
  if (ref.registryHost === null) return null;
  const scheme = /^http:/i.test(ref.resolved ?? '') ? 'http:' : 'https:';
  const key = `${scheme}${ref.registryHost}`;
  let host = NORMALIZED_HOSTS.get(key);
  if (host === undefined) {
    host = normalizeHost(ref.registryHost, scheme);
    NORMALIZED_HOSTS.set(key, host);
  }
  return host;
}

// The normalised form of each lockfile host under each scheme: a tree names a few hosts, asked
// about for every package, twice (the rules matched, the allow-list checked).
const NORMALIZED_HOSTS = new Map<string, string>();

// The host a registry package's bytes are named as coming from: the lockfile's `resolved` host,
// else the registry it is fetched from; null when neither is known. The allow-list judges it.
export function originHost(subject: PolicySubject): string | null {
  return lockfileHost(subject.ref) ?? subject.registryHost;
}

// Every host a registry package is judged under: the lockfile's host, then the fetched registry's.
export function originHosts(subject: PolicySubject): string[] {
  return [...new Set([lockfileHost(subject.ref), subject.registryHost].filter((h): h is string => h !== null))];
}

// Whether a name matches one of the rule's globs.
export function nameMatches(name: string, rule: NormalizedRule): boolean {
  return rule.match.packages.some((m) => patternRegExp(m.pattern).test(name));
}

// The first matching rule under each installed name and origin host, real name and lockfile host
// first. Rule version ranges include prereleases: a rule reaches more packages, never fewer.
export function matchRules(subject: PolicySubject, rules: readonly NormalizedRule[]): RuleMatch[] {
  const hosts = originHosts(subject);
  return installedNames(subject.ref).flatMap((name) =>
    (hosts.length === 0 ? [null] : hosts).map((host) => ({ name, host, rule: rules.find((rule) => ruleMatches(rule, name, subject.ref.version, host)) ?? null })),
  );
}

function ruleMatches(rule: NormalizedRule, name: string, version: string, host: string | null): boolean {
  if (!nameMatches(name, rule)) return false;
  if (rule.match.version !== null && !satisfies(version, rule.match.version, true)) return false;
  return rule.match.registry === null || rule.match.registry === host;
}

// Whether an exception names this package version. Exception ranges exclude prereleases unless
// they name one: an exception reaches fewer packages, never more. Only the real name counts: an
// alias cannot borrow another package's waiver.
export function exceptionMatches(exception: NormalizedException, name: string, version: string): boolean {
  return exception.name === name && satisfies(version, exception.range, false);
}

function satisfies(version: string, range: string, includePrerelease: boolean): boolean {
  return semver.valid(version) !== null && semver.satisfies(version, range, { includePrerelease });
}

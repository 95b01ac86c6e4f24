// package.json `allowScripts` as npm 11.16+ reads it (arborist's script-allowed.js): keys are
// `name` (every version), `name@1.2.3` or `name@1.2.3 || 1.2.4` (exact versions only), `true`
// approves, `false` denies and wins over any approval. A range (`^1`), a tag or an alias key
// matches nothing, so approves nothing. Keys that name a git, file or remote source are matched by
// the lockfile's `resolved` exactly (npm also accepts other spellings of the same source: such an
// approval is not seen here, and never reported stale).

import npa from 'npm-package-arg';
import semver from 'semver';
import type { PackageRef } from '../types.js';

export type AllowScripts = Readonly<Record<string, boolean>>;

// What allowScripts says of one package: approved (by these keys), denied, or not reviewed.
export type ScriptApproval = { state: 'approved'; keys: string[] } | { state: 'denied'; keys: string[] } | { state: 'unreviewed' };

// One key, parsed: a registry key names a package and the exact versions it covers (null: all).
type ParsedKey = { kind: 'registry'; name: string; versions: string[] | null } | { kind: 'source'; spec: string } | { kind: 'never' };

function parseKey(key: string): ParsedKey {
  let parsed: ReturnType<typeof npa>;
  try {
    parsed = npa(key);
  } catch {
    return { kind: 'never' };
  }
  if (parsed.type === 'range' || parsed.type === 'version') {
    const name = parsed.name ?? '';
    const spec = parsed.fetchSpec ?? '';
    if (parsed.type === 'range' && (spec === '*' || parsed.rawSpec === '' || parsed.rawSpec === '*')) return { kind: 'registry', name, versions: null };
    const parts = spec.split('||').map((p) => p.trim());
    // Security: npm refuses ranges, which would approve versions nobody reviewed.
    if (!parts.every((p) => p !== '' && semver.valid(p) !== null)) return { kind: 'never' };
    return { kind: 'registry', name, versions: parts.map((p) => semver.valid(p) as string) };
  }
  if (parsed.type === 'git' || parsed.type === 'remote' || parsed.type === 'file' || parsed.type === 'directory') return { kind: 'source', spec: key };
  return { kind: 'never' };
}

// Each allowScripts object's keys parsed once, not once per package of the tree.
const parsedCache = new WeakMap<AllowScripts, Array<[key: string, parsed: ParsedKey, value: boolean]>>();

function parsedEntries(allowScripts: AllowScripts): Array<[key: string, parsed: ParsedKey, value: boolean]> {
  let entries = parsedCache.get(allowScripts);
  if (entries === undefined) {
    entries = Object.entries(allowScripts).map(([key, value]) => [key, parseKey(key), value]);
    parsedCache.set(allowScripts, entries);
  }
  return entries;
}

function keyMatches(key: ParsedKey, ref: PackageRef): boolean {
  if (key.kind === 'registry') return ref.source === 'registry' && ref.name === key.name && (key.versions === null || key.versions.includes(ref.version));
  if (key.kind === 'source') return ref.source !== 'registry' && ref.resolved === key.spec;
  return false;
}

// What allowScripts says of a package. A bundled package's scripts never run (npm ignores any
// entry for it), so it is never approved.
export function getScriptApproval(ref: PackageRef, allowScripts: AllowScripts): ScriptApproval {
  if (ref.bundled) return { state: 'unreviewed' };
  const entries = parsedEntries(allowScripts).filter(([, parsed]) => keyMatches(parsed, ref));
  const denied = entries.filter(([, , value]) => value === false).map(([key]) => key);
  if (denied.length > 0) return { state: 'denied', keys: denied };
  const approved = entries.filter(([, , value]) => value === true).map(([key]) => key);
  return approved.length > 0 ? { state: 'approved', keys: approved } : { state: 'unreviewed' };
}

// A registry approval whose package, or pinned version, is not in the lockfile.
export interface StaleApproval {
  key: string;
  // The versions of that name the lockfile holds (empty: the name is not in it).
  found: string[];
}

// The approvals (`true` entries) naming a registry package or version the tree does not hold.
// Denials are never stale: denying a package that is not there yet is a safe default.
export function getStaleApprovals(refs: readonly PackageRef[], allowScripts: AllowScripts): StaleApproval[] {
  const stale: StaleApproval[] = [];
  for (const [key, parsed, value] of parsedEntries(allowScripts)) {
    if (value !== true || parsed.kind !== 'registry') continue;
    if (refs.some((ref) => keyMatches(parsed, ref))) continue;
    const found = [...new Set(refs.filter((ref) => ref.source === 'registry' && ref.name === parsed.name).map((ref) => ref.version))].sort();
    stale.push({ key, found });
  }
  return stale;
}

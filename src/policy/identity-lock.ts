// The identity lock: the Fulcio identity each package's provenance had when the lock was
// learned. A later version built from another repository or workflow, or under another issuer,
// is IDENTITY_CHANGED: the signer a policy cannot name in advance is still pinned.

import semver from 'semver';
import { provenanceIdentities, sourceRepositoryOf, type RawFinding } from './evidence.js';
import type { IdentityLock, IdentityLockEntry, PolicySubject } from './types.js';
import type { PackageFacts } from '../verify/types.js';

// Learns the lock from packages with verified provenance (pure). A name with several versions
// records its highest version's identity.
export function learnIdentityLock(subjects: readonly PolicySubject[]): IdentityLock {
  const chosen = new Map<string, { version: string; entry: IdentityLockEntry }>();
  for (const subject of subjects) {
    const identity = subject.facts === undefined ? undefined : provenanceIdentities(subject.facts)[0];
    if (identity === undefined) continue;
    const previous = chosen.get(subject.ref.name);
    if (previous !== undefined && !isHigher(subject.ref.version, previous.version)) continue;
    const ext = identity.extensions;
    const entry: IdentityLockEntry = {};
    const source = sourceRepositoryOf(ext);
    if (source !== undefined) entry.sourceRepositoryURI = source;
    if (ext.buildConfigURI !== undefined) entry.buildConfigURI = ext.buildConfigURI;
    if (ext.buildSignerURI !== undefined) entry.buildSignerURI = ext.buildSignerURI;
    if (identity.issuer !== undefined) entry.issuer = identity.issuer;
    if (identity.san !== undefined) entry.san = identity.san;
    chosen.set(subject.ref.name, { version: subject.ref.version, entry });
  }
  const names = [...chosen.keys()].sort();
  // fromEntries defines own properties: no name can reach the prototype.
  return { version: 1, packages: Object.fromEntries(names.map((name) => [name, (chosen.get(name) as { entry: IdentityLockEntry }).entry])) };
}

// Checks a package against the lock: every verified provenance must show the locked source
// repository, build configuration (its `@ref` aside: it changes with every tagged release) and
// issuer. A locked package that now has no verified provenance has lost its identity.
export function checkIdentityLock(subject: PolicySubject, facts: PackageFacts, lock: IdentityLock): RawFinding[] {
  if (!Object.hasOwn(lock.packages, subject.ref.name)) return [];
  const locked = lock.packages[subject.ref.name] as IdentityLockEntry;
  const identities = provenanceIdentities(facts);
  if (identities.length === 0) {
    return [{ code: 'IDENTITY_CHANGED', detail: `expected provenance from ${describe(locked)} (identity lock), got none verified` }];
  }
  return identities.flatMap((identity) => {
    const actual: IdentityLockEntry = {};
    const source = sourceRepositoryOf(identity.extensions);
    if (source !== undefined) actual.sourceRepositoryURI = source;
    if (identity.extensions.buildConfigURI !== undefined) actual.buildConfigURI = identity.extensions.buildConfigURI;
    if (identity.issuer !== undefined) actual.issuer = identity.issuer;
    const changed = (['sourceRepositoryURI', 'buildConfigURI', 'issuer'] as const).filter(
      (key) => locked[key] !== undefined && withoutRef(key, locked[key]) !== withoutRef(key, actual[key]),
    );
    if (changed.length === 0) return [];
    const what = changed.map((key) => `${key} ${locked[key]} (locked), got ${actual[key] ?? 'none'}`).join('; ');
    return [{ code: 'IDENTITY_CHANGED', detail: `expected ${what}`, details: { changed, locked, got: actual } }];
  });
}

function withoutRef(key: keyof IdentityLockEntry, value: string | undefined): string | undefined {
  if (key !== 'buildConfigURI' || value === undefined) return value;
  const at = value.lastIndexOf('@');
  return at < 0 ? value : value.slice(0, at);
}

function describe(entry: IdentityLockEntry): string {
  return entry.sourceRepositoryURI ?? entry.buildConfigURI ?? entry.issuer ?? 'the locked identity';
}

function isHigher(version: string, than: string): boolean {
  return semver.valid(version) !== null && semver.valid(than) !== null ? semver.gt(version, than) : false;
}

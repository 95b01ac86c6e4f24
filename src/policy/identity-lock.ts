// The identity lock: the Fulcio identities each package's provenance had when the lock was
// learned. A later version built from another repository or workflow, under another issuer, or
// from a repository that only has the same name (new numeric ids: deleted and recreated, or its
// owner's name taken over) is IDENTITY_CHANGED: the signer a policy cannot name in advance is
// still pinned.

import { provenanceIdentities, sourceRepositoryOf, type CertificateIdentity, type RawFinding } from './evidence.js';
import { installedNames } from './match.js';
import type { IdentityLock, IdentityLockEntry, PolicySubject } from './types.js';
import type { PackageFacts } from '../verify/types.js';

// The fields that decide whether two identities are the same signer; buildSignerURI and san are
// recorded for people (they carry the ref, which changes with every tagged release).
const COMPARED = ['sourceRepositoryURI', 'buildConfigURI', 'issuer', 'repositoryId', 'ownerId'] as const;
const IDS = ['repositoryId', 'ownerId'] as const;

// Learns the lock from packages with verified provenance (pure). A name installed at several
// versions built by different signers (a package that moved repositories between them) records
// each of them: learning today's tree must not make today's tree fail.
export function learnIdentityLock(subjects: readonly PolicySubject[]): IdentityLock {
  const learned = new Map<string, IdentityLockEntry[]>();
  for (const subject of subjects) {
    const identity = subject.facts === undefined ? undefined : provenanceIdentities(subject.facts)[0];
    if (identity === undefined) continue;
    const entry = toEntry(identity, true);
    // Under every installed name too: what is loaded as an alias stays pinned to today's signer.
    for (const name of installedNames(subject.ref)) {
      const entries = learned.get(name) ?? [];
      // Both ways: an entry with ids is not folded into one without (that would drop the ids).
      if (!entries.some((known) => sameSigner(known, entry) && sameSigner(entry, known))) entries.push(entry);
      learned.set(name, entries);
    }
  }
  const names = [...learned.keys()].sort();
  // fromEntries defines own properties: no name can reach the prototype.
  return { version: 1, packages: Object.fromEntries(names.map((name) => [name, sortEntries(learned.get(name) ?? [])])) };
}

// Checks a package against the lock under every name it is installed as (an alias over a locked
// name is loaded as that name): every verified provenance must show one of the locked identities
// (source repository, build configuration without its `@ref`, issuer). A locked package that now
// has no verified provenance has lost its identity.
export function checkIdentityLock(subject: PolicySubject, facts: PackageFacts, lock: IdentityLock): RawFinding[] {
  return installedNames(subject.ref).flatMap((name) => {
    if (!Object.hasOwn(lock.packages, name)) return [];
    const findings = checkLockedName(lock.packages[name] ?? [], facts);
    if (name === subject.ref.name) return findings;
    return findings.map((f) => ({ ...f, detail: `${f.detail} (locked for ${name}, the name it is installed as)`, details: { ...f.details, installedAs: name } }));
  });
}

function checkLockedName(locked: readonly IdentityLockEntry[], facts: PackageFacts): RawFinding[] {
  const identities = provenanceIdentities(facts);
  if (identities.length === 0) {
    return [{ code: 'IDENTITY_CHANGED', detail: `expected provenance from ${describe(locked)} (identity lock), got none verified` }];
  }
  return identities.flatMap((identity) => {
    const actual = toEntry(identity, false);
    if (locked.some((entry) => vouchesFor(entry, actual, locked))) return [];
    // Named against the closest locked identity: the fields that moved (an entry with none moved
    // is one without ids, outranked by its sibling with ids, which names them).
    const changed = locked.map((entry) => changedFields(entry, actual)).filter((fields) => fields.length > 0).sort((a, b) => a.length - b.length)[0] ?? [...COMPARED];
    const got = COMPARED.filter((key) => !isId(key)).map((key) => actual[key]).filter(Boolean).join(', ');
    const gotIds = changed.some(isId) ? ` ${describeIds(actual)}` : '';
    return [{ code: 'IDENTITY_CHANGED', detail: `expected ${describe(locked)} (identity lock), got ${got || 'an identity without a source repository'}${gotIds}`, details: { changed, locked, got: actual } }];
  });
}

function toEntry(identity: CertificateIdentity, withRecordedFields: boolean): IdentityLockEntry {
  const ext = identity.extensions;
  const entry: IdentityLockEntry = {};
  const source = sourceRepositoryOf(ext);
  if (source !== undefined) entry.sourceRepositoryURI = source;
  if (ext.buildConfigURI !== undefined) entry.buildConfigURI = ext.buildConfigURI;
  if (withRecordedFields && ext.buildSignerURI !== undefined) entry.buildSignerURI = ext.buildSignerURI;
  if (identity.issuer !== undefined) entry.issuer = identity.issuer;
  if (withRecordedFields && identity.san !== undefined) entry.san = identity.san;
  if (ext.sourceRepositoryIdentifier !== undefined) entry.repositoryId = ext.sourceRepositoryIdentifier;
  if (ext.sourceRepositoryOwnerIdentifier !== undefined) entry.ownerId = ext.sourceRepositoryOwnerIdentifier;
  return entry;
}

// Same signer: every compared field the lock records is equal (build config without its ref).
function sameSigner(locked: IdentityLockEntry, actual: IdentityLockEntry): boolean {
  return changedFields(locked, actual).length === 0;
}

// A locked entry without ids (an older certificate's) does not vouch for a certificate with ids
// when another entry of the same repository, workflow and issuer records them: else a repository
// recreated under that name would pass through the older entry.
function vouchesFor(entry: IdentityLockEntry, actual: IdentityLockEntry, locked: readonly IdentityLockEntry[]): boolean {
  if (!sameSigner(entry, actual)) return false;
  if (hasIds(entry) || !hasIds(actual)) return true;
  return !locked.some((other) => hasIds(other) && sameSigner(entry, other));
}

function hasIds(entry: IdentityLockEntry): boolean {
  return IDS.some((key) => entry[key] !== undefined);
}

function isId(key: (typeof COMPARED)[number]): boolean {
  return (IDS as readonly string[]).includes(key);
}

function describeIds(entry: IdentityLockEntry): string {
  return `(repository id ${entry.repositoryId ?? 'none'}, owner id ${entry.ownerId ?? 'none'})`;
}

function changedFields(locked: IdentityLockEntry, actual: IdentityLockEntry): Array<(typeof COMPARED)[number]> {
  return COMPARED.filter((key) => locked[key] !== undefined && withoutRef(key, locked[key]) !== withoutRef(key, actual[key]));
}

function withoutRef(key: keyof IdentityLockEntry, value: string | undefined): string | undefined {
  if (key !== 'buildConfigURI' || value === undefined) return value;
  const at = value.lastIndexOf('@');
  return at < 0 ? value : value.slice(0, at);
}

function describe(entries: readonly IdentityLockEntry[]): string {
  return entries.map((e) => `${e.sourceRepositoryURI ?? e.buildConfigURI ?? e.issuer ?? 'the locked identity'}${hasIds(e) ? ` ${describeIds(e)}` : ''}`).join(' or ');
}

function sortEntries(entries: IdentityLockEntry[]): IdentityLockEntry[] {
  const key = (e: IdentityLockEntry) => COMPARED.map((k) => e[k] ?? '').join('\0');
  return [...entries].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

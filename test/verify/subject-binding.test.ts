// The binding findings exactly: each names the subject it is about, what was expected and what was
// found, so a report reader can tell which subject of which statement named what.

import { describe, expect, it } from 'vitest';
import { toPurl, verifyPredicateType, verifySubjects } from '../../src/verify/attestation/binding.js';

const SHA = 'ab'.repeat(64);
const OTHER = 'cd'.repeat(64);
const PURL = 'pkg:npm/left-pad@1.3.0';
type Subjects = { name: string; digest: Record<string, string> }[];
const verify = (subject: Subjects) => verifySubjects({ subject }, 'left-pad', '1.3.0', SHA);
// The lockfile pins no sha512 (a sha1-only pin not bound to downloaded bytes).
const verifyUnpinned = (subject: Subjects) => verifySubjects({ subject }, 'left-pad', '1.3.0', undefined);

describe('toPurl', () => {
  it('percent-encodes only a leading "@" (the scope), nothing else', () => {
    expect(toPurl('@scope/pkg', '1.0.0')).toBe('pkg:npm/%40scope/pkg@1.0.0');
    // An "@" inside a name is no npm name: such a package has no package URL to be bound to.
    expect(toPurl('pkg@x', '1.0.0')).toBeUndefined();
    expect(toPurl('@scope/a@b', '1.0.0')).toBeUndefined();
  });
});

describe('verifySubjects', () => {
  it('accepts the subject that names this package at the pinned sha512, in either case of hex', () => {
    expect(verify([{ name: PURL, digest: { sha512: SHA } }])).toEqual([]);
    expect(verify([{ name: PURL, digest: { sha512: SHA.toUpperCase(), sha256: 'ef'.repeat(32) } }])).toEqual([]);
  });

  it('SUBJECT_NAME_MISMATCH names the subject, the expected purl and the one found', () => {
    expect(verify([{ name: PURL, digest: { sha512: SHA } }, { name: 'pkg:npm/evil@1.0.0', digest: { sha512: SHA } }])).toStrictEqual([
      { code: 'SUBJECT_NAME_MISMATCH', message: expect.any(String), details: { index: 1, expected: PURL, actual: 'pkg:npm/evil@1.0.0' } },
    ]);
  });

  it('a subject of another name is reported once, for its name, whatever its digest', () => {
    expect(verify([{ name: 'pkg:npm/evil@1.0.0', digest: { sha512: OTHER } }]).map((f) => f.code)).toEqual(['SUBJECT_NAME_MISMATCH']);
    expect(verifyUnpinned([{ name: 'pkg:npm/evil@1.0.0', digest: {} }]).map((f) => f.code)).toEqual(['SUBJECT_NAME_MISMATCH']);
  });

  it('SUBJECT_DIGEST_MISMATCH names the subject, the pinned digest and the one found', () => {
    expect(verify([{ name: PURL, digest: { sha512: SHA } }, { name: PURL, digest: { sha512: OTHER } }])).toStrictEqual([
      { code: 'SUBJECT_DIGEST_MISMATCH', message: expect.any(String), details: { index: 1, expected: SHA, actual: OTHER } },
    ]);
  });

  it('a subject without a sha512 is SUBJECT_DIGEST_MISMATCH with actual null', () => {
    expect(verify([{ name: PURL, digest: { sha256: 'ef'.repeat(32) } }])).toStrictEqual([
      { code: 'SUBJECT_DIGEST_MISMATCH', message: expect.any(String), details: { index: 0, expected: SHA, actual: null } },
    ]);
  });

  it('a lockfile that pins no sha512 fails every subject of this name, with the sha512 it carries or null', () => {
    expect(verifyUnpinned([{ name: PURL, digest: { sha512: OTHER } }, { name: PURL, digest: {} }])).toStrictEqual([
      { code: 'SUBJECT_DIGEST_MISMATCH', message: expect.any(String), details: { index: 0, actual: OTHER } },
      { code: 'SUBJECT_DIGEST_MISMATCH', message: expect.any(String), details: { index: 1, actual: null } },
    ]);
  });

  it('a statement with no subjects binds nothing and has no finding here (the decoder refuses it)', () => {
    expect(verify([])).toEqual([]);
  });
});

describe('verifyPredicateType', () => {
  it('PREDICATE_TYPE_MISMATCH names the document\'s label and the signed type', () => {
    expect(verifyPredicateType('https://slsa.dev/provenance/v1', { predicateType: 'https://slsa.dev/provenance/v1' })).toEqual([]);
    expect(verifyPredicateType('https://slsa.dev/provenance/v1', { predicateType: 'https://example.com/other' })).toStrictEqual([
      { code: 'PREDICATE_TYPE_MISMATCH', message: expect.any(String), details: { claimed: 'https://slsa.dev/provenance/v1', signed: 'https://example.com/other' } },
    ]);
  });
});

// The binding of a bundle to the caller's artifact (src/verify/artifact/binding.ts), on plain
// values: which messageDigest algorithms are compared, with bytes or a sha256 only, and the
// subject digests of a statement.

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { getMessageDigestAlgorithm, toArtifact, verifyArtifactSubject, verifyMessageDigest } from '../../src/verify/artifact/binding.js';
import { codes } from './_helpers.js';

const BYTES = Buffer.from('the artifact\n');
const hash = (algorithm: string) => createHash(algorithm).update(BYTES).digest();
const SHA256 = hash('sha256').toString('hex');
const message = (algorithm: number | undefined, digest: Buffer | undefined) => ({ messageDigest: { algorithm, digest } }) as never;

describe('getMessageDigestAlgorithm', () => {
  it.each([
    [1, 'sha256'],
    [2, 'sha384'],
    [3, 'sha512'],
    [0, undefined],
    [4, undefined],
  ])('algorithm %s is %s', (algorithm, name) => {
    expect(getMessageDigestAlgorithm(message(algorithm, hash('sha256')))).toBe(name);
  });

  it('no messageDigest: none', () => {
    expect(getMessageDigestAlgorithm({} as never)).toBeUndefined();
  });
});

describe('verifyMessageDigest', () => {
  const withBytes = toArtifact({ bytes: BYTES });
  const digestOnly = toArtifact({ sha256Hex: SHA256 });

  it.each([
    ['sha256', 1],
    ['sha384', 2],
    ['sha512', 3],
  ])('with bytes, a %s messageDigest of them binds', (name, algorithm) => {
    expect(verifyMessageDigest(message(algorithm, hash(name)), withBytes)).toEqual([]);
  });

  it('with only the sha256, a sha256 messageDigest of it binds and another does not', () => {
    expect(verifyMessageDigest(message(1, hash('sha256')), digestOnly)).toEqual([]);
    const other = Buffer.alloc(32, 1);
    expect(verifyMessageDigest(message(1, other), digestOnly)).toEqual([
      expect.objectContaining({ code: 'SUBJECT_DIGEST_MISMATCH', details: { algorithm: 'sha256', expected: SHA256, actual: other.toString('hex') } }),
    ]);
  });

  it('with only the sha256, a sha512 messageDigest cannot be compared (SUBJECT_DIGEST_MISMATCH naming the algorithm only)', () => {
    expect(verifyMessageDigest(message(3, hash('sha512')), digestOnly)).toEqual([
      expect.objectContaining({ code: 'SUBJECT_DIGEST_MISMATCH', details: { algorithm: 'sha512' } }),
    ]);
  });

  it.each([
    ['no messageDigest', {}],
    ['an unsupported algorithm', message(0, hash('sha256'))],
    ['no digest bytes', message(1, undefined)],
  ])('%s is BUNDLE_MALFORMED', (_, msg) => {
    expect(codes(verifyMessageDigest(msg as never, withBytes))).toEqual(['BUNDLE_MALFORMED']);
    expect(codes(verifyMessageDigest(msg as never, digestOnly))).toEqual(['BUNDLE_MALFORMED']);
  });
});

describe('verifyArtifactSubject', () => {
  const artifact = toArtifact({ bytes: BYTES });

  it('a subject whose sha256 is the artifact\'s binds, in either case of hex, after subjects without one', () => {
    const statement = { subject: [{ name: 'a', digest: { sha512: 'ff' } as Record<string, string> }, { name: 'b', digest: { sha256: SHA256.toUpperCase() } }] };
    expect(verifyArtifactSubject(statement, artifact)).toEqual([]);
  });

  it('no subject with the artifact\'s sha256: SUBJECT_DIGEST_MISMATCH listing each subject\'s sha256 or null', () => {
    const statement = { subject: [{ name: 'a', digest: {} as Record<string, string> }, { name: 'b', digest: { sha256: 'AB' } }] };
    expect(verifyArtifactSubject(statement, artifact)).toEqual([
      expect.objectContaining({ code: 'SUBJECT_DIGEST_MISMATCH', details: { expected: SHA256, actual: [null, 'ab'] } }),
    ]);
  });
});

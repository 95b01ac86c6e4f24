// rehashTarball: the tarball's own sha512 against the lockfile's sha512, nothing weaker.

import { createHash } from 'node:crypto';
import ssri from 'ssri';
import { describe, expect, it } from 'vitest';
import { hashSha1Pinned, isSha1OnlyPin, rehashTarball, TARBALL_DIGEST_MISMATCH, toSha1PinMismatch, toSha512Integrity, toTarballDigestMismatch } from '../../src/sri/index.js';

const TARBALL = new Uint8Array(Buffer.from('pretend this is a gzipped tarball'));
const SHA512 = `sha512-${createHash('sha512').update(TARBALL).digest('base64')}`;
const SHA1 = `sha1-${createHash('sha1').update(TARBALL).digest('base64')}`;

describe('rehashTarball', () => {
  it('matches the bytes the lockfile pins', () => {
    expect(rehashTarball(TARBALL, SHA512)).toEqual({ integrity: SHA512, matches: true });
  });

  it('does not match when one byte differs', () => {
    const altered = TARBALL.slice();
    altered[3] = altered[3]! ^ 1;
    const result = rehashTarball(altered, SHA512);
    expect(result.matches).toBe(false);
    expect(result.integrity).not.toBe(SHA512);
  });

  it('never matches on a weaker algorithm: a sha1-only pin does not match even when the sha1 does', () => {
    expect(ssri.checkData(Buffer.from(TARBALL), SHA1)).not.toBe(false);
    expect(rehashTarball(TARBALL, SHA1).matches).toBe(false);
  });

  it('matches a multi-hash pin by its sha512, and not when that sha512 is wrong though the sha1 is right', () => {
    expect(rehashTarball(TARBALL, `${SHA1} ${SHA512}`).matches).toBe(true);
    const wrong = ssri.fromData('other', { algorithms: ['sha512'] }).toString();
    expect(rehashTarball(TARBALL, `${SHA1} ${wrong}`).matches).toBe(false);
  });

  it('hashes a view of a larger buffer by its own bytes only', () => {
    const big = Buffer.concat([Buffer.from('xx'), Buffer.from(TARBALL), Buffer.from('yy')]);
    expect(rehashTarball(big.subarray(2, 2 + TARBALL.length), SHA512).matches).toBe(true);
  });

  it('does not match an empty or malformed pin', () => {
    expect(rehashTarball(TARBALL, '').matches).toBe(false);
    expect(rehashTarball(TARBALL, 'sha512-!!!').matches).toBe(false);
  });
});

describe('toSha512Integrity', () => {
  it('keeps exactly one sha512, normalised', () => {
    expect(toSha512Integrity(`${SHA1} ${SHA512}?foo`)).toBe(SHA512);
    expect(toSha512Integrity(SHA1)).toBeUndefined();
    expect(toSha512Integrity(null)).toBeUndefined();
  });
});

describe('TARBALL_DIGEST_MISMATCH', () => {
  it('is a stable code with a finding the caller can report', () => {
    expect(TARBALL_DIGEST_MISMATCH).toBe('TARBALL_DIGEST_MISMATCH');
    const actual = rehashTarball(new Uint8Array([1]), SHA512).integrity;
    expect(toTarballDigestMismatch(SHA512, actual)).toEqual({
      code: 'TARBALL_DIGEST_MISMATCH',
      message: `expected the tarball to hash to ${SHA512}, got ${actual}`,
      details: { expected: SHA512, actual },
    });
  });
});

describe('a sha1-only pin', () => {
  it('is a pin of sha1 and nothing else', () => {
    expect(isSha1OnlyPin(SHA1)).toBe(true);
    expect(isSha1OnlyPin(`${SHA1} ${SHA512}`)).toBe(false);
    expect(isSha1OnlyPin(SHA512)).toBe(false);
    expect(isSha1OnlyPin(null)).toBe(false);
    expect(isSha1OnlyPin('')).toBe(false);
  });

  it('matches the bytes it pins, and gives their sha512 from the same bytes', () => {
    expect(hashSha1Pinned(TARBALL, SHA1)).toEqual({ sha1: SHA1, sha512: SHA512, matches: true });
  });

  it('does not match other bytes, nor stand in for a pin that is not sha1 only', () => {
    const altered = TARBALL.slice();
    altered[0] = altered[0]! ^ 1;
    const computed = hashSha1Pinned(altered, SHA1);
    expect(computed.matches).toBe(false);
    expect(hashSha1Pinned(TARBALL, `${SHA1} ${SHA512}`).matches).toBe(false);
    expect(toSha1PinMismatch(SHA1, computed)).toMatchObject({ code: 'TARBALL_DIGEST_MISMATCH', details: { expected: SHA1, actual: computed.sha1 } });
  });
});

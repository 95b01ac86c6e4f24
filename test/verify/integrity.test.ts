// The lockfile's pin as the anchor: the registry must serve exactly that string, and the sha512 a
// subject must name is read from it only when it pins exactly one well-formed sha512.

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { getSha512Hex, verifyIntegrityMatch } from '../../src/verify/integrity.js';

const digest = (algorithm: string, text: string) => createHash(algorithm).update(text).digest();
const SHA512 = digest('sha512', 'a');
const PIN = `sha512-${SHA512.toString('base64')}`;
const OTHER = `sha512-${digest('sha512', 'b').toString('base64')}`;
const SHA1 = `sha1-${digest('sha1', 'a').toString('base64')}`;

describe('verifyIntegrityMatch', () => {
  it('has nothing to say when the registry serves the pinned string', () => {
    expect(verifyIntegrityMatch(PIN, PIN)).toEqual([]);
  });

  it.each([[null], [''], ['   ']])('a lockfile that pins nothing (%j) is INTEGRITY_MISSING, whatever the registry says', (pin) => {
    expect(verifyIntegrityMatch(pin, PIN)).toStrictEqual([{ code: 'INTEGRITY_MISSING', message: expect.any(String) }]);
    expect(verifyIntegrityMatch(pin, undefined)).toStrictEqual([{ code: 'INTEGRITY_MISSING', message: expect.any(String) }]);
  });

  it('another digest is INTEGRITY_MISMATCH with both values', () => {
    expect(verifyIntegrityMatch(PIN, OTHER)).toStrictEqual([{ code: 'INTEGRITY_MISMATCH', message: expect.any(String), details: { lockfile: PIN, registry: OTHER } }]);
  });

  it('no registry integrity is INTEGRITY_MISMATCH with registry null', () => {
    expect(verifyIntegrityMatch(PIN, undefined)).toStrictEqual([{ code: 'INTEGRITY_MISMATCH', message: expect.any(String), details: { lockfile: PIN, registry: null } }]);
  });

  it('another spelling of the same hash is a mismatch: the registry signs the exact string', () => {
    expect(verifyIntegrityMatch(PIN, `${PIN} ${SHA1}`)[0]?.code).toBe('INTEGRITY_MISMATCH');
    expect(verifyIntegrityMatch(PIN, ` ${PIN}`)[0]?.code).toBe('INTEGRITY_MISMATCH');
  });
});

describe('getSha512Hex', () => {
  it('returns the hex of the one sha512 pinned, beside other algorithms too', () => {
    expect(getSha512Hex(PIN)).toBe(SHA512.toString('hex'));
    expect(getSha512Hex(`${SHA1} ${PIN}`)).toBe(SHA512.toString('hex'));
  });

  it.each([
    ['no pin', null],
    ['a sha1 pin only', SHA1],
    ['two sha512 hashes', `${PIN} ${OTHER}`],
    ['a sha512 of the wrong length', `sha512-${digest('sha256', 'a').toString('base64')}`],
    ['an empty sha512', 'sha512-'],
    ['text that is not SRI', 'not an integrity'],
    // Loose SRI parsing would read this one (Node's base64 decoder skips the "!").
    ['a sha512 with a character outside base64', `sha512-${SHA512.toString('base64').slice(0, 40)}!${SHA512.toString('base64').slice(40)}`],
  ])('returns undefined for %s', (_label, integrity) => {
    expect(getSha512Hex(integrity)).toBeUndefined();
  });
});

// The strict decoders every untrusted value goes through: base64 that is exactly base64, plain
// objects only, real instants only, and trust material with the sha256 of what was read.

import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex } from '../../src/canonical-json.js';
import { isRecord, toBytesFromBase64, toDate, toParsedDocument } from '../../src/verify/encoding.js';

describe('toBytesFromBase64', () => {
  it.each([
    ['YQ==', 'a'],
    ['YWI=', 'ab'],
    ['YWJj', 'abc'],
    ['YWJjZA==', 'abcd'],
    ['+/+/', Buffer.from([0xfb, 0xff, 0xbf]).toString('latin1')],
  ])('decodes %s', (text, expected) => {
    expect(toBytesFromBase64(text)?.toString('latin1')).toBe(expected);
  });

  it.each([
    ['the empty string', ''],
    ['missing padding', 'YQ'],
    ['too much padding', 'YQ==='],
    ['a space inside', 'YW Jj'],
    ['a character before', '!YWJj'],
    ['a character after', 'YWJj!'],
    ['a line break after', 'YWJj\n'],
    ['base64url characters', '-_-_'],
    ['padding in the middle', 'YQ==YWJj'],
  ])('refuses %s', (_label, text) => {
    expect(toBytesFromBase64(text)).toBeUndefined();
  });

  it.each([[undefined], [null], [42], [['YWJj']], [Buffer.from('abc')]])('refuses a value that is not a string (%s)', (value) => {
    expect(toBytesFromBase64(value)).toBeUndefined();
  });
});

describe('isRecord', () => {
  it('is true for plain objects only', () => {
    expect(isRecord({})).toBe(true);
    expect(isRecord({ a: 1 })).toBe(true);
    expect(isRecord(Object.create(null))).toBe(true);
    expect(isRecord(null)).toBe(false);
    expect(isRecord([])).toBe(false);
    expect(isRecord('x')).toBe(false);
    expect(isRecord(1)).toBe(false);
    expect(isRecord(undefined)).toBe(false);
  });
});

describe('toDate', () => {
  it('parses an ISO-8601 instant', () => {
    expect(toDate('2026-05-01T12:34:56.789Z')?.getTime()).toBe(Date.UTC(2026, 4, 1, 12, 34, 56, 789));
  });

  it.each([[''], ['not a date'], ['2026-13-45T00:00:00Z'], [undefined], [null], [0], [Date.UTC(2026, 0, 1)], [new Date('2026-01-01T00:00:00Z')]])(
    'refuses %s',
    (value) => {
      expect(toDate(value)).toBeUndefined();
    },
  );
});

describe('toParsedDocument', () => {
  const value = { b: 1, a: [true, null, 'x'] };
  const text = '{ "b": 1, "a": [true, null, "x"] }';

  it('raw text: parsed, identified by the sha256 of exactly those bytes', () => {
    expect(toParsedDocument(text)).toStrictEqual({ value, sha256: sha256Hex(Buffer.from(text, 'utf8')), basis: 'bytes' });
  });

  it('raw bytes: the same, whatever kind of Uint8Array holds them', () => {
    const bytes = Buffer.from(text, 'utf8');
    const expected = { value, sha256: sha256Hex(bytes), basis: 'bytes' };
    expect(toParsedDocument(bytes)).toStrictEqual(expected);
    expect(toParsedDocument(new Uint8Array(bytes))).toStrictEqual(expected);
  });

  it('an already parsed value: identified by the sha256 of its canonical JSON', () => {
    const result = toParsedDocument(value);
    expect(result).toStrictEqual({ value, sha256: sha256Hex(canonicalJson(value)), basis: 'canonical-json' });
    expect(result).toMatchObject({ sha256: sha256Hex('{"a":[true,null,"x"],"b":1}') });
  });

  it('text that is not JSON is an error, not a value', () => {
    expect(toParsedDocument('{')).toStrictEqual({ error: expect.stringMatching(/^not JSON: ./) });
    expect(toParsedDocument(Buffer.from('{'))).toStrictEqual({ error: expect.stringMatching(/^not JSON: ./) });
  });

  it('a parsed value JSON cannot express is an error, not a value', () => {
    expect(toParsedDocument({ a: Number.NaN })).toStrictEqual({ error: expect.stringMatching(/^not a JSON value: ./) });
  });
});

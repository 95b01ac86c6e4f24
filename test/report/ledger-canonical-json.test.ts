// canonicalJson, which gives ledger records (and the policy digest) their bytes: RFC 8785 output
// for JSON data, and a refusal, never a silent change, for anything else.

import { json } from '@sigstore/core';
import { describe, expect, it } from 'vitest';
import { CanonicalJsonError, canonicalJson, sha256Hex } from '../../src/canonical-json.js';

describe('canonicalJson', () => {
  it('matches RFC 8785 §3.2.2 (the sample input and output)', () => {
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001], "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}',
    ) as unknown;
    expect(canonicalJson(input)).toBe('{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}');
  });

  it('sorts keys by UTF-16 code units at every depth, with no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
    // RFC 8785 §3.2.3: U+1F600 (surrogates D83D DE00) sorts before U+FFFD by code unit.
    expect(canonicalJson({ '\uFFFD': 1, '\u{1F600}': 2, '\u00e9': 3, a: 4 })).toBe('{"a":4,"é":3,"😀":2,"�":1}');
  });

  it('gives equal values equal bytes whatever the key order, and -0 prints as 0', () => {
    expect(canonicalJson({ x: [1, 2], y: 'z' })).toBe(canonicalJson({ y: 'z', x: [1, 2] }));
    expect(canonicalJson(-0)).toBe('0');
  });

  it('leaves out object properties that are undefined, as JSON.stringify does', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
  });

  it('sorts an object with a key named toJSON (where @sigstore/core 3.2.1 does not)', () => {
    expect(canonicalJson({ toJSON: 'x', b: 1, a: 2 })).toBe('{"a":2,"b":1,"toJSON":"x"}');
    expect(json.canonicalize({ toJSON: 'x', b: 1, a: 2 })).toBe('{"toJSON":"x","b":1,"a":2}');
    expect(json.canonicalize({ a: undefined })).toBe('{"a":undefined}');
  });

  it('keeps a parsed "__proto__" key as data', () => {
    expect(canonicalJson(JSON.parse('{"__proto__":{"polluted":true},"a":1}'))).toBe('{"__proto__":{"polluted":true},"a":1}');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it.each([
    ['NaN', { a: Number.NaN }, '$.a'],
    ['Infinity', [Infinity], '$[0]'],
    ['an undefined array element', [1, undefined], '$[1]'],
    ['a hole', [1, , 3], '$[1]'], // eslint-disable-line no-sparse-arrays
    ['a Date', { at: new Date(0) }, '$.at'],
    ['a Map', new Map(), '$'],
    ['a Buffer', { b: Buffer.from('x') }, '$.b'],
    ['a function', { f: () => 1 }, '$.f'],
    ['a bigint', { n: 1n }, '$.n'],
    ['top-level undefined', undefined, '$'],
    ['a lone surrogate', { s: 'a\uD800b' }, '$.s'],
    ['a lone surrogate in a key', { ['\uDC00']: 1 }, '$'],
  ])('refuses %s with NOT_JSON_VALUE naming the field', (_name, value, field) => {
    const error = (() => {
      try {
        canonicalJson(value);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(CanonicalJsonError);
    expect(error).toMatchObject({ code: 'NOT_JSON_VALUE', field, exitCode: 2 });
  });
});

describe('sha256Hex', () => {
  it('hashes a string as its UTF-8 bytes', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('é')).toBe(sha256Hex(Buffer.from([0xc3, 0xa9])));
    expect(sha256Hex(new Uint8Array([0x61, 0x62, 0x63]))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

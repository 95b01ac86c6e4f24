// Deterministic JSON for digests (the policy digest, ledger records): the same value always gives
// the same bytes. RFC 8785 (JCS) for the values we use: object keys sorted by UTF-16 code units,
// no whitespace, strings and numbers as ECMAScript's JSON.stringify spells them (which is what
// RFC 8785 specifies for both).
//
// Not a wrapper of @sigstore/core's `json.canonicalize` (v3.2.1 does export one) on purpose: it
// writes `{"a":undefined}` for an undefined property, and any object with a key named `toJSON`
// (valid in a report: it is untrusted data) falls through to JSON.stringify with its keys
// unsorted, so two equal values could digest differently. Both are shown in the tests.

import { createHash } from 'node:crypto';
import { EXIT, VerifyDepsError, type ErrorDetails } from './errors.js';

export type CanonicalJsonErrorCode = 'NOT_JSON_VALUE';

// The value holds something JSON cannot express exactly (undefined, NaN, a Date, a lone surrogate).
export class CanonicalJsonError extends VerifyDepsError<CanonicalJsonErrorCode> {
  constructor(message: string, details: ErrorDetails = {}) {
    super('NOT_JSON_VALUE', message, EXIT.badInput, details);
  }
}

// A lone UTF-16 surrogate cannot be encoded as UTF-8: RFC 8785 (I-JSON) forbids it.
const LONE_SURROGATE = /\p{Surrogate}/u;

// Serialises JSON data canonically. Object properties whose value is undefined are left out (as
// JSON.stringify does); every other non-JSON value throws CanonicalJsonError rather than being
// silently changed (NaN to null, a Date to a string).
export function canonicalJson(value: unknown): string {
  return serialise(value, '$');
}

// The sha256 of bytes (a string is taken as its UTF-8 bytes), in lower-case hex.
export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(typeof data === 'string' ? Buffer.from(data, 'utf8') : data).digest('hex');
}

function serialise(value: unknown, path: string): string {
  if (value === null || typeof value === 'boolean') {
    return JSON.stringify(value);
  }
  if (typeof value === 'string') {
    return serialiseString(value, path);
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new CanonicalJsonError(`${path} is ${value}, not a finite number`, { field: path });
    }
    // ECMAScript Number::toString is RFC 8785's number format; -0 prints as 0.
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    const items: string[] = [];
    for (let i = 0; i < value.length; i++) {
      // A hole or undefined element has no JSON spelling (JSON.stringify would invent a null).
      if (value[i] === undefined) {
        throw new CanonicalJsonError(`${path}[${i}] is undefined`, { field: `${path}[${i}]` });
      }
      items.push(serialise(value[i], `${path}[${i}]`));
    }
    return `[${items.join(',')}]`;
  }
  if (typeof value === 'object' && isPlainObject(value)) {
    // Default sort compares UTF-16 code units, exactly RFC 8785's rule for property names.
    const keys = Object.keys(value).sort();
    const members: string[] = [];
    for (const key of keys) {
      const item = (value as Record<string, unknown>)[key];
      if (item !== undefined) {
        members.push(`${serialiseString(key, path)}:${serialise(item, `${path}.${key}`)}`);
      }
    }
    return `{${members.join(',')}}`;
  }
  const kind = typeof value === 'object' ? ((value as object).constructor?.name ?? 'object') : typeof value;
  throw new CanonicalJsonError(`${path} is a ${kind}, not JSON data`, { field: path });
}

function serialiseString(value: string, path: string): string {
  if (LONE_SURROGATE.test(value)) {
    throw new CanonicalJsonError(`${path} holds a string with a lone UTF-16 surrogate`, { field: path });
  }
  return JSON.stringify(value);
}

// Only plain data: a Date, Map, Buffer or class instance would not survive a JSON round trip.
function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

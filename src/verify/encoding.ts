// Small, strict decoders for untrusted JSON. Node's Buffer.from(s, 'base64') skips bad
// characters silently; a key or signature that decodes "mostly" must not be accepted.

import { canonicalJson, sha256Hex } from '../canonical-json.js';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

// Decodes standard base64 (padding required); undefined when the text is not exactly that.
export function toBytesFromBase64(value: unknown): Buffer<ArrayBuffer> | undefined {
  if (typeof value !== 'string' || value.length === 0 || !BASE64.test(value)) {
    return undefined;
  }
  return Buffer.from(value, 'base64');
}

// Narrows an untrusted value to a plain JSON object.
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Parses an ISO-8601 date; undefined unless it names a real instant.
export function toDate(value: unknown): Date | undefined {
  if (typeof value !== 'string' || value.length === 0) {
    return undefined;
  }
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

// Trust material arrives as raw bytes (preferred: the digest is of exactly what was read) or
// already parsed; either way it comes back parsed, with the sha256 that identifies it.
export function toParsedDocument(
  input: unknown,
): { value: unknown; sha256: string; basis: 'bytes' | 'canonical-json' } | { error: string } {
  if (typeof input === 'string' || input instanceof Uint8Array) {
    const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : Buffer.from(input);
    try {
      return { value: JSON.parse(bytes.toString('utf8')), sha256: sha256Hex(bytes), basis: 'bytes' };
    } catch (err) {
      return { error: `not JSON: ${(err as Error).message}` };
    }
  }
  try {
    return { value: input, sha256: sha256Hex(canonicalJson(input)), basis: 'canonical-json' };
  } catch (err) {
    return { error: `not a JSON value: ${(err as Error).message}` };
  }
}

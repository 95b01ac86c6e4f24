// ECDSA verification over a digest the caller already has (FIPS 186-4 §6.4.2), for the NIST
// curves Sigstore keys use. Node's crypto only verifies over a message it hashes itself, and a
// `sha256:` artifact digest is all the sigstore-conformance protocol may hand us.
//
// Only public values are involved (key, digest, signature), so BigInt arithmetic that is not
// constant-time leaks nothing. Every range and curve-membership check of the standard is made:
// a check left out here would accept a forged signature.

import type { KeyObject } from 'node:crypto';
import { ASN1Obj } from '@sigstore/core';

interface Curve {
  p: bigint;
  a: bigint;
  b: bigint;
  n: bigint;
  gx: bigint;
  gy: bigint;
}

interface Point {
  x: bigint;
  y: bigint;
}

// SEC 2 / FIPS 186-4 domain parameters; a = p - 3 for all three.
const CURVES: Record<string, Curve> = {
  'P-256': curve(
    0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
    0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn,
    0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
    0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
    0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
  ),
  'P-384': curve(
    0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffffn,
    0xb3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aefn,
    0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
    0xaa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7n,
    0x3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5fn,
  ),
  'P-521': curve(
    (1n << 521n) - 1n,
    0x0051953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00n,
    0x01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409n,
    0x00c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d3dbaa14b5e77efe75928fe1dc127a2ffa8de3348b3c1856a429bf97e7e31c2e5bd66n,
    0x011839296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e662c97ee72995ef42640c550b9013fad0761353c7086a272c24088be94769fd16650n,
  ),
};

// The curves verifyEcdsaDigest supports, by their JWK name.
export const ECDSA_CURVES: ReadonlySet<string> = new Set(Object.keys(CURVES));

// Whether `signature` (DER, as X.509 and Sigstore carry it) is a valid ECDSA signature by `key`
// over `digest`. False for anything malformed, off-curve or out of range, and for keys that are
// not EC keys on a supported curve.
export function verifyEcdsaDigest(key: KeyObject, digest: Uint8Array, signature: Uint8Array): boolean {
  if (key.type !== 'public' || key.asymmetricKeyType !== 'ec') return false;
  const jwk = key.export({ format: 'jwk' });
  const c = typeof jwk.crv === 'string' ? CURVES[jwk.crv] : undefined;
  if (c === undefined || jwk.x === undefined || jwk.y === undefined) return false;
  const q: Point = { x: toBigInt(Buffer.from(jwk.x, 'base64url')), y: toBigInt(Buffer.from(jwk.y, 'base64url')) };
  // The public key must be a point of the curve (Node checks on import; this does not rely on it).
  if (q.x >= c.p || q.y >= c.p || !isOnCurve(c, q)) return false;

  const rs = toSignatureIntegers(signature);
  if (rs === undefined) return false;
  const { r, s } = rs;
  if (r < 1n || r >= c.n || s < 1n || s >= c.n) return false;

  const e = toDigestInteger(digest, bitLength(c.n));
  const w = invert(s, c.n);
  const u1 = mod(e * w, c.n);
  const u2 = mod(r * w, c.n);
  const point = add(c, multiply(c, { x: c.gx, y: c.gy }, u1), multiply(c, q, u2));
  return point !== null && mod(point.x, c.n) === r;
}

function curve(p: bigint, b: bigint, n: bigint, gx: bigint, gy: bigint): Curve {
  return { p, a: p - 3n, b, n, gx, gy };
}

// The DER SEQUENCE { INTEGER r, INTEGER s }; undefined unless it is exactly that.
function toSignatureIntegers(der: Uint8Array): { r: bigint; s: bigint } | undefined {
  try {
    const bytes = Buffer.from(der);
    const seq = ASN1Obj.parseBuffer(bytes);
    const [r, s] = seq.subs;
    const isSequence = seq.tag.isUniversal() && seq.tag.constructed && seq.tag.number === 0x10;
    if (!isSequence || seq.subs.length !== 2 || r === undefined || s === undefined || !r.tag.isInteger() || !s.tag.isInteger()) return undefined;
    // Trailing bytes after the sequence would be ignored by the parser; refuse them.
    if (!seq.toDER().equals(bytes)) return undefined;
    return { r: r.toInteger(), s: s.toInteger() };
  } catch {
    return undefined;
  }
}

// The leftmost min(bits of n, bits of digest) bits of the digest, as an integer (§6.4).
function toDigestInteger(digest: Uint8Array, nBits: number): bigint {
  const e = toBigInt(digest);
  const excess = digest.length * 8 - nBits;
  return excess > 0 ? e >> BigInt(excess) : e;
}

function isOnCurve(c: Curve, q: Point): boolean {
  return mod(q.y * q.y - (q.x * q.x * q.x + c.a * q.x + c.b), c.p) === 0n;
}

// Affine point addition; null is the point at infinity.
function add(c: Curve, a: Point | null, b: Point | null): Point | null {
  if (a === null) return b;
  if (b === null) return a;
  let slope: bigint;
  if (a.x === b.x) {
    if (mod(a.y + b.y, c.p) === 0n) return null;
    slope = mod((3n * a.x * a.x + c.a) * invert(2n * a.y, c.p), c.p);
  } else {
    slope = mod((b.y - a.y) * invert(b.x - a.x, c.p), c.p);
  }
  const x = mod(slope * slope - a.x - b.x, c.p);
  return { x, y: mod(slope * (a.x - x) - a.y, c.p) };
}

// Double-and-add, most significant bit first.
function multiply(c: Curve, point: Point, scalar: bigint): Point | null {
  let result: Point | null = null;
  for (let i = bitLength(scalar) - 1; i >= 0; i -= 1) {
    result = add(c, result, result);
    if ((scalar >> BigInt(i)) & 1n) result = add(c, result, point);
  }
  return result;
}

// The inverse modulo a prime m, by the extended Euclidean algorithm.
function invert(value: bigint, m: bigint): bigint {
  let [a, b] = [mod(value, m), m];
  let [x, y] = [1n, 0n];
  while (b !== 0n) {
    const q = a / b;
    [a, b] = [b, a - q * b];
    [x, y] = [y, x - q * y];
  }
  if (a !== 1n) throw new RangeError('not invertible');
  return mod(x, m);
}

function mod(a: bigint, m: bigint): bigint {
  const r = a % m;
  return r < 0n ? r + m : r;
}

function bitLength(value: bigint): number {
  return value === 0n ? 0 : value.toString(2).length;
}

function toBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
}

// ECDSA verification over a digest the caller already has, for the NIST curves Sigstore keys use.
// Node's crypto only verifies over a message it hashes itself, and a `sha256:` artifact digest is
// all the sigstore-conformance protocol may hand us. The arithmetic is @noble/curves' (audited),
// not ours.

import type { KeyObject } from 'node:crypto';
import { p256, p384, p521 } from '@noble/curves/nist.js';

const CURVES = { 'P-256': p256, 'P-384': p384, 'P-521': p521 } as const;

// The curves a digest-only signature can be checked on.
export const ECDSA_CURVES: ReadonlySet<string> = new Set(Object.keys(CURVES));

// Whether `signature` (DER, as X.509 and Sigstore carry it) is a valid ECDSA signature by `key`
// over `digest`. False for anything malformed, off-curve or out of range, and for keys that are
// not EC keys on a supported curve. High-S signatures are accepted, as Node's own verify does.
export function verifyEcdsaDigest(key: KeyObject, digest: Uint8Array, signature: Uint8Array): boolean {
  if (key.type !== 'public' || key.asymmetricKeyType !== 'ec') return false;
  try {
    // Inside the try: Node cannot write every EC curve as a JWK (brainpool, for one) and throws.
    const jwk = key.export({ format: 'jwk' });
    const curve = typeof jwk.crv === 'string' ? CURVES[jwk.crv as keyof typeof CURVES] : undefined;
    if (curve === undefined || typeof jwk.x !== 'string' || typeof jwk.y !== 'string') return false;
    const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]);
    return curve.verify(signature, digest, point, { prehash: false, lowS: false, format: 'der' });
  } catch {
    return false;
  }
}

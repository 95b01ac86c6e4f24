// Signatures checked over a digest alone (the `sha256:` form): the hand-written ECDSA and the
// RSA PKCS#1 v1.5 check must agree with Node's crypto on every supported key, and reject
// everything else.

import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { canVerifyOverDigest, DigestSignatureContent, verifyDigestSignature } from '../../src/verify/artifact/digest-signature.js';
import { verifyEcdsaDigest } from '../../src/verify/artifact/ecdsa.js';

const MESSAGE = Buffer.from('the artifact\n');

function signed(key: { publicKey: KeyObject; privateKey: KeyObject }, hash: string) {
  return { key: key.publicKey, digest: createHash(hash).update(MESSAGE).digest(), signature: sign(hash, MESSAGE, key.privateKey) };
}

function flip(bytes: Buffer, index: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[index]! ^= 1;
  return copy;
}

describe('signature over a digest', () => {
  test.each([
    ['P-256', 'sha256'],
    ['P-384', 'sha384'],
    ['P-384', 'sha256'],
    ['P-521', 'sha512'],
    ['P-256', 'sha512'],
  ])('ECDSA %s with %s agrees with Node', (curve, hash) => {
    for (let i = 0; i < 3; i += 1) {
      const { key, digest, signature } = signed(generateKeyPairSync('ec', { namedCurve: curve }), hash);
      expect(verifyDigestSignature(key, digest, signature, hash)).toBe(true);
      expect(verifyDigestSignature(key, flip(digest, 0), signature, hash)).toBe(false);
      expect(verifyDigestSignature(key, digest, flip(signature, signature.length - 1), hash)).toBe(false);
      expect(verifyDigestSignature(generateKeyPairSync('ec', { namedCurve: curve }).publicKey, digest, signature, hash)).toBe(false);
    }
  });

  test('ECDSA rejects malformed and out-of-range signatures', () => {
    const { key, digest, signature } = signed(generateKeyPairSync('ec', { namedCurve: 'P-256' }), 'sha256');
    const n = Buffer.from('00ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551', 'hex');
    const der = (r: Buffer, s: Buffer) => Buffer.concat([Buffer.from([0x30, r.length + s.length + 4, 0x02, r.length]), r, Buffer.from([0x02, s.length]), s]);
    expect(verifyEcdsaDigest(key, digest, Buffer.concat([signature, Buffer.from([0])]))).toBe(false);
    expect(verifyEcdsaDigest(key, digest, Buffer.alloc(0))).toBe(false);
    expect(verifyEcdsaDigest(key, digest, der(Buffer.from([0]), Buffer.from([1])))).toBe(false);
    expect(verifyEcdsaDigest(key, digest, der(Buffer.from([1]), n))).toBe(false);
  });

  test.each(['sha256', 'sha384', 'sha512'])('RSA PKCS#1 v1.5 with %s agrees with Node', (hash) => {
    const { key, digest, signature } = signed(generateKeyPairSync('rsa', { modulusLength: 2048 }), hash);
    expect(verifyDigestSignature(key, digest, signature, hash)).toBe(true);
    expect(verifyDigestSignature(key, flip(digest, 3), signature, hash)).toBe(false);
    // The DigestInfo names the hash: the same digest bytes under another algorithm do not pass.
    expect(verifyDigestSignature(key, digest, signature, hash === 'sha256' ? 'sha512' : 'sha256')).toBe(false);
  });

  test('Ed25519 cannot be checked over a digest, and says so', () => {
    const pair = generateKeyPairSync('ed25519');
    const signature = sign(null, MESSAGE, pair.privateKey);
    expect(canVerifyOverDigest(pair.publicKey)).toBe(false);
    expect(verifyDigestSignature(pair.publicKey, createHash('sha256').update(MESSAGE).digest(), signature, 'sha256')).toBe(false);
  });

  test('the content compares the tlog entry signature and digest exactly', () => {
    const { digest, signature } = signed(generateKeyPairSync('ec', { namedCurve: 'P-256' }), 'sha256');
    const content = new DigestSignatureContent(signature, digest, 'sha256');
    expect(content.compareDigest(digest)).toBe(true);
    expect(content.compareDigest(flip(digest, 1))).toBe(false);
    expect(content.compareSignature(signature)).toBe(true);
    expect(content.compareSignature(signature.subarray(1))).toBe(false);
  });
});

// The checks of a signature over a digest alone (src/verify/artifact/ecdsa.ts and
// digest-signature.ts) on the inputs they must refuse: keys that are not public EC keys on a NIST
// curve, signature encodings other than DER, and what an RSA signature may recover.

import { constants, createHash, generateKeyPairSync, privateEncrypt, sign, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canVerifyOverDigest, DigestSignatureContent, verifyDigestSignature } from '../../src/verify/artifact/digest-signature.js';
import { ECDSA_CURVES, verifyEcdsaDigest } from '../../src/verify/artifact/ecdsa.js';

const MESSAGE = Buffer.from('the artifact\n');
const DIGEST = createHash('sha256').update(MESSAGE).digest();
const P256_ORDER = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');

// r and s of a DER ECDSA signature (SEQUENCE of two INTEGERs, short lengths for P-256).
function readDer(signature: Buffer): { r: bigint; s: bigint } {
  const rLength = signature[3]!;
  const r = signature.subarray(4, 4 + rLength);
  const s = signature.subarray(6 + rLength, 6 + rLength + signature[5 + rLength]!);
  return { r: BigInt(`0x${r.toString('hex')}`), s: BigInt(`0x${s.toString('hex')}`) };
}

function derInteger(value: bigint): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  const bytes = Buffer.from(hex, 'hex');
  const body = bytes[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
  return Buffer.concat([Buffer.from([0x02, body.length]), body]);
}

function writeDer(r: bigint, s: bigint): Buffer {
  const body = Buffer.concat([derInteger(r), derInteger(s)]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}

const fixed32 = (value: bigint): Buffer => Buffer.from(value.toString(16).padStart(64, '0'), 'hex');

describe('verifyEcdsaDigest: the key', () => {
  const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const signature = sign('sha256', MESSAGE, pair.privateKey);

  it('the curves are the NIST ones Sigstore uses', () => {
    expect([...ECDSA_CURVES].sort()).toEqual(['P-256', 'P-384', 'P-521']);
  });

  it('a private key is no verification key, even the one that signed', () => {
    expect(verifyEcdsaDigest(pair.publicKey, DIGEST, signature)).toBe(true);
    expect(verifyEcdsaDigest(pair.privateKey, DIGEST, signature)).toBe(false);
  });

  it.each([
    ['an RSA key', () => generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey],
    ['an Ed25519 key', () => generateKeyPairSync('ed25519').publicKey],
    ['a DSA key (no JWK form)', () => generateKeyPairSync('dsa', { modulusLength: 1024, divisorLength: 160 }).publicKey],
    ['an EC key on secp256k1', () => generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey],
    ['an EC key on a curve Node cannot write as a JWK (brainpoolP256r1)', () => generateKeyPairSync('ec', { namedCurve: 'brainpoolP256r1' }).publicKey],
  ])('%s is refused, not thrown on', (_label, makeKey: () => KeyObject) => {
    expect(verifyEcdsaDigest(makeKey(), DIGEST, signature)).toBe(false);
  });
});

describe('verifyEcdsaDigest: the signature encoding', () => {
  const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { r, s } = readDer(sign('sha256', MESSAGE, pair.privateKey));

  it('both the low-S and the high-S form of a signature verify, as with Node', () => {
    const low = s > P256_ORDER / 2n ? P256_ORDER - s : s;
    expect(verifyEcdsaDigest(pair.publicKey, DIGEST, writeDer(r, low))).toBe(true);
    expect(verifyEcdsaDigest(pair.publicKey, DIGEST, writeDer(r, P256_ORDER - low))).toBe(true);
  });

  it('the same r and s as 64 raw bytes (not DER) are refused', () => {
    expect(verifyEcdsaDigest(pair.publicKey, DIGEST, Buffer.concat([fixed32(r), fixed32(s)]))).toBe(false);
  });

  it('the digest is checked as given, not hashed again', () => {
    const overDigest = sign('sha256', DIGEST, pair.privateKey);
    expect(verifyEcdsaDigest(pair.publicKey, DIGEST, overDigest)).toBe(false);
  });
});

describe('canVerifyOverDigest', () => {
  it.each([
    ['an EC key', () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey, true],
    ['an RSA key', () => generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey, true],
    ['an RSA-PSS key', () => generateKeyPairSync('rsa-pss', { modulusLength: 2048 }).publicKey, false],
    ['an Ed25519 key', () => generateKeyPairSync('ed25519').publicKey, false],
  ])('%s: %s', (_label, makeKey: () => KeyObject, expected) => {
    expect(canVerifyOverDigest(makeKey())).toBe(expected);
  });
});

describe('verifyDigestSignature: RSA PKCS#1 v1.5', () => {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const prefix = Buffer.from('3031300d060960864801650304020105000420', 'hex');
  // A signature whose PKCS#1 type-1 block holds exactly `block`.
  const signBlock = (block: Buffer) => privateEncrypt({ key: pair.privateKey, padding: constants.RSA_PKCS1_PADDING }, block);

  it('the recovered block must be the DigestInfo of the digest, nothing more and nothing less', () => {
    expect(verifyDigestSignature(pair.publicKey, DIGEST, signBlock(Buffer.concat([prefix, DIGEST])), 'sha256')).toBe(true);
    expect(verifyDigestSignature(pair.publicKey, DIGEST, signBlock(Buffer.concat([prefix, DIGEST, Buffer.from([0])])), 'sha256')).toBe(false);
    expect(verifyDigestSignature(pair.publicKey, DIGEST, signBlock(DIGEST), 'sha256')).toBe(false);
  });

  it('a hash algorithm without a DigestInfo here is refused', () => {
    const sha1 = createHash('sha1').update(MESSAGE).digest();
    expect(verifyDigestSignature(pair.publicKey, sha1, sign('sha1', MESSAGE, pair.privateKey), 'sha1')).toBe(false);
  });

  it('a signature that does not decrypt is refused, not thrown on', () => {
    expect(verifyDigestSignature(pair.publicKey, DIGEST, Buffer.alloc(256, 0xff), 'sha256')).toBe(false);
    expect(verifyDigestSignature(pair.publicKey, DIGEST, Buffer.alloc(3), 'sha256')).toBe(false);
  });

  it('an RSA-PSS key is refused: its signatures are salted', () => {
    const pss = generateKeyPairSync('rsa-pss', { modulusLength: 2048 });
    const signature = sign('sha256', MESSAGE, { key: pss.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING });
    expect(verifyDigestSignature(pss.publicKey, DIGEST, signature, 'sha256')).toBe(false);
  });
});

describe('DigestSignatureContent', () => {
  const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const signature = sign('sha256', MESSAGE, pair.privateKey);

  it('keeps its own copy of the signature and the digest', () => {
    const digest = Buffer.from(DIGEST);
    const given = Buffer.from(signature);
    const content = new DigestSignatureContent(given, digest, 'sha256');
    digest.fill(0);
    given.fill(0);
    expect(content.signature.equals(signature)).toBe(true);
    expect(content.compareDigest(DIGEST)).toBe(true);
    expect(content.verifySignature(pair.publicKey)).toBe(true);
  });

  it('verifies the signature over the digest with the key it is given, in its hash algorithm', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const sha384 = createHash('sha384').update(MESSAGE).digest();
    const content = new DigestSignatureContent(sign('sha384', MESSAGE, rsa.privateKey), sha384, 'sha384');
    expect(content.verifySignature(rsa.publicKey)).toBe(true);
    expect(content.verifySignature(generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey)).toBe(false);
    expect(new DigestSignatureContent(sign('sha384', MESSAGE, rsa.privateKey), sha384, 'sha256').verifySignature(rsa.publicKey)).toBe(false);
  });

  it('compares a tlog entry\'s signature and digest by their whole bytes', () => {
    const content = new DigestSignatureContent(signature, DIGEST, 'sha256');
    expect(content.compareSignature(Buffer.concat([signature, Buffer.from([0])]))).toBe(false);
    expect(content.compareDigest(DIGEST.subarray(0, 31))).toBe(false);
    expect(content.compareDigest(Buffer.concat([DIGEST, Buffer.from([0])]))).toBe(false);
  });
});

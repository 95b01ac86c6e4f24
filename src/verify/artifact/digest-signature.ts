// A message signature checked against the artifact's digest alone, for when the caller has only
// `sha256:<hex>`. @sigstore/verify's MessageSignatureContent needs the artifact's bytes (it hands
// them to Node's crypto.verify, which hashes them itself); this stands in for it with the same
// interface, so the Verifier's tlog-body, key and signature checks all still run.

import { constants, publicDecrypt, type KeyObject } from 'node:crypto';
import type { SignedEntity } from '@sigstore/verify';
import { verifyEcdsaDigest } from './ecdsa.js';

type SignatureContent = SignedEntity['signature'];

// The DER DigestInfo prefix of an RSASSA-PKCS1-v1_5 signature (RFC 8017 §9.2, note 1).
const DIGEST_INFO: Record<string, Buffer> = {
  sha256: Buffer.from('3031300d060960864801650304020105000420', 'hex'),
  sha384: Buffer.from('3041300d060960864801650304020205000430', 'hex'),
  sha512: Buffer.from('3051300d060960864801650304020305000440', 'hex'),
};

// Whether a key of this type can be checked against a digest alone: ECDSA and RSA PKCS#1 v1.5
// sign a digest; Ed25519 and RSA-PSS-only keys sign the message itself (or salt it), so a
// signature by them can only be checked with the artifact's bytes.
export function canVerifyOverDigest(key: KeyObject): boolean {
  return key.asymmetricKeyType === 'ec' || key.asymmetricKeyType === 'rsa';
}

// The signature content of a message-signature bundle, verified over `digest` (the artifact's,
// which the caller has already compared with the bundle's messageDigest).
export class DigestSignatureContent implements SignatureContent {
  readonly signature: Buffer;
  private readonly digest: Buffer;
  private readonly hashAlgorithm: string;

  constructor(signature: Uint8Array, digest: Uint8Array, hashAlgorithm: string) {
    this.signature = Buffer.from(signature);
    this.digest = Buffer.from(digest);
    this.hashAlgorithm = hashAlgorithm;
  }

  // The tlog entry must record exactly this signature...
  compareSignature(signature: Buffer): boolean {
    return Buffer.compare(signature, this.signature) === 0;
  }

  // ...over exactly this digest.
  compareDigest(digest: Buffer): boolean {
    return Buffer.compare(digest, this.digest) === 0;
  }

  // A message signature signs the artifact itself, so the digest of the signed bytes that a
  // hashedrekord entry records is the artifact's digest.
  compareSignedDigest(digest: Buffer): boolean {
    return this.compareDigest(digest);
  }

  verifySignature(key: KeyObject): boolean {
    return verifyDigestSignature(key, this.digest, this.signature, this.hashAlgorithm);
  }
}

// Whether `signature` by `key` covers `digest` (a `hashAlgorithm` digest). False for key types
// that cannot be checked this way (see canVerifyOverDigest) and for anything malformed.
export function verifyDigestSignature(key: KeyObject, digest: Buffer, signature: Buffer, hashAlgorithm: string): boolean {
  try {
    if (key.asymmetricKeyType === 'ec') {
      return verifyEcdsaDigest(key, digest, signature);
    }
    if (key.asymmetricKeyType === 'rsa') {
      const prefix = DIGEST_INFO[hashAlgorithm];
      if (prefix === undefined) return false;
      // RSA "public decryption" with PKCS#1 v1.5 type-1 padding recovers the signed DigestInfo;
      // the whole of it must be the expected algorithm and digest, nothing more.
      const recovered = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, signature);
      return recovered.equals(Buffer.concat([prefix, digest]));
    }
    return false;
  } catch {
    return false;
  }
}

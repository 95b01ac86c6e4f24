// The binding of a bundle to the artifact the caller holds. A valid signature over some other
// artifact proves nothing about this one, and @sigstore/verify checks neither of these:
//  - a message signature's messageDigest is only compared with the tlog entry, not the artifact;
//  - a DSSE envelope's in-toto subjects are not looked at at all.

import { createHash } from 'node:crypto';
import type { MessageSignature } from '@sigstore/bundle';
import { toFinding } from '../findings.js';
import type { Statement } from '../attestation/statement.js';
import type { Finding } from '../types.js';

// The artifact as the caller has it: its bytes, or only its sha256 (`sha256:<hex>` on the CLI).
export type ArtifactInput = { bytes: Uint8Array } | { sha256Hex: string };

// The artifact once its digest is known; `bytes` is kept when there were bytes.
export interface Artifact {
  sha256Hex: string;
  bytes?: Buffer;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

// The hash algorithms of a messageDigest (protobuf-specs' HashAlgorithm values) that can be
// compared with an artifact. SHA3 is only used for LMS signatures, which nothing here verifies.
const MESSAGE_DIGEST_ALGORITHMS: Record<number, string> = { 1: 'sha256', 2: 'sha384', 3: 'sha512' };

// Normalises the caller's artifact; throws TypeError for a digest that is not 64 hex characters
// (a programming error: the CLI validates what the user typed before calling).
export function toArtifact(input: ArtifactInput): Artifact {
  if ('bytes' in input) {
    const bytes = Buffer.from(input.bytes);
    return { sha256Hex: createHash('sha256').update(bytes).digest('hex'), bytes };
  }
  const sha256Hex = input.sha256Hex.toLowerCase();
  if (!SHA256_HEX.test(sha256Hex)) {
    throw new TypeError(`expected a sha256 digest of 64 hex characters, got ${JSON.stringify(input.sha256Hex)}`);
  }
  return { sha256Hex };
}

// The hash algorithm name (for Node's crypto) of a messageDigest; undefined when unsupported.
export function getMessageDigestAlgorithm(message: Pick<MessageSignature, 'messageDigest'>): string | undefined {
  const algorithm = message.messageDigest?.algorithm;
  return algorithm === undefined ? undefined : MESSAGE_DIGEST_ALGORITHMS[algorithm];
}

// Requires the bundle's messageDigest to be the artifact's digest. With bytes, the digest is
// computed in the bundle's algorithm; with only a sha256, the bundle must use sha256.
export function verifyMessageDigest(message: Pick<MessageSignature, 'messageDigest'>, artifact: Artifact): Finding[] {
  const algorithm = getMessageDigestAlgorithm(message);
  const claimed = message.messageDigest?.digest;
  if (algorithm === undefined || claimed === undefined) {
    return [toFinding('BUNDLE_MALFORMED', `expected a messageDigest in SHA2_256, SHA2_384 or SHA2_512, got algorithm ${String(message.messageDigest?.algorithm)}`)];
  }
  let actual: string;
  if (artifact.bytes !== undefined) {
    actual = createHash(algorithm).update(artifact.bytes).digest('hex');
  } else if (algorithm === 'sha256') {
    actual = artifact.sha256Hex;
  } else {
    return [toFinding('SUBJECT_DIGEST_MISMATCH', `expected a sha256 messageDigest to compare with the given sha256:${artifact.sha256Hex}, got a ${algorithm} one; pass the artifact file instead`, { algorithm })];
  }
  const expected = Buffer.from(claimed).toString('hex');
  return expected === actual
    ? []
    : [toFinding('SUBJECT_DIGEST_MISMATCH', `expected the bundle's messageDigest to be the artifact's ${algorithm} ${actual}, got ${expected}`, { algorithm, expected: actual, actual: expected })];
}

// Requires the artifact's sha256 to be the sha256 digest of at least one subject of the signed
// statement. Subject names are not compared: the artifact's file name is not signed anywhere.
export function verifyArtifactSubject(statement: Pick<Statement, 'subject'>, artifact: Artifact): Finding[] {
  const digests = statement.subject.map((s) => s.digest['sha256']?.toLowerCase());
  if (digests.includes(artifact.sha256Hex)) {
    return [];
  }
  const listed = digests.map((d) => d ?? 'none').join(', ');
  return [
    toFinding('SUBJECT_DIGEST_MISMATCH', `expected a subject of the signed statement with sha256 ${artifact.sha256Hex} (the artifact's), got ${listed}`, {
      expected: artifact.sha256Hex,
      actual: digests.map((d) => d ?? null),
    }),
  ];
}

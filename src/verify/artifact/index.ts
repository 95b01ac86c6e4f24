// Verifies any Sigstore bundle (DSSE or message signature) against an artifact and a pinned
// signer, with the same code `check` runs on npm attestations: the strict bundle parser, the
// strict inclusion-proof and timestamp rules, @sigstore/verify's Verifier, and a binding to the
// artifact. Pure: no I/O, no clock (now is passed in), no throwing for a bad bundle.

import type { KeyObject } from 'node:crypto';
import type { Bundle } from '@sigstore/bundle';
import { crypto as sigstoreCrypto } from '@sigstore/core';
import { toSignedEntity, type SignedEntity } from '@sigstore/verify';
import { toSigstoreBundle } from '../attestation/bundle.js';
import { getCertificateSigner } from '../attestation/identity.js';
import { toVerificationFinding } from '../attestation/sigstore.js';
import { toStatement } from '../attestation/statement.js';
import { toFinding } from '../findings.js';
import { getVerifiedTimestamps, verifyInclusionProofs, verifyNotInFuture, verifyTimestampPresent } from '../timestamp/index.js';
import type { Trust } from '../trust/index.js';
import type { Finding, SignerFacts, TimestampFacts } from '../types.js';
import { getMessageDigestAlgorithm, toArtifact, verifyArtifactSubject, verifyMessageDigest, type Artifact, type ArtifactInput } from './binding.js';
import { canVerifyOverDigest, DigestSignatureContent } from './digest-signature.js';
import { getKeySigner, toPolicyFinding, toSignerTrust, toVerificationPolicy, verifyIdentity, verifySignerKind, type ExpectedSigner } from './signer.js';

// The input types, from the modules that define them.
export type { ArtifactInput } from './binding.js';
export type { ExpectedSigner, KeylessSigner, KeySigner } from './signer.js';

// One bundle, the artifact it should be about, and the signer it should be by.
export interface ArtifactBundleInput {
  // The bundle's parsed JSON, untrusted.
  bundle: unknown;
  artifact: ArtifactInput;
  identity: ExpectedSigner;
}

// The verdict, with every reason it is negative and what was proven.
export interface ArtifactBundleResult {
  // True only when there are no findings.
  verified: boolean;
  // Why it did not verify; the first one is the one to show when only one fits.
  findings: Finding[];
  // The signer, once every cryptographic check passed (also when the identity did not match).
  signer?: SignerFacts;
  // The timestamps that verified; empty when the bundle did not verify.
  timestamps: TimestampFacts[];
}

// Verifies `input.bundle` over `input.artifact`, signed by `input.identity`, against `trust` at
// `now`. Throws only for a caller's mistake: TypeError for a malformed digest, SyntaxError for a
// SAN pattern that does not compile.
export function verifyArtifactBundle(input: ArtifactBundleInput, trust: Trust, now: Date): ArtifactBundleResult {
  const artifact = toArtifact(input.artifact);
  if ('sanPattern' in input.identity) {
    // Compiled once here so that a bad pattern is the caller's error, not a failed bundle.
    new RegExp(input.identity.sanPattern);
  }
  const parsed = toSigstoreBundle(input.bundle);
  if ('findings' in parsed) {
    return failed(parsed.findings);
  }
  const { bundle } = parsed;
  // Before any crypto: a missing proof, or a bundle about another artifact, fails as such.
  const early = [...verifyInclusionProofs(bundle), ...(bundle.content.$case === 'messageSignature' ? verifyMessageDigest(bundle.content.messageSignature, artifact) : [])];
  if (early.length > 0) {
    return failed(early);
  }

  const entity = toEntity(bundle, artifact);
  if ('findings' in entity) {
    return failed(entity.findings);
  }
  const kind = [...verifySignerKind(entity, input.identity), ...verifyDigestVerifiable(bundle, entity, artifact, input.identity)];
  if (kind.length > 0) {
    return failed(kind);
  }

  const signerTrust = toSignerTrust(trust, input.identity);
  const facts = getSignerFacts(entity, input.identity);
  try {
    signerTrust.verifier.verify(entity, toVerificationPolicy(input.identity));
  } catch (err) {
    // A PolicyError is thrown only after every cryptographic check passed: the signer is real.
    const policy = toPolicyFinding(err, facts, input.identity);
    return policy === undefined ? failed([toVerificationFinding(err, entity, signerTrust)]) : { ...failed([policy]), signer: facts };
  }

  const timestamps = getVerifiedTimestamps(entity);
  const findings: Finding[] = [
    ...verifyIdentity(facts, input.identity),
    ...verifyTimestampPresent(timestamps),
    ...verifyNotInFuture(timestamps, now),
    ...(bundle.content.$case === 'dsseEnvelope' ? verifyStatementSubject(bundle.content.dsseEnvelope, artifact) : []),
  ];
  return {
    verified: findings.length === 0,
    findings,
    signer: facts,
    timestamps: findings.length === 0 ? timestamps.map((t) => ({ source: t.source, time: t.time.toISOString() })) : [],
  };
}

// The entity the Verifier checks. For a message signature with bytes, @sigstore/verify's own
// content (it verifies the signature over those bytes); with only a digest, a content that
// verifies it over the digest (already compared with the bundle's messageDigest).
function toEntity(bundle: Bundle, artifact: Artifact): SignedEntity | { findings: Finding[] } {
  let entity: SignedEntity;
  try {
    entity = toSignedEntity(bundle, artifact.bytes);
  } catch (err) {
    return { findings: [toFinding('BUNDLE_MALFORMED', `expected a bundle with a parseable certificate and timestamps, got: ${(err as Error).message}`)] };
  }
  if (bundle.content.$case !== 'messageSignature' || artifact.bytes !== undefined) {
    return entity;
  }
  const message = bundle.content.messageSignature;
  const digest = Buffer.from(artifact.sha256Hex, 'hex');
  // verifyMessageDigest has required a sha256 messageDigest equal to this digest.
  const signature = new DigestSignatureContent(message.signature, digest, getMessageDigestAlgorithm(message) ?? 'sha256');
  return { ...entity, signature };
}

// With only a digest, a message signature can be checked only if the key signs digests (ECDSA,
// RSA PKCS#1 v1.5); an Ed25519 signature covers the artifact itself. Say so rather than call the
// signature invalid.
function verifyDigestVerifiable(bundle: Bundle, entity: SignedEntity, artifact: Artifact, identity: ExpectedSigner): Finding[] {
  if (bundle.content.$case !== 'messageSignature' || artifact.bytes !== undefined) {
    return [];
  }
  let key: KeyObject | undefined;
  try {
    key = 'publicKey' in identity ? identity.publicKey : entity.key.$case === 'certificate' ? sigstoreCrypto.createPublicKey(entity.key.certificate.publicKey) : undefined;
  } catch (err) {
    return [toFinding('BUNDLE_MALFORMED', `expected the certificate to carry a usable public key, got: ${(err as Error).message}`)];
  }
  // undefined: a key-signed bundle against a pinned identity, which verifySignerKind reports.
  return key === undefined || canVerifyOverDigest(key)
    ? []
    : [toFinding('VERIFICATION_ERROR', `expected a key that signs digests (ECDSA or RSA PKCS#1 v1.5) to verify against sha256:${artifact.sha256Hex} alone, got a ${key.asymmetricKeyType ?? 'unknown'} key; pass the artifact file instead`)];
}

// The in-toto statement of a verified DSSE envelope must name the artifact among its subjects.
function verifyStatementSubject(envelope: Parameters<typeof toStatement>[0], artifact: Artifact): Finding[] {
  const decoded = toStatement(envelope);
  return 'finding' in decoded ? [decoded.finding] : verifyArtifactSubject(decoded.statement, artifact);
}

// The signer as this tool reads it: the certificate's identity, or the pinned key's id.
function getSignerFacts(entity: SignedEntity, identity: ExpectedSigner): SignerFacts {
  if ('publicKey' in identity) {
    return getKeySigner(identity);
  }
  return entity.key.$case === 'certificate' ? getCertificateSigner(entity.key.certificate) : { kind: 'public-key', keyid: entity.key.hint };
}

function failed(findings: Finding[]): ArtifactBundleResult {
  return { verified: false, findings, timestamps: [] };
}

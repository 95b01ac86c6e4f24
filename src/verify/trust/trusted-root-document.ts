// Strict parsing of a Sigstore trusted_root.json. Parsed by hand rather than with
// protobuf-specs' fromJSON because that parser (and toTrustMaterial after it) fills gaps with
// defaults: a log or CA without validFor.start becomes valid from 1970, and an unknown key type
// silently becomes "unspecified". Key types and hashes are kept as their names here, so that a
// run checks a root without loading protobuf-specs (toTrustedRoot gives their numbers).

import { X509Certificate } from '@sigstore/core';
import type { toTrustMaterial } from '@sigstore/verify';
import { TrustMaterialError } from '../errors.js';
import { isRecord, toBytesFromBase64, toDate } from '../encoding.js';

export type TrustedRoot = Parameters<typeof toTrustMaterial>[0];
type TLogInstance = TrustedRoot['tlogs'][number];
type CertificateAuthority = TrustedRoot['certificateAuthorities'][number];
type PublicKey = NonNullable<TLogInstance['publicKey']>;

const MEDIA_TYPES = new Set([
  'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
  'application/vnd.dev.sigstore.trustedroot.v0.2+json',
]);

// The key types a log can use, by their protobuf-specs name (sigstore_common PublicKeyDetails).
// Only these are accepted; toTrustMaterial reads the enum value to tell PKCS#1 RSA keys from SPKI
// ones. Sets, not object literals: a name such as "constructor" or "toString" must not find an
// inherited property and pass as a known type.
export const KEY_DETAILS = [
  'PKCS1_RSA_PKCS1V5',
  'PKIX_RSA_PKCS1V5',
  'PKIX_ECDSA_P256_SHA_256',
  'PKIX_ED25519',
  'PKIX_RSA_PKCS1V15_2048_SHA256',
  'PKIX_RSA_PKCS1V15_3072_SHA256',
  'PKIX_RSA_PKCS1V15_4096_SHA256',
  'PKIX_ECDSA_P384_SHA_384',
  'PKIX_ECDSA_P521_SHA_512',
] as const;
export type KeyDetailsName = (typeof KEY_DETAILS)[number];

// The log hashes accepted, by their protobuf-specs name (sigstore_common HashAlgorithm).
export const HASH_ALGORITHMS = ['SHA2_256', 'SHA2_384', 'SHA2_512'] as const;
export type HashAlgorithmName = (typeof HASH_ALGORITHMS)[number];

const KEY_DETAILS_NAMES = new Set<unknown>(KEY_DETAILS);
const HASH_ALGORITHM_NAMES = new Set<unknown>(HASH_ALGORITHMS);

// A log as toTrustMaterial takes it, its key type and hash by name.
export interface NamedTLog extends Omit<TLogInstance, 'hashAlgorithm' | 'publicKey'> {
  hashAlgorithm: HashAlgorithmName;
  publicKey: Omit<PublicKey, 'keyDetails'> & { keyDetails: KeyDetailsName };
}

// A trusted root as toTrustMaterial takes it, its logs' key types and hashes by name.
export interface NamedTrustedRoot extends Omit<TrustedRoot, 'tlogs' | 'ctlogs'> {
  tlogs: NamedTLog[];
  ctlogs: NamedTLog[];
}

// Parses a trusted root, throwing TrustMaterialError(TRUSTED_ROOT_INVALID) on anything missing,
// unknown or malformed.
export function parseTrustedRoot(doc: unknown): NamedTrustedRoot {
  if (!isRecord(doc)) {
    throw invalid('$', 'expected a JSON object');
  }
  if (typeof doc.mediaType !== 'string' || !MEDIA_TYPES.has(doc.mediaType)) {
    throw invalid('mediaType', `expected one of ${[...MEDIA_TYPES].join(', ')}, got ${JSON.stringify(doc.mediaType)}`);
  }
  const root: NamedTrustedRoot = {
    mediaType: doc.mediaType,
    tlogs: toArray(doc.tlogs, 'tlogs').map((t, i) => toTLog(t, `tlogs[${i}]`)),
    ctlogs: toArray(doc.ctlogs, 'ctlogs').map((t, i) => toTLog(t, `ctlogs[${i}]`)),
    certificateAuthorities: toArray(doc.certificateAuthorities, 'certificateAuthorities').map((c, i) =>
      toCertificateAuthority(c, `certificateAuthorities[${i}]`),
    ),
    timestampAuthorities: toArray(doc.timestampAuthorities ?? [], 'timestampAuthorities').map((c, i) =>
      toCertificateAuthority(c, `timestampAuthorities[${i}]`),
    ),
  };
  // A root with no log could verify nothing; it is a broken download, not a policy.
  // A root without a CA is a managed key's (it can verify key-signed bundles only: a certificate
  // then chains to nothing and fails).
  if (root.tlogs.length === 0) {
    throw invalid('$', 'expected at least one transparency log');
  }
  return root;
}

function toTLog(value: unknown, field: string): NamedTLog {
  if (!isRecord(value)) {
    throw invalid(field, 'expected an object');
  }
  const baseUrl = value.baseUrl;
  if (typeof baseUrl !== 'string' || baseUrl.length === 0) {
    throw invalid(`${field}.baseUrl`, 'expected a URL');
  }
  const hashAlgorithm = value.hashAlgorithm;
  if (!HASH_ALGORITHM_NAMES.has(hashAlgorithm)) {
    throw invalid(`${field}.hashAlgorithm`, `expected SHA2_256/384/512, got ${JSON.stringify(value.hashAlgorithm)}`);
  }
  const pk = value.publicKey;
  if (!isRecord(pk)) {
    throw invalid(`${field}.publicKey`, 'expected an object');
  }
  const rawBytes = toBytesFromBase64(pk.rawBytes);
  if (rawBytes === undefined) {
    throw invalid(`${field}.publicKey.rawBytes`, 'expected base64 DER');
  }
  const keyDetails = pk.keyDetails;
  if (!KEY_DETAILS_NAMES.has(keyDetails)) {
    throw invalid(`${field}.publicKey.keyDetails`, `unsupported key type ${JSON.stringify(pk.keyDetails)}`);
  }
  const logId = toLogId(value.logId, `${field}.logId`);
  const checkpointKeyId = value.checkpointKeyId === undefined ? undefined : toLogId(value.checkpointKeyId, `${field}.checkpointKeyId`);
  return {
    baseUrl,
    hashAlgorithm: hashAlgorithm as HashAlgorithmName,
    publicKey: { rawBytes, keyDetails: keyDetails as KeyDetailsName, validFor: toValidFor(pk.validFor, `${field}.publicKey.validFor`) },
    logId,
    checkpointKeyId,
    operator: typeof value.operator === 'string' ? value.operator : '',
  };
}

function toCertificateAuthority(value: unknown, field: string): CertificateAuthority {
  if (!isRecord(value)) {
    throw invalid(field, 'expected an object');
  }
  const chain = value.certChain;
  if (!isRecord(chain) || !Array.isArray(chain.certificates) || chain.certificates.length === 0) {
    throw invalid(`${field}.certChain.certificates`, 'expected a non-empty array');
  }
  const certificates = chain.certificates.map((c: unknown, i) => {
    const rawBytes = isRecord(c) ? toBytesFromBase64(c.rawBytes) : undefined;
    if (rawBytes === undefined) {
      throw invalid(`${field}.certChain.certificates[${i}].rawBytes`, 'expected base64 DER');
    }
    try {
      // Parsed here only to fail early: toTrustMaterial parses again and would throw an untyped error.
      X509Certificate.parse(rawBytes);
    } catch (err) {
      throw invalid(`${field}.certChain.certificates[${i}]`, `not an X.509 certificate: ${(err as Error).message}`);
    }
    return { rawBytes };
  });
  const subject = isRecord(value.subject)
    ? { organization: String(value.subject.organization ?? ''), commonName: String(value.subject.commonName ?? '') }
    : undefined;
  return {
    subject,
    uri: typeof value.uri === 'string' ? value.uri : '',
    certChain: { certificates },
    validFor: toValidFor(value.validFor, `${field}.validFor`),
    operator: typeof value.operator === 'string' ? value.operator : '',
  };
}

function toLogId(value: unknown, field: string): { keyId: Buffer } {
  const keyId = isRecord(value) ? toBytesFromBase64(value.keyId) : undefined;
  if (keyId === undefined) {
    throw invalid(`${field}.keyId`, 'expected base64');
  }
  return { keyId };
}

// validFor.start is required: without it toTrustMaterial treats the key as valid since 1970,
// which would let a log or CA vouch for times before it existed.
function toValidFor(value: unknown, field: string): { start: Date; end?: Date } {
  if (!isRecord(value)) {
    throw invalid(field, 'expected {start, end?}');
  }
  const start = toDate(value.start);
  if (start === undefined) {
    throw invalid(`${field}.start`, `expected an ISO time, got ${JSON.stringify(value.start)}`);
  }
  if (value.end === undefined) {
    return { start };
  }
  const end = toDate(value.end);
  if (end === undefined || end < start) {
    throw invalid(`${field}.end`, `expected an ISO time after start, got ${JSON.stringify(value.end)}`);
  }
  return { start, end };
}

function toArray(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) {
    throw invalid(field, 'expected an array');
  }
  return value;
}

function invalid(field: string, message: string): TrustMaterialError {
  return new TrustMaterialError('TRUSTED_ROOT_INVALID', `trusted root: ${field}: ${message}`, { field });
}

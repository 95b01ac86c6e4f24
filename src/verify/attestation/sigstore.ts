// Cryptographic verification of one bundle with @sigstore/verify's Verifier (certificate chain
// to Fulcio with SCTs, or the registry key named by the hint; tlog inclusion promise / proof and
// body; timestamps; DSSE signature), with its error codes mapped to ours.

import type { Bundle } from '@sigstore/bundle';
import { crypto as sigstoreCrypto, type X509Certificate } from '@sigstore/core';
import { VerificationError, toSignedEntity, type SignedEntity, type Signer } from '@sigstore/verify';
import { toFinding } from '../findings.js';
import { getVerifiedTimestamps, verifyCertificateWindow, type VerifiedTimestamp } from '../timestamp/index.js';
import { EncodedCertificate, type Trust } from '../trust/index.js';
import type { Finding } from '../types.js';

export type SigstoreResult =
  | { ok: true; entity: SignedEntity; signer: Signer }
  | { ok: false; entity?: SignedEntity; findings: Finding[] };

// @sigstore/core parses a certificate's fields when they are first read: reading the ones every
// check needs here makes a DER SEQUENCE that is no certificate a malformed bundle now, not an
// error from inside a later check.
function readCertificateFields(certificate: X509Certificate): void {
  void [certificate.tbsCertificate, certificate.publicKey, certificate.notBefore, certificate.notAfter, certificate.issuer, certificate.subject, certificate.extensions];
}

// The bytes @sigstore/verify parses the signing certificate from (the first of a chain).
function getSigningCertificateBytes(bundle: Bundle): Buffer | undefined {
  const content = bundle.verificationMaterial.content;
  switch (content.$case) {
    case 'x509CertificateChain':
      return content.x509CertificateChain.certificates[0]?.rawBytes;
    case 'certificate':
      return content.certificate.rawBytes;
    default:
      return undefined;
  }
}

// Verifies a parsed bundle; never throws.
export function verifyBundle(bundle: Bundle, trust: Trust): SigstoreResult {
  let entity: SignedEntity;
  try {
    // Parses the certificate and RFC 3161 timestamps; a failure here is a malformed bundle.
    entity = toSignedEntity(bundle);
    if (entity.key.$case === 'certificate') {
      // Checked against its issuer once per timestamp and bundle, and encoded for the SCT check:
      // made one that holds its bytes, from the tree @sigstore/verify parsed from them.
      const parsed = entity.key.certificate;
      const certificate = new EncodedCertificate(getSigningCertificateBytes(bundle) ?? Buffer.from(parsed.root.toDER()), parsed);
      readCertificateFields(certificate);
      entity = { ...entity, key: { $case: 'certificate', certificate } };
    }
  } catch (err) {
    return { ok: false, findings: [toFinding('BUNDLE_MALFORMED', `expected a bundle with a parseable certificate and timestamps, got: ${(err as Error).message}`)] };
  }
  if (entity.key.$case === 'public-key') {
    // Checked before the Verifier so that an unknown key is named as such; the Verifier's own
    // lookup reports it with the same code as an expired key.
    try {
      trust.material.publicKey(entity.key.hint);
    } catch {
      return {
        ok: false,
        entity,
        findings: [toFinding('UNKNOWN_KEY', `expected the bundle to be signed by a known npm:attestations key, got hint ${entity.key.hint}`, { keyid: entity.key.hint })],
      };
    }
  }
  try {
    const signer = trust.verifier.verify(entity);
    return { ok: true, entity, signer };
  } catch (err) {
    return { ok: false, entity, findings: [toVerificationFinding(err, entity, trust)] };
  }
}

// Maps an error of Verifier.verify to a finding. Unknown errors fail closed as VERIFICATION_ERROR.
export function toVerificationFinding(err: unknown, entity: SignedEntity, trust: Trust): Finding {
  if (!(err instanceof VerificationError)) {
    return toFinding('VERIFICATION_ERROR', `expected the bundle to verify, got an unexpected error: ${(err as Error)?.message ?? String(err)}`);
  }
  const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
  const details = { sigstoreCode: err.code };
  switch (err.code) {
    case 'SIGNATURE_ERROR':
      return toFinding('SIGNATURE_INVALID', `expected the DSSE signature to verify with the signer's key, got: ${err.message}`, details);
    case 'PUBLIC_KEY_ERROR':
      // The key exists (checked before), so it was not valid at a verified timestamp.
      return toFinding('KEY_EXPIRED', `expected the signing key to be valid at every verified timestamp, got: ${err.message}`, details);
    case 'CERTIFICATE_ERROR': {
      // The chain check also fails when the leaf was not valid at a timestamp; name that case.
      const window = entity.key.$case === 'certificate' ? getCertificateWindowFindings(entity.key.certificate, entity) : [];
      const first = window[0];
      if (first !== undefined) {
        return { ...first, details: { ...first.details, ...details } };
      }
      return toFinding('CERT_CHAIN_INVALID', `expected a certificate chaining to a trusted Fulcio CA with valid SCTs, got: ${err.message}${cause}`, details);
    }
    case 'TLOG_BODY_ERROR':
      // The bundle's signature or payload differs from what the log recorded. If the DSSE
      // signature does not verify either, the content was altered after signing: say so.
      return signatureVerifies(entity, trust)
        ? toFinding('TLOG_INVALID', `expected the tlog entry to record this signature and payload, got: ${err.message}`, details)
        : toFinding('SIGNATURE_INVALID', `expected the DSSE signature to verify over the payload, got one that does not (and the tlog entry disagrees: ${err.message})`, details);
    case 'TLOG_ERROR':
    case 'TLOG_INCLUSION_PROMISE_ERROR':
    case 'TLOG_INCLUSION_PROOF_ERROR':
    case 'TLOG_MISSING_INCLUSION_ERROR':
      return toFinding('TLOG_INVALID', `expected a verified transparency-log entry, got: ${err.message}${cause}`, details);
    case 'TIMESTAMP_ERROR':
      return /expected \d+ timestamps/.test(err.message)
        ? toFinding('TIMESTAMP_MISSING', `expected at least one verified timestamp, got: ${err.message}`, details)
        : toFinding('TIMESTAMP_INVALID', `expected valid timestamps, got: ${err.message}`, details);
    default:
      return toFinding('VERIFICATION_ERROR', `expected the bundle to verify, got ${err.code}: ${err.message}${cause}`, details);
  }
}

// The CERT_WINDOW findings of a certificate that failed the chain check; none when the
// certificate is too malformed to have a validity (@sigstore/core parses it lazily, and throws).
function getCertificateWindowFindings(certificate: X509Certificate, entity: SignedEntity): Finding[] {
  try {
    return verifyCertificateWindow(certificate, getClaimedTimestamps(entity));
  } catch {
    return [];
  }
}

// The timestamps the Verifier checks the certificate against, before they are verified.
function getClaimedTimestamps(entity: SignedEntity): VerifiedTimestamp[] {
  return getVerifiedTimestamps(entity);
}

function signatureVerifies(entity: SignedEntity, trust: Trust): boolean {
  try {
    const key =
      entity.key.$case === 'certificate'
        ? sigstoreCrypto.createPublicKey(entity.key.certificate.publicKey)
        : trust.material.publicKey(entity.key.hint).publicKey;
    return entity.signature.verifySignature(key);
  } catch {
    return false;
  }
}

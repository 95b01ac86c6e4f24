// Parses one Sigstore bundle strictly. @sigstore/bundle's bundleFromJSON checks the shape
// for the v0.1 and v0.2 media types and treats ANY other string as "latest"; here only the
// media types Sigstore has defined are accepted.

import {
  BUNDLE_V01_MEDIA_TYPE,
  BUNDLE_V02_MEDIA_TYPE,
  BUNDLE_V03_LEGACY_MEDIA_TYPE,
  BUNDLE_V03_MEDIA_TYPE,
  ValidationError,
  bundleFromJSON,
  type Bundle,
} from '@sigstore/bundle';
import { isRecord } from '../encoding.js';
import { toFinding } from '../findings.js';
import type { Finding } from '../types.js';

const MEDIA_TYPES: ReadonlySet<string> = new Set([
  BUNDLE_V01_MEDIA_TYPE,
  BUNDLE_V02_MEDIA_TYPE,
  BUNDLE_V03_LEGACY_MEDIA_TYPE,
  BUNDLE_V03_MEDIA_TYPE,
]);

// Returns the parsed DSSE bundle, or the finding that says why it cannot be one.
export function toBundle(raw: unknown): { bundle: Bundle } | { findings: Finding[] } {
  // npm serves DSSE bundles only; a message-signature bundle would sign an artifact we do not have.
  if (isRecord(raw) && isKnownMediaType(raw.mediaType) && !isRecord(raw.dsseEnvelope)) {
    return { findings: [toFinding('BUNDLE_MALFORMED', 'expected the bundle to carry a dsseEnvelope, got none')] };
  }
  return toSigstoreBundle(raw);
}

// Returns the parsed bundle of either content kind (a DSSE envelope or a message signature), or
// the finding that says why it cannot be one.
export function toSigstoreBundle(raw: unknown): { bundle: Bundle } | { findings: Finding[] } {
  if (!isRecord(raw)) {
    return { findings: [toFinding('BUNDLE_MALFORMED', 'expected the bundle to be an object')] };
  }
  const mediaType = raw.mediaType;
  if (!isKnownMediaType(mediaType)) {
    return {
      findings: [toFinding('BUNDLE_MALFORMED', `expected a Sigstore bundle media type (${[...MEDIA_TYPES].join(', ')}), got ${JSON.stringify(mediaType)}`)],
    };
  }
  // The content is a oneof: with both present the parser silently keeps messageSignature, so a
  // bundle that looks like DSSE would be verified as something else. Exactly one is accepted.
  if ((raw.dsseEnvelope === undefined) === (raw.messageSignature === undefined)) {
    return { findings: [toFinding('BUNDLE_MALFORMED', 'expected the bundle to carry exactly one of dsseEnvelope and messageSignature')] };
  }
  try {
    const bundle = bundleFromJSON(raw);
    const framing = verifyCertificateFraming(bundle);
    return framing === undefined ? { bundle } : { findings: [framing] };
  } catch (err) {
    if (err instanceof ValidationError) {
      // The parser refuses v0.2+ bundles without inclusion proofs; name that for what it is.
      const missingProof = err.fields.filter((f) => /inclusionProof/.test(f));
      if (missingProof.length > 0 && mediaType !== 'application/vnd.dev.sigstore.bundle+json;version=0.1') {
        return {
          findings: [toFinding('MISSING_INCLUSION_PROOF', `expected every tlog entry of a ${mediaType} bundle to carry an inclusion proof with a checkpoint, got none at ${missingProof.join(', ')}`)],
        };
      }
      return { findings: [toFinding('BUNDLE_MALFORMED', `expected a valid ${mediaType} bundle, got invalid fields: ${err.fields.join(', ')}`, { fields: err.fields })] };
    }
    return { findings: [toFinding('BUNDLE_MALFORMED', `expected a valid ${mediaType} bundle, got: ${(err as Error).message}`)] };
  }
}

// The signing certificate must be exactly one DER SEQUENCE. @sigstore/core's parser reads the
// signed TBSCertificate inside and ignores the outer tag and any bytes after it, so without this
// a verified bundle's bytes (and the digest a report names it by) could be altered at will.
function verifyCertificateFraming(bundle: Bundle): Finding | undefined {
  const content = bundle.verificationMaterial.content;
  const der =
    content.$case === 'x509CertificateChain' ? content.x509CertificateChain.certificates[0]?.rawBytes : content.$case === 'certificate' ? content.certificate.rawBytes : undefined;
  if (der === undefined || isDerSequence(Buffer.from(der))) return undefined;
  return toFinding('BUNDLE_MALFORMED', 'expected the signing certificate to be exactly one DER SEQUENCE, got other framing or trailing bytes');
}

// DER, not BER: the length must also be written in the fewest bytes (short form below 128, no
// leading zero byte), or the same certificate could be framed in several ways.
function isDerSequence(der: Buffer): boolean {
  if (der.length < 2 || der[0] !== 0x30) return false;
  const first = der[1]!;
  if (first < 0x80) return 2 + first === der.length;
  const octets = first & 0x7f;
  if (octets === 0 || octets > 4 || der.length < 2 + octets || der[2] === 0) return false;
  let length = 0;
  for (let i = 0; i < octets; i++) length = length * 256 + der[2 + i]!;
  return length >= 0x80 && 2 + octets + length === der.length;
}

function isKnownMediaType(value: unknown): value is string {
  return typeof value === 'string' && MEDIA_TYPES.has(value);
}

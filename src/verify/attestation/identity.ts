// The identity of a keyless signer, read from its Fulcio certificate. Facts only: which
// identities are acceptable is the policy stage's decision.

import { ASN1Obj, type X509Certificate } from '@sigstore/core';
import type { FulcioExtensions, SignerFacts } from '../types.js';

const FULCIO_OID = '1.3.6.1.4.1.57264.1.';
const UTF8_STRING_TAG = 0x0c;

// The extensions of Fulcio's 2023 schema: DER UTF8String values.
const V2_FIELDS: Record<string, keyof FulcioExtensions> = {
  8: 'issuer',
  9: 'buildSignerURI',
  10: 'buildSignerDigest',
  11: 'runnerEnvironment',
  12: 'sourceRepositoryURI',
  13: 'sourceRepositoryDigest',
  14: 'sourceRepositoryRef',
  15: 'sourceRepositoryIdentifier',
  16: 'sourceRepositoryOwnerURI',
  17: 'sourceRepositoryOwnerIdentifier',
  18: 'buildConfigURI',
  19: 'buildConfigDigest',
  20: 'buildTrigger',
  21: 'runInvocationURI',
  22: 'sourceRepositoryVisibilityAtSigning',
};

// The deprecated extensions: the raw string as the extension's value.
const V1_FIELDS: Record<string, keyof FulcioExtensions> = {
  2: 'githubWorkflowTrigger',
  3: 'githubWorkflowSHA',
  4: 'githubWorkflowName',
  5: 'githubWorkflowRepository',
  6: 'githubWorkflowRef',
};
const V1_ISSUER = '1';

// Returns the signer facts of a Fulcio certificate: issuer, SAN and every known extension.
export function getCertificateSigner(cert: X509Certificate): SignerFacts {
  const extensions: FulcioExtensions = {};
  let legacyIssuer: string | undefined;
  for (const ext of cert.extensions) {
    const oid = ext.subs[0]?.toOID();
    if (oid === undefined || !oid.startsWith(FULCIO_OID)) {
      continue;
    }
    const arc = oid.slice(FULCIO_OID.length);
    const value = cert.extension(oid)?.value;
    if (value === undefined) {
      continue;
    }
    const v2 = V2_FIELDS[arc];
    const v1 = V1_FIELDS[arc];
    if (v2 !== undefined) {
      const text = toUtf8String(value);
      if (text !== undefined) {
        extensions[v2] = text;
      }
    } else if (v1 !== undefined) {
      extensions[v1] = value.toString('utf8');
    } else if (arc === V1_ISSUER) {
      legacyIssuer = value.toString('utf8');
    }
  }
  // The v2 issuer wins; the v1 one is all that certificates from before 2023 carry.
  const issuer = extensions.issuer ?? legacyIssuer;
  if (issuer !== undefined) {
    extensions.issuer = issuer;
  }
  const san = cert.subjectAltName;
  return {
    kind: 'certificate',
    ...(issuer === undefined ? {} : { issuer }),
    ...(san === undefined ? {} : { subjectAlternativeName: san }),
    extensions,
  };
}

// Decodes a DER UTF8String; undefined when the bytes are anything else (a value that does not
// decode is left out rather than guessed at).
function toUtf8String(der: Buffer): string | undefined {
  try {
    const obj = ASN1Obj.parseBuffer(Buffer.from(der));
    return obj.tag.isUniversal() && obj.tag.number === UTF8_STRING_TAG && obj.subs.length === 0 ? obj.value.toString('utf8') : undefined;
  } catch {
    return undefined;
  }
}

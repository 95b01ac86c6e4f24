// Sigstore bundle assembly for DSSE envelopes: sign (keyless leaf or registry key), log in the test
// tlog as an `intoto` 0.0.2 or `dsse` 0.0.1 entry, and serialize as bundle v0.1, v0.2 or v0.3 JSON.
import crypto from 'node:crypto';
import { dsse } from '@sigstore/core';
import type { IssuedLeaf } from './ca.js';
import { type EcKey, certificatePem, publicKeyPem, signDer } from './keys.js';
import type { TestTlog, TlogEntryJson } from './tlog.js';
import type { TestTsa } from './tsa.js';

// Media type of each bundle version.
export const BUNDLE_MEDIA_TYPE = {
  '0.1': 'application/vnd.dev.sigstore.bundle+json;version=0.1',
  '0.2': 'application/vnd.dev.sigstore.bundle+json;version=0.2',
  '0.3': 'application/vnd.dev.sigstore.bundle.v0.3+json',
} as const;

// Bundle format version.
export type BundleVersion = keyof typeof BUNDLE_MEDIA_TYPE;

// Rekor entry kind used to log the envelope.
export type TlogKind = 'intoto' | 'dsse';

// A serialized bundle with a DSSE envelope (the JSON npm serves).
export interface BundleJson {
  mediaType: string;
  verificationMaterial: {
    x509CertificateChain?: { certificates: Array<{ rawBytes: string }> };
    certificate?: { rawBytes: string };
    publicKey?: { hint: string };
    tlogEntries: TlogEntryJson[];
    timestampVerificationData?: { rfc3161Timestamps: Array<{ signedTimestamp: string }> };
  };
  dsseEnvelope: { payload: string; payloadType: string; signatures: Array<{ sig: string; keyid: string }> };
}

// Who signs: a Fulcio leaf (keyless) or a bare key referenced by hint (npm publish attestations).
export type BundleSigner = { kind: 'certificate'; leaf: IssuedLeaf } | { kind: 'publicKey'; key: EcKey; hint: string };

// Format and logging choices for one bundle.
export interface BundleOptions {
  version?: BundleVersion; // default '0.2'
  tlogKind?: TlogKind; // default 'intoto' (npm's choice for 0.1/0.2), 'dsse' for 0.3
  // Log time; default now (clamped into a keyless leaf's validity window).
  integratedTime?: Date;
  // Override the defaults (0.1: promise only; 0.2/0.3: promise + proof).
  inclusionPromise?: boolean;
  inclusionProof?: boolean;
  // Also attach an RFC 3161 timestamp over the signature.
  tsa?: TestTsa;
  tsaTime?: Date;
}

// DSSE payload type of in-toto statements.
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

const sha256Hex = (b: Buffer): string => crypto.createHash('sha256').update(b).digest('hex');
const b64 = (s: string | Buffer): string => Buffer.from(s).toString('base64');

// Rekor body for a signed envelope, in the chosen kind.
export function rekorBody(kind: TlogKind, payloadType: string, payload: Buffer, sig: Buffer, keyid: string, verifierPem: string) {
  if (kind === 'dsse') {
    const envelope = { payload: payload.toString('base64'), payloadType, signatures: [{ keyid, sig: sig.toString('base64') }] };
    return {
      apiVersion: '0.0.1',
      kind: 'dsse',
      spec: {
        envelopeHash: { algorithm: 'sha256', value: sha256Hex(Buffer.from(JSON.stringify(envelope))) },
        payloadHash: { algorithm: 'sha256', value: sha256Hex(payload) },
        signatures: [{ signature: sig.toString('base64'), verifier: b64(verifierPem) }],
      },
    };
  }
  const envelope = {
    payloadType,
    signatures: [{ ...(keyid ? { keyid } : {}), publicKey: b64(verifierPem), sig: b64(sig.toString('base64')) }],
  };
  return {
    apiVersion: '0.0.2',
    kind: 'intoto',
    spec: {
      content: {
        envelope,
        hash: { algorithm: 'sha256', value: sha256Hex(Buffer.from(JSON.stringify(envelope))) },
        payloadHash: { algorithm: 'sha256', value: sha256Hex(payload) },
      },
    },
  };
}

const clampIntoLeaf = (time: Date, leaf: IssuedLeaf): Date => {
  const t = Math.min(Math.max(time.getTime(), leaf.notBefore.getTime() + 1000), leaf.notAfter.getTime() - 1000);
  return new Date(t);
};

// Signs payload as a DSSE envelope and returns the logged bundle.
export function signDsseBundle(
  payload: Buffer,
  signer: BundleSigner,
  tlog: TestTlog,
  options: BundleOptions = {},
  payloadType = IN_TOTO_PAYLOAD_TYPE,
): BundleJson {
  const version = options.version ?? '0.2';
  const key = signer.kind === 'certificate' ? signer.leaf.key : signer.key;
  const keyid = signer.kind === 'publicKey' ? signer.hint : '';
  const sig = signDer(key, dsse.preAuthEncoding(payloadType, payload), 'sha256');
  const verifierPem = signer.kind === 'certificate' ? certificatePem(signer.leaf.der) : publicKeyPem(key);
  const body = rekorBody(options.tlogKind ?? (version === '0.3' ? 'dsse' : 'intoto'), payloadType, payload, sig, keyid, verifierPem);
  const requested = options.integratedTime ?? new Date();
  const integratedTime =
    signer.kind === 'certificate' && !options.integratedTime ? clampIntoLeaf(requested, signer.leaf) : requested;
  const entry = tlog.append(body, {
    integratedTime,
    inclusionPromise: options.inclusionPromise ?? true,
    inclusionProof: options.inclusionProof ?? version !== '0.1',
  });
  const certB64 = signer.kind === 'certificate' ? signer.leaf.der.toString('base64') : '';
  const content =
    signer.kind === 'publicKey'
      ? { publicKey: { hint: signer.hint } }
      : version === '0.3'
        ? { certificate: { rawBytes: certB64 } }
        : { x509CertificateChain: { certificates: [{ rawBytes: certB64 }] } };
  const rfc3161Timestamps = options.tsa
    ? [{ signedTimestamp: options.tsa.timestamp(sig, options.tsaTime ?? integratedTime).toString('base64') }]
    : [];
  return {
    mediaType: BUNDLE_MEDIA_TYPE[version],
    verificationMaterial: { ...content, tlogEntries: [entry], timestampVerificationData: { rfc3161Timestamps } },
    dsseEnvelope: {
      payload: payload.toString('base64'),
      payloadType,
      signatures: [{ sig: sig.toString('base64'), keyid }],
    },
  };
}

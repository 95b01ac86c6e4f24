// The strict bundle parser (src/verify/attestation/bundle.ts) on bundles the test PKI signs:
// the DSSE-only rule of the npm path, and which parser errors are named a missing inclusion proof.

import { describe, expect, it } from 'vitest';
import { toBundle, toSigstoreBundle } from '../../src/verify/attestation/bundle.js';
import { createTestPki, makeNpmAttestations, type BundleJson } from '../support/index.js';
import { clone } from './_helpers.js';

const INTEGRITY = 'sha512-8G+/XDU8wNsJOQS5ysDVO0Etg9/2uA5gR9l4ZwijjlwxBcrU6RPfwi2+jJmbP+Ap1Hlp/nVAaEO4Fj22/SL2gQ==';
const PKG = { name: 'alpha', version: '1.0.0', integrity: INTEGRITY };
const pki = createTestPki();
const DOC = makeNpmAttestations(pki, PKG, { time: new Date('2026-06-01T00:00:00Z'), provenanceBundle: { version: '0.3' }, publishBundle: { version: '0.2', tlogKind: 'dsse' } });
const v03 = (): BundleJson => clone(DOC.attestations[0]!.bundle);
const v02 = (): BundleJson => clone(DOC.attestations[1]!.bundle);

type Parsed = ReturnType<typeof toSigstoreBundle>;
const codes = (parsed: Parsed): string[] => ('findings' in parsed ? parsed.findings.map((f) => f.code) : []);

// The same bundle with a message signature in place of its DSSE envelope (well formed; the
// signature need not verify, parsing does not check it).
function asMessageSignature(bundle: BundleJson): Record<string, unknown> {
  const { dsseEnvelope, ...rest } = bundle;
  return {
    ...rest,
    messageSignature: {
      messageDigest: { algorithm: 'SHA2_256', digest: Buffer.alloc(32, 7).toString('base64') },
      signature: dsseEnvelope.signatures[0]!.sig,
    },
  };
}

describe('toBundle: the npm path takes DSSE bundles only', () => {
  it('refuses a well-formed message-signature bundle (BUNDLE_MALFORMED) that toSigstoreBundle accepts', () => {
    const message = asMessageSignature(v03());
    expect(toSigstoreBundle(message)).toHaveProperty('bundle');
    expect(codes(toBundle(message))).toEqual(['BUNDLE_MALFORMED']);
  });

  it('accepts the DSSE bundles as they are', () => {
    expect(toBundle(v03())).toHaveProperty('bundle');
    expect(toBundle(v02())).toHaveProperty('bundle');
  });

  it.each([null, 'a string', 7, [v03()]])('refuses a bundle that is not an object (%#)', (raw) => {
    expect(codes(toBundle(raw))).toEqual(['BUNDLE_MALFORMED']);
    expect(codes(toSigstoreBundle(raw))).toEqual(['BUNDLE_MALFORMED']);
  });
});

describe('toSigstoreBundle: which parser errors are a missing inclusion proof', () => {
  it.each([
    ['v0.3', v03],
    ['v0.2', v02],
  ])('a %s bundle whose tlog entry has no inclusion proof: MISSING_INCLUSION_PROOF', (_, make) => {
    const bundle = make();
    delete bundle.verificationMaterial.tlogEntries[0]!.inclusionProof;
    expect(codes(toSigstoreBundle(bundle))).toEqual(['MISSING_INCLUSION_PROOF']);
  });

  it('a v0.3 bundle whose inclusion proof has no checkpoint: MISSING_INCLUSION_PROOF', () => {
    const bundle = v03();
    delete (bundle.verificationMaterial.tlogEntries[0]!.inclusionProof as { checkpoint?: unknown }).checkpoint;
    expect(codes(toSigstoreBundle(bundle))).toEqual(['MISSING_INCLUSION_PROOF']);
  });

  it('a v0.3 bundle with another invalid field (and its proof in place): BUNDLE_MALFORMED naming the field', () => {
    const bundle = v03();
    delete (bundle.verificationMaterial.tlogEntries[0] as { kindVersion?: unknown }).kindVersion;
    const parsed = toSigstoreBundle(bundle);
    expect(codes(parsed)).toEqual(['BUNDLE_MALFORMED']);
    expect('findings' in parsed && parsed.findings[0]!.details).toEqual({ fields: ['verificationMaterial.tlogEntries[0].kindVersion'] });
  });

  it('a bundle the parser throws a plain error on (not a validation error): BUNDLE_MALFORMED, no throw', () => {
    const bundle = v03() as unknown as { dsseEnvelope: unknown };
    bundle.dsseEnvelope = { payload: 5, payloadType: 'x', signatures: 'none' };
    expect(codes(toSigstoreBundle(bundle))).toEqual(['BUNDLE_MALFORMED']);
  });
});

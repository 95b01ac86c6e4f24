// How src/verify/attestation/sigstore.ts maps what goes wrong in @sigstore/verify to finding
// codes: a bundle whose certificate cannot be parsed, each VerificationError code, errors that
// are not VerificationErrors, and the signature re-check behind TLOG_BODY_ERROR.

import { bundleFromJSON } from '@sigstore/bundle';
import { VerificationError, toSignedEntity, type SignedEntity } from '@sigstore/verify';
import { describe, expect, it } from 'vitest';
import { toVerificationFinding, verifyBundle } from '../../src/verify/attestation/sigstore.js';
import { createTrust } from '../../src/verify/index.js';
import { createTestPki, makeNpmAttestations, type BundleJson } from '../support/index.js';
import { clone } from './_helpers.js';

const INTEGRITY = 'sha512-8G+/XDU8wNsJOQS5ysDVO0Etg9/2uA5gR9l4ZwijjlwxBcrU6RPfwi2+jJmbP+Ap1Hlp/nVAaEO4Fj22/SL2gQ==';
const PKG = { name: 'alpha', version: '1.0.0', integrity: INTEGRITY };
const pki = createTestPki();
const trust = createTrust({ trustedRoot: pki.trustedRoot(), registryKeys: pki.tufKeys() });
const DOC = makeNpmAttestations(pki, PKG, { time: new Date('2026-06-01T00:00:00Z'), provenanceBundle: { version: '0.3' }, publishBundle: { version: '0.2', tlogKind: 'dsse' } });
const provenance = (): BundleJson => clone(DOC.attestations[0]!.bundle);
const publish = (): BundleJson => clone(DOC.attestations[1]!.bundle);
const entityOf = (bundle: BundleJson): SignedEntity => toSignedEntity(bundleFromJSON(bundle));
const error = (code: string, message = 'it failed') => new VerificationError({ code: code as never, message });

describe('verifyBundle', () => {
  it('the test PKI bundles verify', () => {
    expect(verifyBundle(bundleFromJSON(provenance()), trust).ok).toBe(true);
    expect(verifyBundle(bundleFromJSON(publish()), trust).ok).toBe(true);
  });

  it('a certificate that is a DER SEQUENCE but no certificate: BUNDLE_MALFORMED before the Verifier runs', () => {
    const bundle = provenance();
    bundle.verificationMaterial.certificate = { rawBytes: Buffer.from([0x30, 0x03, 0x02, 0x01, 0x01]).toString('base64') };
    const result = verifyBundle(bundleFromJSON(bundle), trust);
    expect(result).toMatchObject({ ok: false, findings: [{ code: 'BUNDLE_MALFORMED' }] });
    expect(result).not.toHaveProperty('entity');
  });
});

describe('toVerificationFinding', () => {
  const keyed = entityOf(publish());
  const keyless = entityOf(provenance());

  it.each([
    ['a plain Error', new Error('boom')],
    ['a thrown string', 'boom'],
    ['a thrown null', null],
    ['a thrown undefined', undefined],
  ])('%s is VERIFICATION_ERROR (fail closed)', (_, err) => {
    const finding = toVerificationFinding(err, keyless, trust);
    expect(finding.code).toBe('VERIFICATION_ERROR');
    expect(finding).not.toHaveProperty('details');
  });

  it.each([
    ['SIGNATURE_ERROR', 'SIGNATURE_INVALID'],
    ['PUBLIC_KEY_ERROR', 'KEY_EXPIRED'],
    ['TLOG_ERROR', 'TLOG_INVALID'],
    ['TLOG_INCLUSION_PROMISE_ERROR', 'TLOG_INVALID'],
    ['TLOG_INCLUSION_PROOF_ERROR', 'TLOG_INVALID'],
    ['TLOG_MISSING_INCLUSION_ERROR', 'TLOG_INVALID'],
    ['POLICY_ERROR', 'VERIFICATION_ERROR'],
    ['UNTRUSTED_SIGNER_ERROR', 'VERIFICATION_ERROR'],
  ])('%s is %s, with the Sigstore code in the details', (sigstoreCode, code) => {
    expect(toVerificationFinding(error(sigstoreCode), keyless, trust)).toMatchObject({ code, details: { sigstoreCode } });
  });

  it.each([
    ['expected 1 timestamps, got 0', 'TIMESTAMP_MISSING'],
    ['expected 12 timestamps, got 3', 'TIMESTAMP_MISSING'],
    ['timestamp signature does not verify', 'TIMESTAMP_INVALID'],
  ])('TIMESTAMP_ERROR "%s" is %s', (message, code) => {
    expect(toVerificationFinding(error('TIMESTAMP_ERROR', message), keyless, trust)).toMatchObject({ code, details: { sigstoreCode: 'TIMESTAMP_ERROR' } });
  });

  it('CERTIFICATE_ERROR of a certificate valid at its timestamps is CERT_CHAIN_INVALID', () => {
    expect(toVerificationFinding(error('CERTIFICATE_ERROR'), keyless, trust)).toMatchObject({ code: 'CERT_CHAIN_INVALID', details: { sigstoreCode: 'CERTIFICATE_ERROR' } });
  });

  it('CERTIFICATE_ERROR of a key-signed entity (no certificate to look at) is CERT_CHAIN_INVALID', () => {
    expect(toVerificationFinding(error('CERTIFICATE_ERROR'), keyed, trust)).toMatchObject({ code: 'CERT_CHAIN_INVALID' });
  });

  it('CERTIFICATE_ERROR of a certificate too malformed to have a validity is CERT_CHAIN_INVALID, no throw', () => {
    const certificate = new Proxy({}, { get: () => { throw new Error('unparseable'); } });
    const broken = { ...keyless, key: { $case: 'certificate', certificate } } as unknown as SignedEntity;
    expect(toVerificationFinding(error('CERTIFICATE_ERROR'), broken, trust)).toMatchObject({ code: 'CERT_CHAIN_INVALID' });
  });

  it('TLOG_BODY_ERROR with a signature that verifies is TLOG_INVALID, for a certificate and for a registry key', () => {
    expect(toVerificationFinding(error('TLOG_BODY_ERROR'), keyless, trust)).toMatchObject({ code: 'TLOG_INVALID', details: { sigstoreCode: 'TLOG_BODY_ERROR' } });
    expect(toVerificationFinding(error('TLOG_BODY_ERROR'), keyed, trust)).toMatchObject({ code: 'TLOG_INVALID' });
  });

  it('TLOG_BODY_ERROR with a signature that does not verify is SIGNATURE_INVALID', () => {
    const bundle = publish();
    const sig = Buffer.from(bundle.dsseEnvelope.signatures[0]!.sig, 'base64');
    sig[sig.length - 1]! ^= 1;
    bundle.dsseEnvelope.signatures[0]!.sig = sig.toString('base64');
    expect(toVerificationFinding(error('TLOG_BODY_ERROR'), entityOf(bundle), trust)).toMatchObject({ code: 'SIGNATURE_INVALID' });
  });

  it('TLOG_BODY_ERROR of a key no trust knows (the re-check throws) is SIGNATURE_INVALID', () => {
    const bundle = publish();
    bundle.verificationMaterial.publicKey = { hint: 'SHA256:nobody' };
    expect(toVerificationFinding(error('TLOG_BODY_ERROR'), entityOf(bundle), trust)).toMatchObject({ code: 'SIGNATURE_INVALID' });
  });
});

// Checks of the verify pipeline that no recorded npm bundle exercises, on bundles the test PKI
// signs for them: the framing of a bundle's certificate, the kind of signer a publish
// attestation needs, which log times count as signed, and subject digests of the wrong type.

import { describe, expect, it } from 'vitest';
import { createTrust, verifyPackageEvidence, type PackageEvidence } from '../../src/verify/index.js';
import { toBundle, toSigstoreBundle } from '../../src/verify/attestation/bundle.js';
import { getVerifiedTimestamps } from '../../src/verify/timestamp/index.js';
import {
  NPM_PUBLISH_V01,
  SLSA_PROVENANCE_V1,
  createTestPki,
  githubActionsIdentity,
  inTotoStatement,
  makeNpmAttestations,
  signStatementKeyless,
  signStatementWithKey,
  type AttestationsDocument,
  type BundleJson,
} from '../support/index.js';
import { NOW, clone, codes } from './_helpers.js';
import { NPMJS_REGISTRY } from '../support/public-urls.js';

const INTEGRITY = 'sha512-8G+/XDU8wNsJOQS5ysDVO0Etg9/2uA5gR9l4ZwijjlwxBcrU6RPfwi2+jJmbP+Ap1Hlp/nVAaEO4Fj22/SL2gQ==';
const PKG = { name: 'alpha', version: '1.0.0', integrity: INTEGRITY };
const PUBLISHED = new Date('2026-06-01T00:00:00Z');
const PACKUMENT_TIME = '2026-06-01T00:00:30.000Z';

const pki = createTestPki({ withTsa: true });
const trust = createTrust({ trustedRoot: pki.trustedRoot(), registryKeys: pki.tufKeys() });

function evidence(attestations: AttestationsDocument): PackageEvidence {
  return {
    name: PKG.name,
    version: PKG.version,
    lockfileIntegrity: INTEGRITY,
    manifest: { integrity: INTEGRITY, signatures: [pki.signPackage(PKG.name, PKG.version, INTEGRITY)], attestationsAdvertised: true, time: PACKUMENT_TIME },
    attestations,
  };
}

// npm's current shape: provenance in a v0.3 bundle, the publish attestation in v0.2 (dsse entry).
const GOOD = makeNpmAttestations(pki, PKG, { time: PUBLISHED, provenanceBundle: { version: '0.3' }, publishBundle: { version: '0.2', tlogKind: 'dsse' } });
const good = () => clone(GOOD);

// The leaf certificate's bytes of a bundle, to edit in place.
function editLeaf(bundle: BundleJson, edit: (der: Buffer) => Buffer): void {
  const holder = bundle.verificationMaterial.certificate ?? bundle.verificationMaterial.x509CertificateChain!.certificates[0]!;
  holder.rawBytes = edit(Buffer.from(holder.rawBytes, 'base64')).toString('base64');
}

describe('the test PKI bundles verify as they are', () => {
  it('provenance and publish attestation verified, the publish time signed', () => {
    const facts = verifyPackageEvidence(evidence(good()), trust, NOW);
    expect(facts.findings).toEqual([]);
    expect(facts.attestations.map((a) => a.status)).toEqual(['verified', 'verified']);
    expect(facts.publishTime).toEqual({ value: '2026-06-01T00:00:02.000Z', signed: true, source: 'publish-attestation' });
  });
});

describe('the framing of the signing certificate', () => {
  // @sigstore/core verifies the signed TBSCertificate inside and ignores what frames it: without
  // the framing check each of these verifies, and a verified bundle's bytes would not be unique.
  it.each([
    ['one trailing byte', (der: Buffer) => Buffer.concat([der, Buffer.from([0])])],
    ['a trailing copy of the certificate', (der: Buffer) => Buffer.concat([der, der])],
    ['another outer tag (SET instead of SEQUENCE)', (der: Buffer) => Buffer.concat([Buffer.from([0x31]), der.subarray(1)])],
    ['a non-minimal length (three length bytes for two)', (der: Buffer) => Buffer.concat([Buffer.from([0x30, 0x83, 0x00]), der.subarray(2)])],
  ])('BUNDLE_MALFORMED for a v0.3 certificate with %s', (_, edit) => {
    const doc = good();
    editLeaf(doc.attestations[0]!.bundle, edit);
    const facts = verifyPackageEvidence(evidence(doc), trust, NOW);
    expect(codes(facts.findings)).toEqual(['BUNDLE_MALFORMED']);
    expect(facts.attestations[0]?.status).toBe('failed');
  });

  it('BUNDLE_MALFORMED for a v0.2 certificate chain whose leaf has one trailing byte', () => {
    const doc = makeNpmAttestations(pki, PKG, { time: PUBLISHED, publish: false, provenanceBundle: { version: '0.2' } });
    editLeaf(doc.attestations[0]!.bundle, (der) => Buffer.concat([der, Buffer.from([0])]));
    expect(codes(verifyPackageEvidence(evidence(doc), trust, NOW).findings)).toEqual(['BUNDLE_MALFORMED']);
  });
});

describe('the signer of the publish attestation', () => {
  it('UNEXPECTED_SIGNER for a publish attestation signed by a Fulcio certificate, and its time is not the signed publish time', () => {
    // Anyone with a CI identity can get a Fulcio certificate: here one signs a publish statement
    // logged a year before the real publish, to have old registry keys judged as valid.
    const forgedTime = new Date('2025-06-01T00:00:00Z');
    const statement = inTotoStatement(PKG, NPM_PUBLISH_V01, { name: PKG.name, version: PKG.version, registry: NPMJS_REGISTRY }, 'https://in-toto.io/Statement/v0.1');
    const bundle = signStatementKeyless(pki, statement, { identity: githubActionsIdentity(), notBefore: new Date(forgedTime.getTime() - 30_000) }, { integratedTime: forgedTime, version: '0.3' });
    const doc = good();
    doc.attestations[1] = { predicateType: NPM_PUBLISH_V01, bundle };
    const facts = verifyPackageEvidence(evidence(doc), trust, NOW);
    expect(codes(facts.findings)).toEqual(['UNEXPECTED_SIGNER']);
    expect(facts.findings[0]?.details).toMatchObject({ attestation: 1, role: 'publish', signer: 'certificate' });
    expect(facts.attestations[1]?.status).toBe('failed');
    expect(facts.publishTime).toEqual({ value: PACKUMENT_TIME, signed: false, source: 'packument' });
  });
});

describe('which log times count as signed', () => {
  it('getVerifiedTimestamps leaves out a log entry without an inclusion promise (its time is unsigned)', () => {
    const entry = (promise: boolean) => ({ integratedTime: '1780272000', ...(promise ? { inclusionPromise: { signedEntryTimestamp: Buffer.alloc(1) } } : {}) });
    const entity = { timestamps: [{ $case: 'transparency-log', tlogEntry: entry(false) }, { $case: 'transparency-log', tlogEntry: entry(true) }] } as never;
    expect(getVerifiedTimestamps(entity)).toEqual([{ source: 'transparency-log', time: new Date(1780272000 * 1000) }]);
  });

  it('an unsigned log time neither sets the publish time nor counts as a future timestamp', () => {
    // Both bundles are timestamped by the TSA at the real time and carry an inclusion proof but no
    // promise, so their log entries' integratedTime is signed by nobody. The publish entry claims a
    // year earlier (which would become the signed publish time), the provenance entry a year later.
    const doc = makeNpmAttestations(pki, PKG, {
      time: PUBLISHED,
      bundle: { inclusionPromise: false, inclusionProof: true, tsa: pki.tsa!, tsaTime: PUBLISHED },
      provenanceBundle: { version: '0.3', integratedTime: new Date('2027-06-01T00:00:00Z') },
      publishBundle: { version: '0.2', tlogKind: 'dsse', integratedTime: new Date('2025-06-01T00:00:00Z') },
    });
    const facts = verifyPackageEvidence(evidence(doc), trust, NOW);
    expect(facts.findings).toEqual([]);
    expect(facts.attestations.map((a) => a.timestamps)).toEqual([
      [{ source: 'timestamp-authority', time: PUBLISHED.toISOString() }],
      [{ source: 'timestamp-authority', time: PUBLISHED.toISOString() }],
    ]);
    expect(facts.publishTime).toEqual({ value: PUBLISHED.toISOString(), signed: true, source: 'publish-attestation' });
  });
});

describe('subject digests', () => {
  it.each([
    ['a number', { sha512: 42 }],
    ['an object', { sha512: { hex: 'ab' } }],
    ['null', { sha512: null }],
  ])('STATEMENT_MALFORMED (not a throw) for a signed statement whose sha512 digest is %s', (_, digest) => {
    const statement = inTotoStatement(PKG, SLSA_PROVENANCE_V1, {});
    statement.subject[0]!.digest = digest as never;
    const bundle = signStatementKeyless(pki, statement, { identity: githubActionsIdentity(), notBefore: new Date(PUBLISHED.getTime() - 30_000) }, { integratedTime: PUBLISHED, version: '0.3' });
    const doc = good();
    doc.attestations[0] = { predicateType: SLSA_PROVENANCE_V1, bundle };
    const facts = verifyPackageEvidence(evidence(doc), trust, NOW);
    expect(codes(facts.findings)).toEqual(['STATEMENT_MALFORMED']);
    expect(facts.attestations[0]?.status).toBe('failed');
  });

  it('the publish attestation with a malformed digest gives no signed publish time', () => {
    const statement = inTotoStatement(PKG, NPM_PUBLISH_V01, {}, 'https://in-toto.io/Statement/v0.1');
    statement.subject[0]!.digest = { sha512: 7 } as never;
    const bundle = signStatementWithKey(pki, statement, pki.registryKey, { integratedTime: new Date(PUBLISHED.getTime() + 2000), version: '0.2', tlogKind: 'dsse' });
    const doc = good();
    doc.attestations[1] = { predicateType: NPM_PUBLISH_V01, bundle };
    const facts = verifyPackageEvidence(evidence(doc), trust, NOW);
    expect(codes(facts.findings)).toEqual(['STATEMENT_MALFORMED']);
    expect(facts.publishTime?.signed).toBe(false);
  });
});

describe('the DER framing rule, byte by byte', () => {
  // toBundle checks the framing before any certificate is parsed, so bytes that are no
  // certificate at all show the rule alone.
  const withCertificate = (bytes: number[]) => {
    const bundle = clone(GOOD.attestations[0]!.bundle);
    bundle.verificationMaterial.certificate = { rawBytes: Buffer.from(bytes).toString('base64') };
    return toBundle(bundle);
  };
  const body = (n: number) => Array.from({ length: n }, () => 1);

  it.each([
    ['an empty SEQUENCE', [0x30, 0x00]],
    ['a short-form length', [0x30, 0x03, ...body(3)]],
    ['a long-form length of 128', [0x30, 0x81, 0x80, ...body(128)]],
    ['a two-byte length', [0x30, 0x82, 0x01, 0x00, ...body(256)]],
  ])('accepts %s', (_, bytes) => {
    expect(withCertificate(bytes)).toHaveProperty('bundle');
  });

  it.each([
    ['one byte', [0x30]],
    ['another tag', [0x31, 0x00]],
    ['a short-form length one past the end', [0x30, 0x04, ...body(3)]],
    ['a short-form length one short of the end', [0x30, 0x02, ...body(3)]],
    ['a long form for a length under 128', [0x30, 0x81, 0x7f, ...body(127)]],
    ['a length with a leading zero byte', [0x30, 0x82, 0x00, 0x80, ...body(128)]],
    ['an indefinite length', [0x30, 0x80, ...body(3), 0x00, 0x00]],
    ['an indefinite length before 128 bytes', [0x30, 0x80, ...body(128)]],
    ['five length bytes', [0x30, 0x85, 0x00, 0x00, 0x00, 0x00, 0x01, 0x01]],
    ['length bytes cut off', [0x30, 0x82, 0x01]],
    ['a long-form length one past the end', [0x30, 0x81, 0x81, ...body(128)]],
  ])('refuses %s (BUNDLE_MALFORMED)', (_, bytes) => {
    expect(withCertificate(bytes)).toMatchObject({ findings: [{ code: 'BUNDLE_MALFORMED' }] });
  });

  it('refuses a bundle that is not an object (BUNDLE_MALFORMED)', () => {
    expect(toSigstoreBundle(null)).toMatchObject({ findings: [{ code: 'BUNDLE_MALFORMED' }] });
  });
});

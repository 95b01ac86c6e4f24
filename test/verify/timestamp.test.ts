// Time checks and the mapping of @sigstore/verify's failures, on edited real bundles.

import { X509Certificate } from '@sigstore/core';
import { describe, expect, it } from 'vitest';
import { createTrust, verifyPackageEvidence } from '../../src/verify/index.js';
import {
  getEarliest,
  getVerifiedTimestamps,
  requiresInclusionProof,
  V01_WITHOUT_PROOF_UNTIL,
  verifyCertificateWindow,
  verifyInclusionProofs,
  verifyNotInFuture,
  verifyProvenanceBeforePublish,
  verifyTimestampPresent,
} from '../../src/verify/timestamp/index.js';
import { NOW, POSITIVE, codes, evidenceFor, keysWithTestKey, readJson, realTrust, TRUSTED_ROOT_BYTES, tufKey, TEST_KEYID, TEST_SIGNING } from './_helpers.js';
import { createPublicKey } from 'node:crypto';

const byId = (name: string, version: string) => POSITIVE.find((e) => e.name === name && e.version === version)!;
const V040 = byId('sigstore', '0.4.0');
const V231 = byId('sigstore', '2.3.1');
const PLAYWRIGHT = byId('@playwright/cli', '0.1.1');

function edited(entry: typeof V040, edit: (doc: any) => void) {
  const doc = readJson(`attestations/${entry.file}`);
  edit(doc);
  return evidenceFor(entry, { attestations: doc });
}

describe('pure time checks', () => {
  const t = (iso: string) => ({ source: 'transparency-log' as const, time: new Date(iso) });

  it('FUTURE_TIMESTAMP: later than now + 5 min fails, within 5 min passes', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(verifyNotInFuture([t('2026-01-01T00:05:00Z')], now)).toEqual([]);
    expect(codes(verifyNotInFuture([t('2026-01-01T00:05:01Z')], now))).toEqual(['FUTURE_TIMESTAMP']);
  });

  it('TIMESTAMP_MISSING on an empty list', () => {
    expect(codes(verifyTimestampPresent([]))).toEqual(['TIMESTAMP_MISSING']);
    expect(verifyTimestampPresent([t('2026-01-01T00:00:00Z')])).toEqual([]);
  });

  it('PROVENANCE_AFTER_PUBLISH: more than 1 h after the publish attestation fails', () => {
    const published = new Date('2024-01-01T00:00:00Z');
    expect(verifyProvenanceBeforePublish(new Date('2023-12-31T23:00:00Z'), published)).toEqual([]);
    expect(verifyProvenanceBeforePublish(new Date('2024-01-01T01:00:00Z'), published)).toEqual([]);
    expect(codes(verifyProvenanceBeforePublish(new Date('2024-01-01T01:00:01Z'), published))).toEqual(['PROVENANCE_AFTER_PUBLISH']);
  });

  it('getEarliest picks the earliest time', () => {
    expect(getEarliest([t('2024-01-02T00:00:00Z'), t('2024-01-01T00:00:00Z')])?.toISOString()).toBe('2024-01-01T00:00:00.000Z');
    expect(getEarliest([t('2024-01-01T00:00:00Z'), t('2024-01-02T00:00:00Z')])?.toISOString()).toBe('2024-01-01T00:00:00.000Z');
    expect(getEarliest([])).toBeUndefined();
  });

  it('CERT_WINDOW: a real Fulcio certificate is valid for its 10 minutes only', () => {
    const raw = readJson(`attestations/${V040.file}`).attestations[0].bundle.verificationMaterial.x509CertificateChain.certificates[0].rawBytes;
    const cert = X509Certificate.parse(Buffer.from(raw, 'base64'));
    expect(verifyCertificateWindow(cert, [t('2023-01-11T17:31:52Z')])).toEqual([]);
    expect(codes(verifyCertificateWindow(cert, [t('2023-01-11T17:41:53Z')]))).toEqual(['CERT_WINDOW']);
    expect(codes(verifyCertificateWindow(cert, [t('2023-01-11T17:31:51Z')]))).toEqual(['CERT_WINDOW']);
  });

  it('MISSING_INCLUSION_PROOF: required from bundle v0.2, and for v0.1 entries logged from 2024', () => {
    const entry = { logIndex: '1', integratedTime: String(Date.parse('2023-05-16T17:32:54Z') / 1000), inclusionPromise: { signedEntryTimestamp: Buffer.alloc(1) } } as any;
    const vm = (e: any) => ({ tlogEntries: [e] }) as any;
    expect(verifyInclusionProofs({ mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.1', verificationMaterial: vm(entry) })).toEqual([]);
    expect(codes(verifyInclusionProofs({ mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.2', verificationMaterial: vm(entry) }))).toEqual(['MISSING_INCLUSION_PROOF']);
    expect(codes(verifyInclusionProofs({ mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json', verificationMaterial: vm(entry) }))).toEqual(['MISSING_INCLUSION_PROOF']);
    // A v0.2 bundle stripped of its proof and relabelled v0.1 is still refused: the label is unsigned.
    const recent = { ...entry, integratedTime: String(Date.parse('2024-05-16T17:12:03Z') / 1000) };
    expect(codes(verifyInclusionProofs({ mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.1', verificationMaterial: vm(recent) }))).toEqual(['MISSING_INCLUSION_PROOF']);
    const timeless = { ...entry, integratedTime: '0' };
    expect(codes(verifyInclusionProofs({ mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.1', verificationMaterial: vm(timeless) }))).toEqual(['MISSING_INCLUSION_PROOF']);
    const proved = { ...entry, inclusionProof: { checkpoint: { envelope: 'x' } } };
    expect(verifyInclusionProofs({ mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.2', verificationMaterial: vm(proved) })).toEqual([]);
  });
});

// The edges and the details (facts a report carries) of the same checks.
describe('pure time checks: edges and details', () => {
  const V01_TYPE = 'application/vnd.dev.sigstore.bundle+json;version=0.1';
  const t = (iso: string) => ({ source: 'timestamp-authority' as const, time: new Date(iso) });

  it('getVerifiedTimestamps: a tlog time past what a Date holds is no timestamp; one without a promise neither', () => {
    const tlog = (integratedTime: string, promise = true) => ({ $case: 'transparency-log', tlogEntry: { integratedTime, ...(promise ? { inclusionPromise: {} } : {}) } });
    const signingTime = new Date('2026-01-01T00:00:00Z');
    const entity = { timestamps: [tlog('9000000000000000'), tlog('1700000000', false), tlog('1700000000'), { $case: 'timestamp-authority', timestamp: { signingTime } }] } as never;
    expect(getVerifiedTimestamps(entity)).toEqual([
      { source: 'transparency-log', time: new Date(1_700_000_000_000) },
      { source: 'timestamp-authority', time: signingTime },
    ]);
  });

  it('FUTURE_TIMESTAMP names the source and the time', () => {
    expect(verifyNotInFuture([t('2026-01-01T01:00:00Z')], new Date('2026-01-01T00:00:00Z'))).toEqual([
      expect.objectContaining({ code: 'FUTURE_TIMESTAMP', details: { source: 'timestamp-authority', time: '2026-01-01T01:00:00.000Z' } }),
    ]);
  });

  it('PROVENANCE_AFTER_PUBLISH names both times', () => {
    expect(verifyProvenanceBeforePublish(new Date('2024-01-01T02:00:00Z'), new Date('2024-01-01T00:00:00Z'))).toEqual([
      expect.objectContaining({ code: 'PROVENANCE_AFTER_PUBLISH', details: { provenanceSigned: '2024-01-01T02:00:00.000Z', published: '2024-01-01T00:00:00.000Z' } }),
    ]);
  });

  it('CERT_WINDOW names the window and the time, and an invalid date as such', () => {
    const cert = (notBefore: Date) => ({ validForDate: () => false, notBefore, notAfter: new Date('2026-01-01T00:10:00Z') }) as never;
    expect(verifyCertificateWindow(cert(new Date('2026-01-01T00:00:00Z')), [t('2026-01-02T00:00:00Z')])).toEqual([
      expect.objectContaining({ code: 'CERT_WINDOW', details: { notBefore: '2026-01-01T00:00:00.000Z', notAfter: '2026-01-01T00:10:00.000Z', time: '2026-01-02T00:00:00.000Z' } }),
    ]);
    expect(verifyCertificateWindow(cert(new Date(NaN)), [t('2026-01-02T00:00:00Z')])[0]?.details).toMatchObject({ notBefore: 'an invalid date' });
  });

  it('MISSING_INCLUSION_PROOF names the log index; a proof without a checkpoint is no proof', () => {
    const entry = { logIndex: '42', integratedTime: '1700000000', inclusionProof: { logIndex: '42' } } as never;
    expect(verifyInclusionProofs({ mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json', verificationMaterial: { tlogEntries: [entry] } as never })).toEqual([
      expect.objectContaining({ code: 'MISSING_INCLUSION_PROOF', details: { logIndex: '42' } }),
    ]);
  });

  it('a v0.1 entry logged exactly at the cut-off needs a proof; one a millisecond before does not', () => {
    expect(requiresInclusionProof(V01_TYPE, new Date(V01_WITHOUT_PROOF_UNTIL.getTime()))).toBe(true);
    expect(requiresInclusionProof(V01_TYPE, new Date(V01_WITHOUT_PROOF_UNTIL.getTime() - 1))).toBe(false);
    expect(requiresInclusionProof(V01_TYPE, undefined)).toBe(true);
  });

  it.each(['0', '-5', '', 'soon', 'Infinity', undefined, null])('a v0.1 entry with integrated time %j states no time, so it needs a proof', (integratedTime) => {
    const entry = { logIndex: '1', integratedTime } as never;
    expect(codes(verifyInclusionProofs({ mediaType: V01_TYPE, verificationMaterial: { tlogEntries: [entry] } as never }))).toEqual(['MISSING_INCLUSION_PROOF']);
  });
});

describe('time and log checks on edited real bundles', () => {
  const trust = realTrust();

  it('FUTURE_TIMESTAMP when now is before the log times', () => {
    const facts = verifyPackageEvidence(evidenceFor(V040), trust, new Date('2023-01-11T17:00:00Z'));
    expect(codes(facts.findings)).toEqual(['FUTURE_TIMESTAMP', 'FUTURE_TIMESTAMP']);
    // 2 s after the provenance, still within 5 min: nothing.
    expect(verifyPackageEvidence(evidenceFor(V040), trust, new Date('2023-01-11T17:31:00Z')).findings).toEqual([]);
  });

  it('CERT_WINDOW when the integrated time is moved outside the certificate validity', () => {
    const ev = edited(V040, (doc) => {
      const entry = doc.attestations[0].bundle.verificationMaterial.tlogEntries[0];
      entry.integratedTime = String(Number(entry.integratedTime) + 86_400);
    });
    const facts = verifyPackageEvidence(ev, trust, NOW);
    expect(codes(facts.findings)).toEqual(['CERT_WINDOW']);
    expect(facts.findings[0]?.details).toMatchObject({ sigstoreCode: 'CERTIFICATE_ERROR', attestation: 0 });
  });

  it('TLOG_INVALID when a signed field of the entry (log index) is changed: the SET fails', () => {
    const ev = edited(V040, (doc) => {
      doc.attestations[1].bundle.verificationMaterial.tlogEntries[0].logIndex = '10960849';
    });
    const facts = verifyPackageEvidence(ev, trust, NOW);
    expect(codes(facts.findings)).toEqual(['TLOG_INVALID']);
    expect(facts.findings[0]?.details).toMatchObject({ sigstoreCode: 'TLOG_INCLUSION_PROMISE_ERROR' });
  });

  it('TLOG_INVALID when an inclusion proof hash is changed (v0.2)', () => {
    const ev = edited(V231, (doc) => {
      const proof = doc.attestations[0].bundle.verificationMaterial.tlogEntries[0].inclusionProof;
      proof.hashes[0] = Buffer.alloc(32, 1).toString('base64');
    });
    const facts = verifyPackageEvidence(ev, trust, NOW);
    expect(codes(facts.findings)).toEqual(['TLOG_INVALID']);
    expect(facts.findings[0]?.details).toMatchObject({ sigstoreCode: 'TLOG_INCLUSION_PROOF_ERROR' });
  });

  it('MISSING_INCLUSION_PROOF when a v0.2 bundle carries only the promise', () => {
    const ev = edited(V231, (doc) => {
      delete doc.attestations[0].bundle.verificationMaterial.tlogEntries[0].inclusionProof;
    });
    expect(codes(verifyPackageEvidence(ev, trust, NOW).findings)).toEqual(['MISSING_INCLUSION_PROOF']);
  });

  it('a v0.1 bundle without an inclusion proof is accepted on its promise (the fixture has none)', () => {
    const doc = readJson(`attestations/${V040.file}`);
    expect(doc.attestations[0].bundle.verificationMaterial.tlogEntries[0].inclusionProof).toBeFalsy();
    expect(verifyPackageEvidence(evidenceFor(V040), trust, NOW).findings).toEqual([]);
  });

  it('TIMESTAMP_MISSING when a v0.3 bundle has no promise (so no signed time) and no TSA timestamp', () => {
    const ev = edited(PLAYWRIGHT, (doc) => {
      delete doc.attestations[1].bundle.verificationMaterial.tlogEntries[0].inclusionPromise;
    });
    const facts = verifyPackageEvidence(ev, trust, NOW);
    expect(codes(facts.findings)).toEqual(['TIMESTAMP_MISSING']);
  });

  it('PROVENANCE_AFTER_PUBLISH: a provenance signed a month after the publish attestation', () => {
    // sigstore@0.4.0's publish attestation (2023-01-11) with sigstore@1.0.0's provenance (2023-02-09).
    const doc = readJson(`attestations/${V040.file}`);
    doc.attestations[0] = readJson(`attestations/${byId('sigstore', '1.0.0').file}`).attestations[0];
    const facts = verifyPackageEvidence(evidenceFor(V040, { attestations: doc }), trust, NOW);
    // The provenance names sigstore@1.0.0 (a name mismatch stops that subject's digest check);
    // its time is still verified, so the order check runs and fails too.
    expect(codes(facts.findings)).toEqual(['SUBJECT_NAME_MISMATCH', 'PROVENANCE_AFTER_PUBLISH']);
    expect(facts.attestations[0]?.findings.map((f) => f.code)).toContain('PROVENANCE_AFTER_PUBLISH');
  });

  it('CERT_CHAIN_INVALID when the root trusts no Fulcio CA valid at the signing time', () => {
    const root = JSON.parse(TRUSTED_ROOT_BYTES.toString());
    root.certificateAuthorities = root.certificateAuthorities.slice(0, 1); // the 2021-2022 CA only
    const narrow = createTrust({ trustedRoot: root, registryKeys: keysWithTestKey() });
    const facts = verifyPackageEvidence(evidenceFor(V040), narrow, NOW);
    expect(codes(facts.findings)).toEqual(['CERT_CHAIN_INVALID']);
  });

  it('CERT_CHAIN_INVALID when the leaf certificate signature is altered', () => {
    const ev = edited(V040, (doc) => {
      const c = doc.attestations[0].bundle.verificationMaterial.x509CertificateChain.certificates[0];
      const der = Buffer.from(c.rawBytes, 'base64');
      der[der.length - 5]! ^= 0x01;
      c.rawBytes = der.toString('base64');
    });
    expect(codes(verifyPackageEvidence(ev, trust, NOW).findings)).toEqual(['CERT_CHAIN_INVALID']);
  });
});

describe('the publish attestation key', () => {
  const npmKey = readJson('trusted-root/keys.json').keys[1];
  const jl3b = createPublicKey({ key: Buffer.from(npmKey.publicKey.rawBytes, 'base64'), format: 'der', type: 'spki' });
  const trustWithAttestationKey = (validFor: { start: string; end?: string }) =>
    createTrust({
      trustedRoot: TRUSTED_ROOT_BYTES,
      registryKeys: { keys: [tufKey(npmKey.keyId, 'npm:attestations', jl3b, validFor), tufKey(TEST_KEYID, 'npm:signatures', TEST_SIGNING.publicKey, { start: '2020-01-01T00:00:00Z' })] },
    });

  it('KEY_EXPIRED when the npm:attestations key was not valid at the log time', () => {
    const facts = verifyPackageEvidence(evidenceFor(V040), trustWithAttestationKey({ start: '2024-01-01T00:00:00Z' }), NOW);
    expect(codes(facts.findings)).toEqual(['KEY_EXPIRED']);
    expect(facts.findings[0]?.details).toMatchObject({ sigstoreCode: 'PUBLIC_KEY_ERROR', attestation: 1 });
    const ended = verifyPackageEvidence(evidenceFor(V040), trustWithAttestationKey({ start: '2022-01-01T00:00:00Z', end: '2023-01-01T00:00:00Z' }), NOW);
    expect(codes(ended.findings)).toEqual(['KEY_EXPIRED']);
  });

  it('UNKNOWN_KEY when the hint names no npm:attestations key (an npm:signatures key does not count)', () => {
    const onlySignatures = createTrust({
      trustedRoot: TRUSTED_ROOT_BYTES,
      registryKeys: { keys: [tufKey(npmKey.keyId, 'npm:signatures', jl3b, { start: '2020-01-01T00:00:00Z' }), tufKey(TEST_KEYID, 'npm:signatures', TEST_SIGNING.publicKey, { start: '2020-01-01T00:00:00Z' })] },
    });
    const facts = verifyPackageEvidence(evidenceFor(V040), onlySignatures, NOW);
    expect(codes(facts.findings)).toEqual(['UNKNOWN_KEY']);
    expect(facts.findings[0]?.details).toMatchObject({ attestation: 1, keyid: npmKey.keyId });
  });
});

describe('malformed bundles', () => {
  const trust = realTrust();
  it.each([
    ['an unknown media type', (b: any) => (b.mediaType = 'application/vnd.dev.sigstore.bundle+json;version=0.1x')],
    ['no DSSE envelope', (b: any) => delete b.dsseEnvelope],
    ['a v0.1 entry without its promise', (b: any) => delete b.verificationMaterial.tlogEntries[0].inclusionPromise],
    ['two DSSE signatures', (b: any) => b.dsseEnvelope.signatures.push(b.dsseEnvelope.signatures[0])],
    ['a certificate that is not DER', (b: any) => (b.verificationMaterial.x509CertificateChain.certificates[0].rawBytes = 'AAAA')],
  ])('BUNDLE_MALFORMED for %s', (_, edit) => {
    const ev = edited(V040, (doc) => edit(doc.attestations[0].bundle));
    expect(codes(verifyPackageEvidence(ev, trust, NOW).findings)).toEqual(['BUNDLE_MALFORMED']);
  });
});

// verifyPackageEvidence as a whole, on bundles the test PKI signs: the integrity facts it records,
// which attestations the provenance-before-publish order is checked on, and when the publish time
// that a registry key with an end date is judged at counts as signed, missing, or failed.

import { describe, expect, it, vi } from 'vitest';
import * as sigstore from '../../src/verify/attestation/sigstore.js';
import { createTrust, verifyPackageEvidence, type PackageEvidence } from '../../src/verify/index.js';
import {
  NPM_PUBLISH_V01,
  SLSA_PROVENANCE_V1,
  createTestPki,
  githubActionsIdentity,
  inTotoStatement,
  makeNpmAttestations,
  sha512Integrity,
  signStatementKeyless,
  type AttestationsDocument,
} from '../support/index.js';
import { clone, codes } from './_helpers.js';

vi.mock('../../src/verify/attestation/sigstore.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/verify/attestation/sigstore.js')>();
  return { ...actual, verifyBundle: vi.fn(actual.verifyBundle) };
});
const verifyBundle = vi.mocked(sigstore.verifyBundle);
const actual = await vi.importActual<typeof import('../../src/verify/attestation/sigstore.js')>('../../src/verify/attestation/sigstore.js');

const NOW = new Date('2026-06-01T00:00:00Z');
const PUBLISHED = new Date('2026-05-01T00:00:00Z');
const TWO_HOURS_LATER = new Date(PUBLISHED.getTime() + 2 * 3600_000);
const PKG = { name: 'left-pad', version: '1.3.0', integrity: sha512Integrity(Buffer.from('the bytes of left-pad 1.3.0')) };
const SHA1_PIN = 'sha1-' + Buffer.alloc(20, 7).toString('base64');
const OTHER_TYPE = 'https://example.com/other-predicate/v1';

// The registry key (signing both dist.signatures and the publish attestation) ends in 2030, so a
// publish time is needed to judge it.
const pki = createTestPki({ registryKeyValidTo: new Date('2030-01-01T00:00:00Z') });
const trust = createTrust({ trustedRoot: pki.trustedRoot(), registryKeys: pki.tufKeys() });
const ATTESTED = makeNpmAttestations(pki, PKG, { time: PUBLISHED });
const LATE_PROVENANCE = makeNpmAttestations(pki, PKG, { time: TWO_HOURS_LATER, publish: false }).attestations[0]!;
const PUBLISH = ATTESTED.attestations.find((a) => a.predicateType === NPM_PUBLISH_V01)!;
const PROVENANCE = ATTESTED.attestations.find((a) => a.predicateType === SLSA_PROVENANCE_V1)!;

// No packument `time`: the publish attestation's signed time is the only publish time there is.
function evidence(attestations: AttestationsDocument | undefined, overrides: Partial<PackageEvidence> = {}): PackageEvidence {
  return {
    name: PKG.name,
    version: PKG.version,
    lockfileIntegrity: PKG.integrity,
    manifest: { integrity: PKG.integrity, signatures: [pki.signPackage(PKG.name, PKG.version, PKG.integrity)], attestationsAdvertised: attestations !== undefined },
    ...(attestations === undefined ? {} : { attestations }),
    ...overrides,
  };
}

describe('the integrity facts', () => {
  it('records the lockfile pin and the registry integrity, and no bound digest when there is none', () => {
    const facts = verifyPackageEvidence(evidence(ATTESTED), trust, NOW);
    expect(facts.findings).toEqual([]);
    expect(facts.integrity).toStrictEqual({ lockfile: PKG.integrity, registry: PKG.integrity });
  });

  it('records no registry integrity when the packument gives none (and fails the match)', () => {
    const ev = evidence(ATTESTED);
    const { integrity: _dropped, ...manifest } = ev.manifest;
    const facts = verifyPackageEvidence({ ...ev, manifest }, trust, NOW);
    expect(facts.integrity).toStrictEqual({ lockfile: PKG.integrity });
    expect(codes(facts.findings)).toContain('INTEGRITY_MISMATCH');
  });

  it('a sha1-only pin bound to the sha512 of the downloaded bytes: all three recorded, everything checked against the bound one', () => {
    const facts = verifyPackageEvidence(evidence(ATTESTED, { lockfileIntegrity: SHA1_PIN, boundIntegrity: PKG.integrity }), trust, NOW);
    expect(facts.findings).toEqual([]);
    expect(facts.integrity).toStrictEqual({ lockfile: SHA1_PIN, registry: PKG.integrity, bound: PKG.integrity });
  });
});

describe('provenance signed after the publish attestation', () => {
  it('fails the provenance itself (status failed, PROVENANCE_AFTER_PUBLISH), not the publish attestation', () => {
    const facts = verifyPackageEvidence(evidence({ attestations: [clone(LATE_PROVENANCE), clone(PUBLISH)] }), trust, NOW);
    expect(facts.attestations.map((a) => a.status)).toEqual(['failed', 'verified']);
    expect(codes(facts.attestations[0]?.findings ?? [])).toEqual(['PROVENANCE_AFTER_PUBLISH']);
    expect(codes(facts.findings)).toEqual(['PROVENANCE_AFTER_PUBLISH']);
    expect(facts.registrySignature.status).toBe('verified');
  });

  it('the order is a rule for provenance only: an attestation of another type signed later is not judged by it', () => {
    const statement = inTotoStatement(PKG, OTHER_TYPE, { note: 'recorded, not interpreted' });
    const other = signStatementKeyless(pki, statement, { identity: githubActionsIdentity(), notBefore: new Date(TWO_HOURS_LATER.getTime() - 30_000) }, { integratedTime: TWO_HOURS_LATER });
    const facts = verifyPackageEvidence(evidence({ attestations: [clone(PROVENANCE), clone(PUBLISH), { predicateType: OTHER_TYPE, bundle: other }] }), trust, NOW);
    expect(facts.findings).toEqual([]);
    expect(facts.attestations.map((a) => a.status)).toEqual(['verified', 'verified', 'verified']);
  });
});

describe('the publish time a registry key with an end date is judged at', () => {
  it('a second publish attestation hidden under another label gives no signed time, even though the first verified', () => {
    const relabelled = { ...clone(PUBLISH), predicateType: OTHER_TYPE };
    const facts = verifyPackageEvidence(evidence({ attestations: [clone(PROVENANCE), clone(PUBLISH), relabelled] }), trust, NOW);
    expect(facts.attestations.map((a) => a.status)).toEqual(['verified', 'verified', 'failed']);
    expect(codes(facts.findings)).toContain('DUPLICATE_PREDICATE_TYPE');
    expect(facts.findings.find((f) => f.code === 'DUPLICATE_PREDICATE_TYPE')?.details).toEqual({ role: 'publish', count: 2 });
    expect(facts.publishTime).toBeUndefined();
    expect(facts.registrySignature.status).toBe('failed');
    // The duplicate is the reason: no second finding for the time it took away.
    expect(codes(facts.findings)).not.toContain('PUBLISH_TIME_UNKNOWN');
  });

  it('no publish attestation, and another finding about the document: the unknown time is still its own finding', () => {
    const missing = verifyPackageEvidence(evidence(undefined, { manifest: { ...evidence(undefined).manifest, attestationsAdvertised: true } }), trust, NOW);
    expect(codes(missing.findings)).toEqual(['ATTESTATIONS_MISSING', 'PUBLISH_TIME_UNKNOWN']);
  });

  it('two provenance claims and no publish attestation: DUPLICATE_PREDICATE_TYPE for provenance does not excuse the unknown time', () => {
    const facts = verifyPackageEvidence(evidence({ attestations: [clone(PROVENANCE), clone(PROVENANCE)] }), trust, NOW);
    expect(codes(facts.findings)).toEqual(['DUPLICATE_PREDICATE_TYPE', 'PUBLISH_TIME_UNKNOWN']);
    expect(facts.findings[0]?.details).toEqual({ role: 'provenance', count: 2 });
    expect(facts.registrySignature.status).toBe('failed');
  });

  it('a publish attestation that failed without saying why does not excuse the unknown time (fail closed)', () => {
    // Only a failure with a finding may stand in for PUBLISH_TIME_UNKNOWN; one without would
    // leave the package failing with no reason given.
    verifyBundle.mockImplementation((bundle, t) => (bundle.verificationMaterial.content.$case === 'publicKey' ? { ok: false, findings: [] } : actual.verifyBundle(bundle, t)));
    try {
      const facts = verifyPackageEvidence(evidence(ATTESTED), trust, NOW);
      expect(facts.attestations.map((a) => a.status)).toEqual(['verified', 'failed']);
      expect(facts.attestations[1]?.findings).toEqual([]);
      expect(codes(facts.findings)).toEqual(['PUBLISH_TIME_UNKNOWN']);
      expect(facts.registrySignature.status).toBe('failed');
    } finally {
      verifyBundle.mockImplementation(actual.verifyBundle);
    }
  });
});

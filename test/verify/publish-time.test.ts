// The time a registry key with an end date is judged at, when the publish attestation that
// carries it is served but fails: the attestation's own finding fails the package, without a
// second, misleading PUBLISH_TIME_UNKNOWN, and the signature is still never verified.

import { describe, expect, it } from 'vitest';
import { createTrust, verifyPackageEvidence, type PackageEvidence } from '../../src/verify/index.js';
import { NPM_PUBLISH_V01, createTestPki, makeNpmAttestations, mutate, sha512Integrity, type AttestationsDocument } from '../support/index.js';
import { codes } from './_helpers.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const PUBLISHED = new Date('2026-05-01T00:00:00Z');
const NAME = 'left-pad';
const VERSION = '1.3.0';
const INTEGRITY = sha512Integrity(Buffer.from('the bytes of left-pad 1.3.0'));

// The registry key (signing both dist.signatures and the publish attestation) ends in 2030.
const pki = createTestPki({ registryKeyValidTo: new Date('2030-01-01T00:00:00Z') });
const trust = createTrust({ trustedRoot: pki.trustedRoot(), registryKeys: pki.tufKeys() });
const attested = makeNpmAttestations(pki, { name: NAME, version: VERSION, integrity: INTEGRITY }, { time: PUBLISHED });

// The evidence as the check stage hands it over when a publish attestation is served: the
// packument's `time` is not fetched, so the signed log time is the only publish time there is.
function evidence(attestations: AttestationsDocument | undefined): PackageEvidence {
  return {
    name: NAME,
    version: VERSION,
    lockfileIntegrity: INTEGRITY,
    manifest: { integrity: INTEGRITY, signatures: [pki.signPackage(NAME, VERSION, INTEGRITY)], attestationsAdvertised: attestations !== undefined },
    ...(attestations === undefined ? {} : { attestations }),
  };
}

describe('a registry key with an end date, judged at the publish attestation\'s time', () => {
  it('positive control: the publish attestation verifies, its signed time judges the key, the signature verifies', () => {
    const facts = verifyPackageEvidence(evidence(attested), trust, NOW);
    expect(codes(facts.findings)).toEqual([]);
    expect(facts.registrySignature.status).toBe('verified');
    expect(facts.publishTime).toMatchObject({ signed: true, source: 'publish-attestation' });
  });

  it('a publish attestation that does not verify fails the package by its own finding alone, not also by PUBLISH_TIME_UNKNOWN', () => {
    const broken = mutate.mapBundle(attested, NPM_PUBLISH_V01, (b) => mutate.replaceSignature(b));
    const facts = verifyPackageEvidence(evidence(broken), trust, NOW);
    expect(facts.attestations.map((a) => a.status)).toEqual(['verified', 'failed']);
    const own = codes(facts.attestations[1]?.findings ?? []);
    expect(own.length).toBeGreaterThan(0);
    expect(codes(facts.findings)).toEqual(own);
    // Security: without a publish time the key's end date was never checked, so the signature
    // must not count as verified evidence even if the attestation's finding is waived.
    expect(facts.registrySignature.status).toBe('failed');
    expect(facts.publishTime).toBeUndefined();
  });

  it('two publish attestations give no time either: DUPLICATE_PREDICATE_TYPE alone, the signature not verified', () => {
    const twice: AttestationsDocument = { attestations: [...attested.attestations, ...mutate.dropAttestation(attested, 'https://slsa.dev/provenance/v1').attestations] };
    const facts = verifyPackageEvidence(evidence(twice), trust, NOW);
    expect(codes(facts.findings)).toEqual(['DUPLICATE_PREDICATE_TYPE']);
    expect(facts.registrySignature.status).toBe('failed');
  });

  it('with no publish attestation at all, an unknown publish time is still its own failure (PUBLISH_TIME_UNKNOWN)', () => {
    const facts = verifyPackageEvidence(evidence(undefined), trust, NOW);
    expect(codes(facts.findings)).toEqual(['PUBLISH_TIME_UNKNOWN']);
    expect(facts.registrySignature.status).toBe('failed');
  });

  it('a failed provenance beside a verified publish attestation does not stop the key being judged', () => {
    const broken = mutate.mapBundle(attested, 'https://slsa.dev/provenance/v1', (b) => mutate.replaceSignature(b));
    const facts = verifyPackageEvidence(evidence(broken), trust, NOW);
    expect(facts.attestations.map((a) => a.status)).toEqual(['failed', 'verified']);
    expect(facts.registrySignature.status).toBe('verified');
    expect(facts.findings.map((f) => f.code)).not.toContain('PUBLISH_TIME_UNKNOWN');
  });
});

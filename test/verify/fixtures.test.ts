// Every real recorded attestation response verifies; every upstream-tampered one fails with the
// code that names what was tampered.

import { describe, expect, it } from 'vitest';
import { verifyPackageEvidence } from '../../src/verify/index.js';
import { INDEX, NEGATIVE, NOW, POSITIVE, codes, evidenceFor, realTrust } from './_helpers.js';

describe('real attestation fixtures', () => {
  it('has 12 positive fixtures (index.json lists 19 entries: 12 positive, 7 negative), all verifying offline', () => {
    expect(INDEX).toHaveLength(19);
    expect(POSITIVE).toHaveLength(12);
    expect(NEGATIVE).toHaveLength(7);
    expect(POSITIVE.every((e) => e.verifiesOffline)).toBe(true);
  });

  for (const entry of POSITIVE) {
    it(`verifies ${entry.name}@${entry.version} with no findings`, () => {
      const facts = verifyPackageEvidence(evidenceFor(entry), realTrust(), NOW);
      expect(facts.findings).toEqual([]);
      expect(facts.registrySignature.status).toBe('verified');
      expect(facts.attestations.map((a) => a.predicateType)).toEqual(entry.attestations.map((a) => a.predicateType));
      for (const [i, a] of facts.attestations.entries()) {
        const expected = entry.attestations[i]!;
        expect(a.status).toBe('verified');
        expect(a.bundleMediaType).toBe(expected.bundleMediaType);
        expect(a.tlog[0]?.logIndex).toBe(expected.tlogEntry.logIndex);
        expect(a.tlog[0]?.inclusionProof).toBe(expected.tlogEntry.inclusionProof);
        expect(a.timestamps).toContainEqual({ source: 'transparency-log', time: new Date(expected.tlogEntry.integratedTime).toISOString() });
        expect(a.signer?.kind).toBe(expected.verificationMaterial === 'publicKey' ? 'public-key' : 'certificate');
      }
      const publish = entry.attestations.find((a) => a.predicateType.includes('npm/attestation'));
      if (publish) {
        expect(facts.publishTime).toEqual({ value: new Date(publish.tlogEntry.integratedTime).toISOString(), signed: true, source: 'publish-attestation' });
      } else {
        expect(facts.publishTime?.signed).toBe(false);
      }
    });
  }

  it('records the signer identity and Fulcio extensions of a keyless signer (sigstore@2.3.1)', () => {
    const entry = POSITIVE.find((e) => e.name === 'sigstore' && e.version === '2.3.1')!;
    const facts = verifyPackageEvidence(evidenceFor(entry), realTrust(), NOW);
    const provenance = facts.attestations.find((a) => a.predicateType === 'https://slsa.dev/provenance/v1')!;
    expect(provenance.signer).toEqual({
      kind: 'certificate',
      issuer: 'https://token.actions.githubusercontent.com',
      subjectAlternativeName: 'https://github.com/sigstore/sigstore-js/.github/workflows/release.yml@refs/heads/main',
      extensions: expect.objectContaining({
        issuer: 'https://token.actions.githubusercontent.com',
        sourceRepositoryURI: 'https://github.com/sigstore/sigstore-js',
        sourceRepositoryDigest: '46e7056ff9912ebfee5298d94024895a9fea76c0',
        sourceRepositoryRef: 'refs/heads/main',
        buildSignerURI: 'https://github.com/sigstore/sigstore-js/.github/workflows/release.yml@refs/heads/main',
        runnerEnvironment: 'github-hosted',
        buildTrigger: 'push',
        buildConfigURI: 'https://github.com/sigstore/sigstore-js/.github/workflows/release.yml@refs/heads/main',
        runInvocationURI: 'https://github.com/sigstore/sigstore-js/actions/runs/9116405766/attempts/1',
        githubWorkflowRepository: 'sigstore/sigstore-js',
      }),
    });
    const publish = facts.attestations.find((a) => a.predicateType.includes('npm/attestation'))!;
    expect(publish.signer).toEqual({ kind: 'public-key', keyid: 'SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA' });
    expect(facts.trust.trustedRoot).toBe('6494e21ea73fa7ee769f85f57d5a3e6a08725eae1e38c755fc3517c9e6bc0b66');
  });

  it('reads only the legacy extensions from a 2023 certificate (sigstore@0.4.0)', () => {
    const entry = POSITIVE.find((e) => e.name === 'sigstore' && e.version === '0.4.0')!;
    const facts = verifyPackageEvidence(evidenceFor(entry), realTrust(), NOW);
    const signer = facts.attestations[0]!.signer;
    expect(signer).toMatchObject({ kind: 'certificate', issuer: 'https://token.actions.githubusercontent.com' });
    expect(signer?.kind === 'certificate' && signer.extensions).toEqual({
      issuer: 'https://token.actions.githubusercontent.com',
      githubWorkflowTrigger: 'release',
      githubWorkflowSHA: '8a2ee2fd20dda58ffa4a8d808a65cb1e04711c03',
      githubWorkflowName: 'publish',
      githubWorkflowRepository: 'sigstore/sigstore-js',
      githubWorkflowRef: 'refs/tags/v0.4.0',
    });
  });

  // The upstream authors altered one field of a signed, logged bundle. @sigstore/verify notices
  // first that the bundle differs from the tlog entry (TLOG_BODY_ERROR); the DSSE signature does
  // not verify either, so the finding names the root cause: SIGNATURE_INVALID.
  const expected: Record<string, { code: string; attestation: number } | 'verifies'> = {
    'negative/sigstore@0.4.0.invalid-signature.json': { code: 'SIGNATURE_INVALID', attestation: 1 },
    'negative/sigstore@0.4.0.malformed-subject.json': { code: 'SIGNATURE_INVALID', attestation: 1 },
    'negative/sigstore@0.4.0.mismatched-subject-digest.json': { code: 'SIGNATURE_INVALID', attestation: 1 },
    'negative/sigstore@0.4.0.mismatched-subject-name.json': { code: 'SIGNATURE_INVALID', attestation: 1 },
    // Only the keyid of the keyless provenance signature changed; Sigstore ignores that field for
    // certificate-signed bundles (the certificate names the key), so this verifies.
    'negative/sigstore@0.4.0.mismatched-keyid.json': 'verifies',
    'negative/sigstore@2.3.1.tampered-provenance-payload.json': { code: 'SIGNATURE_INVALID', attestation: 1 },
    'negative/sigstore@2.3.1.tampered-publish-payload.json': { code: 'SIGNATURE_INVALID', attestation: 0 },
  };

  for (const entry of NEGATIVE) {
    const want = expected[entry.file];
    it(`negative ${entry.file}: ${want === 'verifies' ? 'verifies' : want?.code}`, () => {
      const facts = verifyPackageEvidence(evidenceFor(entry), realTrust(), NOW);
      if (want === 'verifies') {
        expect(facts.findings).toEqual([]);
        return;
      }
      expect(codes(facts.findings)).toEqual([want!.code]);
      expect(facts.findings[0]?.details).toMatchObject({ attestation: want!.attestation, sigstoreCode: 'TLOG_BODY_ERROR' });
      const failed = facts.attestations[want!.attestation]!;
      expect(failed.status).toBe('failed');
      // Nothing from an unauthenticated payload is reported as a fact.
      expect(failed.signer).toBeUndefined();
      expect(failed.timestamps).toEqual([]);
      // The other attestation of the response still verifies.
      expect(facts.attestations.filter((a) => a.status === 'verified')).toHaveLength(facts.attestations.length - 1);
    });
  }

  it('falls back to the unsigned packument time when the publish attestation fails', () => {
    const entry = NEGATIVE.find((e) => e.file.endsWith('tampered-publish-payload.json'))!;
    const facts = verifyPackageEvidence(evidenceFor(entry, {}), realTrust(), NOW);
    expect(facts.publishTime).toEqual({ value: new Date(entry.attestations[0]!.tlogEntry.integratedTime).toISOString(), signed: false, source: 'packument' });
  });
});

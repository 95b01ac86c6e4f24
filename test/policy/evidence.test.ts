// What the policy reads from a package's facts: attestations by role, only verified ones
// believed, and the identity of each verified provenance's certificate.

import { describe, expect, it } from 'vitest';
import { attestationsOf, provenanceIdentities, sourceRepositoryOf, verifiedOf } from '../../src/policy/evidence.js';
import { facts, GITHUB_ISSUER, githubSigner, provenance, publishAttestation } from './_helpers.js';

const OTHER = 'https://in-toto.io/attestation/release/v0.1';

describe('attestations by role', () => {
  const published = publishAttestation();
  const failedProvenance = provenance(githubSigner('org/a'), { status: 'failed' });
  const goodProvenance = provenance(githubSigner('org/a'));
  const other = { ...publishAttestation(), predicateType: OTHER };
  const all = facts('a', '1.0.0', [published, failedProvenance, other, goodProvenance]);

  it('attestationsOf keeps every attestation of the role, verified or not', () => {
    expect(attestationsOf(all, 'provenance')).toStrictEqual([failedProvenance, goodProvenance]);
    expect(attestationsOf(all, 'publish')).toStrictEqual([published]);
    expect(attestationsOf(all, 'other')).toStrictEqual([other]);
  });

  it('verifiedOf keeps only those that verified', () => {
    expect(verifiedOf(all, 'provenance')).toStrictEqual([goodProvenance]);
    expect(verifiedOf(all, 'publish')).toStrictEqual([published]);
    expect(verifiedOf(facts('a', '1.0.0', [failedProvenance]), 'provenance')).toStrictEqual([]);
  });
});

describe('provenance identities', () => {
  it('one per verified provenance signed by a certificate, in order', () => {
    const first = githubSigner('org/a');
    const second = githubSigner('org/b', '.github/workflows/b.yml');
    const keyed = provenance(first, { signer: { kind: 'public-key', keyid: 'k' } });
    const unverified = provenance(githubSigner('org/c'), { status: 'failed' });
    const identities = provenanceIdentities(facts('a', '1.0.0', [provenance(first), keyed, unverified, publishAttestation(), provenance(second)]));
    expect(identities).toStrictEqual([
      { issuer: GITHUB_ISSUER, san: first.san, extensions: first.extensions },
      { issuer: second.issuer, san: second.san, extensions: second.extensions },
    ]);
  });

  it('none without verified provenance', () => {
    expect(provenanceIdentities(facts('a', '1.0.0', [publishAttestation()]))).toStrictEqual([]);
    expect(provenanceIdentities(facts('a', '1.0.0', [provenance(githubSigner('org/a'), { signer: undefined })]))).toStrictEqual([]);
  });
});

describe('the source repository of a certificate', () => {
  it('the 2023 extension first, else the GitHub repository as a URL, else none', () => {
    expect(sourceRepositoryOf({ sourceRepositoryURI: 'https://gitlab.com/g/p', githubWorkflowRepository: 'org/a' })).toBe('https://gitlab.com/g/p');
    expect(sourceRepositoryOf({ githubWorkflowRepository: 'org/a' })).toBe('https://github.com/org/a');
    expect(sourceRepositoryOf({})).toBeUndefined();
  });
});

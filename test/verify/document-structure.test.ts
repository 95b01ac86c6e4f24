// The attestations document is judged as a whole before any bundle in it is verified: a document
// past MAX_ATTESTATIONS entries is INPUT_TOO_LARGE, and one whose entries claim the same role
// twice is DUPLICATE_PREDICATE_TYPE; in both cases no bundle's cryptography runs (counted on the
// bundle verifier, which every entry's signature, chain and log checks go through).

import { describe, expect, it, vi } from 'vitest';
import { MAX_ATTESTATIONS } from '../../src/verify/attestation/document.js';
import * as sigstore from '../../src/verify/attestation/sigstore.js';
import { verifyPackageEvidence } from '../../src/verify/index.js';
import { NOW, POSITIVE, clone, codes, evidenceFor, readJson, realTrust } from './_helpers.js';

vi.mock('../../src/verify/attestation/sigstore.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/verify/attestation/sigstore.js')>();
  return { ...actual, verifyBundle: vi.fn(actual.verifyBundle) };
});

const SIGSTORE_040 = POSITIVE.find((e) => e.name === 'sigstore' && e.version === '0.4.0')!;
const verifyBundle = vi.mocked(sigstore.verifyBundle);

// The real document (publish + provenance) with `extra` more entries appended.
function documentWith(extra: (doc: { attestations: unknown[] }) => unknown[]) {
  const doc = readJson(`attestations/${SIGSTORE_040.file}`);
  doc.attestations.push(...extra(doc));
  return doc;
}

function verify(attestations: unknown) {
  verifyBundle.mockClear();
  return verifyPackageEvidence(evidenceFor(SIGSTORE_040, { attestations }), realTrust(), NOW);
}

describe('the attestations document as a whole', () => {
  it('positive control: the real two-entry document verifies both bundles', () => {
    const facts = verify(readJson(`attestations/${SIGSTORE_040.file}`));
    expect(facts.findings).toEqual([]);
    expect(verifyBundle).toHaveBeenCalledTimes(2);
  });

  it(`refuses more than ${MAX_ATTESTATIONS} entries (copies of a valid bundle) with INPUT_TOO_LARGE, verifying none`, () => {
    const doc = documentWith((d) => Array.from({ length: MAX_ATTESTATIONS - 1 }, () => clone(d.attestations[1])));
    const facts = verify(doc);
    expect(codes(facts.findings)).toEqual(['INPUT_TOO_LARGE']);
    expect(facts.findings[0]?.details).toEqual({ limit: MAX_ATTESTATIONS, actual: MAX_ATTESTATIONS + 1 });
    expect(facts.attestations).toEqual([]);
    expect(verifyBundle).not.toHaveBeenCalled();
  });

  it(`accepts ${MAX_ATTESTATIONS} entries (the bound) and verifies each`, () => {
    // Copies relabelled with predicate types this tool records but does not interpret: no role
    // collides in the claims, so every bundle is verified (and each copy's label is then wrong).
    const doc = documentWith((d) =>
      Array.from({ length: MAX_ATTESTATIONS - 2 }, (_, i) => ({ ...clone(d.attestations[1] as object), predicateType: `https://example.com/other/v${i}` })),
    );
    const facts = verify(doc);
    expect(verifyBundle).toHaveBeenCalledTimes(MAX_ATTESTATIONS);
    expect(codes(facts.findings)).not.toContain('INPUT_TOO_LARGE');
  });

  it('refuses two entries claiming provenance with DUPLICATE_PREDICATE_TYPE before verifying any bundle', () => {
    const doc = documentWith((d) => [clone(d.attestations[0])]);
    const facts = verify(doc);
    expect(codes(facts.findings)).toEqual(['DUPLICATE_PREDICATE_TYPE']);
    expect(facts.findings[0]?.details).toEqual({ role: 'provenance', count: 2 });
    expect(facts.attestations).toEqual([]);
    expect(verifyBundle).not.toHaveBeenCalled();
  });

  it('still finds a duplicate the claims hide (a relabelled copy), once the bundles are verified', () => {
    const doc = documentWith((d) => [{ ...clone(d.attestations[1] as object), predicateType: 'https://example.com/other/v1' }]);
    const facts = verify(doc);
    expect(codes(facts.findings)).toContain('DUPLICATE_PREDICATE_TYPE');
    expect(codes(facts.findings)).toContain('PREDICATE_TYPE_MISMATCH');
    expect(verifyBundle).toHaveBeenCalledTimes(3);
  });
});

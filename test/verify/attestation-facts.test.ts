// The facts verifyAttestation records for one attestation (src/verify/attestation/index.ts): the
// tlog entries, the bundle digest a report names the bundle by, what a failed one carries, and
// the roles predicate types give.

import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex } from '../../src/canonical-json.js';
import { getRole, verifyAttestation, type AttestationContext } from '../../src/verify/attestation/index.js';
import { createTrust } from '../../src/verify/index.js';
import { NPM_PUBLISH_V01, SLSA_PROVENANCE_V1, createTestPki, makeNpmAttestations, type BundleJson } from '../support/index.js';
import { NOW, clone, codes } from './_helpers.js';

const INTEGRITY = 'sha512-8G+/XDU8wNsJOQS5ysDVO0Etg9/2uA5gR9l4ZwijjlwxBcrU6RPfwi2+jJmbP+Ap1Hlp/nVAaEO4Fj22/SL2gQ==';
const PKG = { name: 'alpha', version: '1.0.0', integrity: INTEGRITY };
const PUBLISHED = new Date('2026-06-01T00:00:00Z');
const pki = createTestPki();
const trust = createTrust({ trustedRoot: pki.trustedRoot(), registryKeys: pki.tufKeys() });
const CTX: AttestationContext = {
  name: PKG.name,
  version: PKG.version,
  sha512Hex: Buffer.from(INTEGRITY.slice(7), 'base64').toString('hex'),
  trust,
  now: NOW,
};
const DOC = makeNpmAttestations(pki, PKG, { time: PUBLISHED, provenanceBundle: { version: '0.3' }, publishBundle: { version: '0.2', tlogKind: 'dsse' } });
const provenance = (): BundleJson => clone(DOC.attestations[0]!.bundle);

const verify = (bundle: unknown, predicateType = SLSA_PROVENANCE_V1) => verifyAttestation({ predicateType, bundle } as never, CTX);

describe('the tlog facts of an attestation', () => {
  it('name the log, index, kind, time, promise and proof of each entry as the bundle states them', () => {
    const bundle = provenance();
    const entry = bundle.verificationMaterial.tlogEntries[0]!;
    const result = verify(bundle);
    expect(result.facts.status).toBe('verified');
    expect(result.facts.tlog).toEqual([
      {
        logId: Buffer.from(entry.logId.keyId, 'base64').toString('base64'),
        logIndex: entry.logIndex,
        kind: `${entry.kindVersion.kind}/${entry.kindVersion.version}`,
        integratedTime: PUBLISHED.toISOString(),
        inclusionPromise: true,
        inclusionProof: true,
      },
    ]);
    expect(result.facts.tlog[0]!.logId).not.toBe('');
  });

  it('an entry without an inclusion promise says so', () => {
    const bundle = provenance();
    delete bundle.verificationMaterial.tlogEntries[0]!.inclusionPromise;
    const result = verify(bundle);
    expect(result.facts.tlog[0]).toMatchObject({ inclusionPromise: false, inclusionProof: true });
  });

  it('an entry with integrated time 0 states no time (and the bundle does not verify)', () => {
    const bundle = provenance();
    bundle.verificationMaterial.tlogEntries[0]!.integratedTime = '0';
    const result = verify(bundle);
    expect(result.facts.status).toBe('failed');
    expect(result.facts.tlog[0]).not.toHaveProperty('integratedTime');
  });

  it('an entry with a time past what a Date holds states no time, and nothing throws', () => {
    const bundle = provenance();
    bundle.verificationMaterial.tlogEntries[0]!.integratedTime = '9000000000000000';
    const result = verify(bundle);
    expect(result.facts.status).toBe('failed');
    expect(result.facts.tlog[0]).not.toHaveProperty('integratedTime');
  });
});

describe('the bundle digest and a failed attestation', () => {
  it('a verified attestation is named by the sha256 of its bundle\'s canonical JSON', () => {
    const bundle = provenance();
    expect(verify(bundle).facts.bundleSha256).toBe(sha256Hex(canonicalJson(bundle)));
  });

  it('a bundle the parser refuses: still named by its digest, no tlog, no timestamps, role from the claim', () => {
    const bundle = provenance() as Partial<BundleJson>;
    delete bundle.dsseEnvelope;
    const result = verify(bundle);
    expect(codes(result.facts.findings)).toEqual(['BUNDLE_MALFORMED']);
    expect(result.facts.bundleSha256).toBe(sha256Hex(canonicalJson(bundle)));
    expect(result.facts.tlog).toEqual([]);
    expect(result.facts.timestamps).toEqual([]);
    expect(result.timestamps).toEqual([]);
    expect(result.role).toBe('provenance');
  });

  it('a v0.1 bundle logged in 2026 without an inclusion proof fails before any signature is checked (MISSING_INCLUSION_PROOF)', () => {
    const doc = makeNpmAttestations(pki, PKG, { time: PUBLISHED, bundle: { version: '0.1', inclusionProof: false } });
    const result = verify(doc.attestations[0]!.bundle);
    expect(codes(result.facts.findings)).toEqual(['MISSING_INCLUSION_PROOF']);
    expect(result.facts.status).toBe('failed');
    expect(result.facts.tlog).toHaveLength(1);
    expect(result.timestamps).toEqual([]);
  });
});

describe('getRole', () => {
  it.each([
    [NPM_PUBLISH_V01, 'publish'],
    [SLSA_PROVENANCE_V1, 'provenance'],
    ['https://slsa.dev/provenance/v0.2', 'provenance'],
    ['https://example.com/other/v1', 'other'],
    ['', 'other'],
  ])('%s is %s', (type, role) => {
    expect(getRole(type)).toBe(role);
  });
});

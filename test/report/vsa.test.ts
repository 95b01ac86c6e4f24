// buildVsa: subjects are the verified packages only, and PASSED only when the gate passed and the
// whole lockfile is covered (verified, bundled inside a tarball of it, or the project's own
// workspace); anything less, an empty subject list included, is FAILED with no verified level.

import { describe, expect, it } from 'vitest';
import type { ComplianceReport } from '../../src/report/build.js';
import { buildVsa } from '../../src/report/vsa.js';

type Package = ComplianceReport['packages'][number];
type Reason = Package['verification']['reasons'][number];

const SHA512 = `sha512-${Buffer.alloc(64, 1).toString('base64')}`;

function pkg(name: string, reasons: Reason[] = [], over: Partial<Package> = {}): Package {
  return {
    name,
    version: '1.0.0',
    resolved: null,
    integrity: SHA512,
    source: 'registry',
    bundled: false,
    locations: [`node_modules/${name}`],
    registry: 'https://registry.npmjs.org/',
    rule: null,
    verdict: 'pass',
    findings: [],
    waived: [],
    verification: { verified: reasons.length === 0, verifiedBy: reasons.length === 0 ? ['registry-signature'] : [], reasons },
    evidence: { registrySignature: { status: 'verified' }, attestations: [] },
    ...over,
  };
}

function report(packages: Package[], verdict: ComplianceReport['verdict'] = 'pass'): ComplianceReport {
  const zero = { packages: packages.length, checked: 0, verified: 0, passedWithoutVerifiedEvidence: 0, verifiedSignatures: 0, verifiedProvenance: 0, verifiedPublishAttestations: 0, noEvidence: 0, coveredByBundle: 0, nonRegistry: 0, failed: 0, findings: 0, waived: 0, exceptionsUsed: 0 };
  return {
    schemaVersion: 1,
    tool: { name: 'verify-deps', version: '0.0.0' },
    evaluatedAt: '2026-06-01T00:00:00Z',
    verdict,
    enforcement: 'strict',
    policy: { origin: 'builtin', path: 'policies/default.json', sha256: '0'.repeat(64), format: 'rules' },
    lockfile: { path: 'package-lock.json', lockfileVersion: 3, sha256: '0'.repeat(64) },
    trustedRoot: { origin: 'file', sha256: '0'.repeat(64) },
    registries: [],
    counts: zero,
    packages,
    notVerified: [],
    exceptionsUsed: [],
    observations: { signatureStrippingRegistries: [], warnings: [] },
  };
}

describe('buildVsa', () => {
  it('every package verified: PASSED, one subject each', () => {
    const vsa = buildVsa(report([pkg('a'), pkg('b')]));
    expect(vsa.subject.map((s) => s.name)).toEqual(['pkg:npm/a@1.0.0', 'pkg:npm/b@1.0.0']);
    expect(vsa.predicate.verificationResult).toBe('PASSED');
    expect(vsa.predicate.verifiedLevels).toEqual(['SLSA_BUILD_LEVEL_0']);
  });

  it('a sha1-only pin bound through its tarball: the subject is the sha512 that verified, never the sha1', () => {
    const bound = `sha512-${Buffer.alloc(64, 2).toString('base64')}`;
    const weak = pkg('old', [], { integrity: `sha1-${Buffer.alloc(20, 3).toString('base64')}`, evidence: { boundThrough: 'download', boundIntegrity: bound, registrySignature: { status: 'verified' }, attestations: [] } });
    const vsa = buildVsa(report([weak]));
    expect(vsa.subject).toEqual([{ name: 'pkg:npm/old@1.0.0', digest: { sha512: Buffer.alloc(64, 2).toString('hex') } }]);
    expect(vsa.predicate.verificationResult).toBe('PASSED');
  });

  it('bundled packages and the project\'s own workspaces do not stand in the way of PASSED', () => {
    const vsa = buildVsa(report([pkg('a'), pkg('inner', [{ kind: 'bundled' }], { bundled: true }), pkg('ws', [{ kind: 'not-from-a-registry', source: 'workspace' }], { source: 'workspace' })]));
    expect(vsa.subject.map((s) => s.name)).toEqual(['pkg:npm/a@1.0.0']);
    expect(vsa.predicate.verificationResult).toBe('PASSED');
  });

  it.each<[string, Package]>([
    ['a registry that publishes no keys', pkg('x', [{ kind: 'registry-publishes-no-keys' }])],
    ['a waived finding', pkg('x', [{ kind: 'findings-waived', waived: [{ code: 'INTEGRITY_MISMATCH', exception: 'x@1.0.0' }] }], { verification: { verified: false, verifiedBy: ['registry-signature'], reasons: [{ kind: 'findings-waived', waived: [{ code: 'INTEGRITY_MISMATCH', exception: 'x@1.0.0' }] }] } })],
    ['an allowed git dependency', pkg('x', [{ kind: 'not-from-a-registry', source: 'git' }], { source: 'git' })],
    ['a finding only reported (audit)', pkg('x', [{ kind: 'findings-standing', codes: ['TRUST_DOWNGRADE'] }], { verdict: 'flagged' })],
    ['a verified package without a single sha512 pin', pkg('x', [], { integrity: 'sha1-AAAA' })],
  ])('a passing gate that let through %s: FAILED, and that package is no subject', (_label, unverified) => {
    const vsa = buildVsa(report([pkg('a'), unverified]));
    expect(vsa.subject.map((s) => s.name)).toEqual(['pkg:npm/a@1.0.0']);
    expect(vsa.predicate.verificationResult).toBe('FAILED');
    expect(vsa.predicate.verifiedLevels).toEqual([]);
  });

  it('no subject at all is FAILED, even when the gate passed', () => {
    expect(buildVsa(report([])).predicate.verificationResult).toBe('FAILED');
    expect(buildVsa(report([pkg('ws', [{ kind: 'not-from-a-registry', source: 'workspace' }], { source: 'workspace' })])).predicate.verificationResult).toBe('FAILED');
  });

  it('a failed gate is FAILED', () => {
    expect(buildVsa(report([pkg('a')], 'fail')).predicate).toMatchObject({ verificationResult: 'FAILED', verifiedLevels: [] });
  });
});

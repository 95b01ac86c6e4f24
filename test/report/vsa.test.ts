// buildVsa: one statement whose subject is the lockfile; its dependencies are the verified packages
// only, counted in dependencyLevels; PASSED only when the gate passed and the whole lockfile is
// covered (verified, bundled inside a tarball of it, or the project's own workspace); anything
// less, no verified dependency included, is FAILED with verifiedLevels ["FAILED"], as SLSA VSA
// v1.0 says. Every statement is checked against the spec's fields (test/fixtures/vsa).

import { describe, expect, it } from 'vitest';
import type { ComplianceReport } from '../../src/report/build.js';
import { buildVsa, VERIFIED_DEPENDENCIES_FIELD, type VsaInputs } from '../../src/report/vsa.js';
import { NPMJS_REGISTRY } from '../support/public-urls.js';
import { validateVsa } from '../support/vsa-schema.js';

type Package = ComplianceReport['packages'][number];
type Reason = Package['verification']['reasons'][number];
type Attestation = NonNullable<Package['evidence']>['attestations'][number];

const SHA512 = `sha512-${Buffer.alloc(64, 1).toString('base64')}`;
const LOCKFILE_SHA256 = 'a'.repeat(64);
const INPUTS: VsaInputs = { lockfileName: 'package-lock.json', resourceUri: 'file:///work/app/package-lock.json', policy: { uri: 'file:///work/app/verify-deps.policy.json', sha256: 'b'.repeat(64) } };

function pkg(name: string, reasons: Reason[] = [], over: Partial<Package> = {}): Package {
  return {
    name,
    version: '1.0.0',
    resolved: null,
    integrity: SHA512,
    source: 'registry',
    bundled: false,
    locations: [`node_modules/${name}`],
    registry: `${NPMJS_REGISTRY}/`,
    rule: null,
    verdict: 'pass',
    findings: [],
    waived: [],
    verification: { verified: reasons.length === 0, verifiedBy: reasons.length === 0 ? ['registry-signature'] : [], reasons },
    evidence: { registrySignature: { status: 'verified' }, attestations: [] },
    ...over,
  };
}

function provenance(runnerEnvironment: string, bundleSha256 = 'c'.repeat(64)): Attestation {
  return { predicateType: 'https://slsa.dev/provenance/v1', status: 'verified', runnerEnvironment, bundleSha256 } as Attestation;
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
    lockfile: { path: 'package-lock.json', lockfileVersion: 3, sha256: LOCKFILE_SHA256 },
    trustedRoot: { origin: 'file', sha256: '0'.repeat(64) },
    registries: [],
    counts: zero,
    packages,
    notVerified: [],
    exceptionsUsed: [],
    observations: { signatureStrippingRegistries: [], warnings: [] },
  };
}

const vsaOf = (packages: Package[], verdict: ComplianceReport['verdict'] = 'pass') => {
  const vsa = buildVsa(report(packages, verdict), INPUTS);
  expect(validateVsa(vsa)).toEqual([]);
  return vsa;
};
const dependencyNames = (vsa: ReturnType<typeof buildVsa>) => vsa.predicate[VERIFIED_DEPENDENCIES_FIELD].map((d) => d.name);

describe('buildVsa', () => {
  it('the subject is the lockfile by the sha256 of its bytes; the resource, policy and verified dependencies are named', () => {
    const vsa = vsaOf([pkg('a'), pkg('b')]);
    expect(vsa.subject).toEqual([{ name: 'package-lock.json', digest: { sha256: LOCKFILE_SHA256 } }]);
    expect(vsa.predicate.resourceUri).toBe(INPUTS.resourceUri);
    expect(vsa.predicate.policy).toEqual({ uri: INPUTS.policy.uri, digest: { sha256: INPUTS.policy.sha256 } });
    expect(vsa.predicate[VERIFIED_DEPENDENCIES_FIELD]).toEqual([
      { name: 'pkg:npm/a@1.0.0', digest: { sha512: Buffer.alloc(64, 1).toString('hex') } },
      { name: 'pkg:npm/b@1.0.0', digest: { sha512: Buffer.alloc(64, 1).toString('hex') } },
    ]);
    expect(vsa.predicate.verificationResult).toBe('PASSED');
    // The lockfile's own level: it is no build output with provenance.
    expect(vsa.predicate.verifiedLevels).toEqual(['SLSA_BUILD_LEVEL_0']);
  });

  it('dependencyLevels counts the verified dependencies, each once at its highest build level', () => {
    const vsa = vsaOf([
      pkg('hosted', [], { evidence: { registrySignature: { status: 'verified' }, attestations: [provenance('github-hosted')] } }),
      pkg('self', [], { evidence: { registrySignature: { status: 'verified' }, attestations: [provenance('self-hosted')] } }),
      pkg('plain'),
      pkg('plain2'),
      pkg('ws', [{ kind: 'not-from-a-registry', source: 'workspace' }], { source: 'workspace' }),
    ]);
    expect(vsa.predicate.dependencyLevels).toEqual({ SLSA_BUILD_LEVEL_2: 1, SLSA_BUILD_LEVEL_1: 1, SLSA_BUILD_LEVEL_0: 2 });
  });

  it('each input attestation is a bundle by its digest, with no uri whose bytes would hash to something else', () => {
    const vsa = vsaOf([pkg('a', [], { evidence: { registrySignature: { status: 'verified' }, attestations: [provenance('github-hosted', 'd'.repeat(64))] } })]);
    expect(vsa.predicate.inputAttestations).toEqual([
      {
        name: 'pkg:npm/a@1.0.0 https://slsa.dev/provenance/v1',
        digest: { sha256: 'd'.repeat(64) },
        annotations: { digestOf: expect.any(String), foundIn: `${NPMJS_REGISTRY}/-/npm/v1/attestations/a@1.0.0` },
      },
    ]);
    expect(vsa.predicate.inputAttestations[0]).not.toHaveProperty('uri');
  });

  it('a sha1-only pin bound through its tarball: the dependency is the sha512 that verified, never the sha1', () => {
    const bound = `sha512-${Buffer.alloc(64, 2).toString('base64')}`;
    const weak = pkg('old', [], { integrity: `sha1-${Buffer.alloc(20, 3).toString('base64')}`, evidence: { boundThrough: 'download', boundIntegrity: bound, registrySignature: { status: 'verified' }, attestations: [] } });
    const vsa = vsaOf([weak]);
    expect(vsa.predicate[VERIFIED_DEPENDENCIES_FIELD]).toEqual([{ name: 'pkg:npm/old@1.0.0', digest: { sha512: Buffer.alloc(64, 2).toString('hex') } }]);
    expect(vsa.predicate.verificationResult).toBe('PASSED');
  });

  it('bundled packages and the project\'s own workspaces do not stand in the way of PASSED, and are no dependencies counted', () => {
    const vsa = vsaOf([pkg('a'), pkg('inner', [{ kind: 'bundled' }], { bundled: true }), pkg('ws', [{ kind: 'not-from-a-registry', source: 'workspace' }], { source: 'workspace' })]);
    expect(dependencyNames(vsa)).toEqual(['pkg:npm/a@1.0.0']);
    expect(vsa.predicate.dependencyLevels).toEqual({ SLSA_BUILD_LEVEL_0: 1 });
    expect(vsa.predicate.verificationResult).toBe('PASSED');
  });

  it.each<[string, Package]>([
    ['a registry that publishes no keys', pkg('x', [{ kind: 'registry-publishes-no-keys' }])],
    ['a waived finding', pkg('x', [{ kind: 'findings-waived', waived: [{ code: 'INTEGRITY_MISMATCH', exception: 'x@1.0.0' }] }], { verification: { verified: false, verifiedBy: ['registry-signature'], reasons: [{ kind: 'findings-waived', waived: [{ code: 'INTEGRITY_MISMATCH', exception: 'x@1.0.0' }] }] } })],
    ['an allowed git dependency', pkg('x', [{ kind: 'not-from-a-registry', source: 'git' }], { source: 'git' })],
    ['a finding only reported (audit)', pkg('x', [{ kind: 'findings-standing', codes: ['TRUST_DOWNGRADE'] }], { verdict: 'flagged' })],
  ])('a passing gate that let through %s: FAILED, and that package is no dependency counted', (_label, unverified) => {
    const vsa = vsaOf([pkg('a'), unverified]);
    expect(dependencyNames(vsa)).toEqual(['pkg:npm/a@1.0.0']);
    expect(vsa.predicate.dependencyLevels).toEqual({ SLSA_BUILD_LEVEL_0: 1 });
    expect(vsa.predicate.verificationResult).toBe('FAILED');
    expect(vsa.predicate.verifiedLevels).toEqual(['FAILED']);
  });

  it('a verified package without a single sha512 pin: FAILED (its bytes are named by no sha512)', () => {
    const vsa = vsaOf([pkg('a'), pkg('x', [], { integrity: 'sha1-AAAA' })]);
    expect(dependencyNames(vsa)).toEqual(['pkg:npm/a@1.0.0']);
    expect(vsa.predicate).toMatchObject({ verificationResult: 'FAILED', verifiedLevels: ['FAILED'] });
  });

  it('no verified dependency at all is FAILED, even when the gate passed', () => {
    expect(vsaOf([]).predicate).toMatchObject({ verificationResult: 'FAILED', verifiedLevels: ['FAILED'], dependencyLevels: {} });
    expect(vsaOf([pkg('ws', [{ kind: 'not-from-a-registry', source: 'workspace' }], { source: 'workspace' })]).predicate.verificationResult).toBe('FAILED');
  });

  it('a failed gate is FAILED', () => {
    expect(vsaOf([pkg('a')], 'fail').predicate).toMatchObject({ verificationResult: 'FAILED', verifiedLevels: ['FAILED'] });
  });
});

describe('the spec\'s fields (test/fixtures/vsa)', () => {
  // The schema itself must reject what the spec forbids, or the checks above prove nothing.
  const good = () => JSON.parse(JSON.stringify(buildVsa(report([pkg('a')]), INPUTS))) as Record<string, any>;
  it.each<[string, (v: Record<string, any>) => void]>([
    ['FAILED with an empty verifiedLevels', (v) => { v.predicate.verificationResult = 'FAILED'; v.predicate.verifiedLevels = []; }],
    ['PASSED with FAILED among its levels', (v) => { v.predicate.verifiedLevels = ['FAILED']; }],
    ['two levels of the build track', (v) => { v.predicate.verifiedLevels = ['SLSA_BUILD_LEVEL_0', 'SLSA_BUILD_LEVEL_1']; }],
    ['a relative resourceUri', (v) => { v.predicate.resourceUri = 'package-lock.json'; }],
    ['a policy without a uri', (v) => { delete v.predicate.policy.uri; }],
    ['an input attestation without a digest', (v) => { v.predicate.inputAttestations = [{ uri: 'https://example.com/a' }]; }],
    ['no subject', (v) => { v.subject = []; }],
  ])('rejects %s', (_label, spoil) => {
    const vsa = good();
    expect(validateVsa(vsa)).toEqual([]);
    spoil(vsa);
    expect(validateVsa(vsa)).not.toEqual([]);
  });
});

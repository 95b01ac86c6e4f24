import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, githubActionsIdentity, startFixtureRegistry, syntheticScenario, type FixtureRegistry, type RegistryScenario } from '../support/index.js';
import { createWorkspace, pinned, PUBLISHED, type Workspace, writeTrustFiles } from '../support/attack-kit.js';
import { attestedBy, rulesPolicy, policyRun, type PolicyRun } from '../support/policy-kit.js';

// Audit enforcement, end to end with the REAL CLI: the same evidence judged by a
// strict policy (exit 1), by it under `--mode audit`, and by the same policy written with
// `"enforcement": "audit"`: the same findings, each with enforcement "audit", and exit 0.
// `--mode strict` turns the audit policy back into a failing one.
const RULE = {
  name: 'release workflow',
  match: { package: 'aud-*' },
  require: { publishAttestation: true },
  signer: [{ github: { repo: 'verify-deps-test/example', workflow: '.github/workflows/release.yml', ref: 'refs/tags/v*' } }],
};
const strictPolicy = rulesPolicy([RULE]);
const auditPolicy = { ...strictPolicy, enforcement: 'audit' };
const PACKAGES = ['aud-bare@1.0.0', 'aud-other-signer@1.0.0', 'aud-clean@1.0.0'];
const EXPECTED: Record<string, string[]> = {
  'aud-bare': ['PROVENANCE_MISSING', 'PUBLISH_ATTESTATION_MISSING'],
  'aud-other-signer': ['UNTRUSTED_SIGNER'],
  'aud-clean': [],
};

describe('policy: audit enforcement (the real CLI)', () => {
  const pki = createTestPki();
  let ws: Workspace;
  let registry: FixtureRegistry;
  const runs: Record<string, PolicyRun> = {};

  beforeAll(async () => {
    ws = await createWorkspace();
    const specs = PACKAGES.map((s) => ({ name: s.split('@')[0] as string, version: '1.0.0' }));
    let scenario: RegistryScenario = syntheticScenario(pki, specs, { provenanceShare: 1, attestation: { time: PUBLISHED } });
    scenario = attestedBy(pki, scenario, 'aud-bare', null);
    scenario = attestedBy(pki, scenario, 'aud-other-signer', githubActionsIdentity({ repository: 'org/other' }));
    registry = await startFixtureRegistry(scenario);
    const { trustedRoot, registryKeys } = await writeTrustFiles(ws, pki);
    const run = (label: string, policy: object, args: string[] = []) =>
      policyRun({ ws, label, registry, trustedRoot, registryKeys, packages: pinned(scenario, PACKAGES), policy, args }).then((r) => (runs[label] = r));
    await Promise.all([
      run('strict', strictPolicy),
      run('mode-audit', strictPolicy, ['--mode', 'audit']),
      run('audit-policy', auditPolicy),
      run('audit-policy-mode-strict', auditPolicy, ['--mode', 'strict']),
    ]);
  });
  afterAll(async () => {
    await registry?.close();
    await ws?.cleanup();
  });

  const codesOf = (r: PolicyRun) => Object.fromEntries(Object.keys(EXPECTED).map((name) => [name, r.codes(name)]));
  const enforcementsOf = (r: PolicyRun) => [...new Set(r.report.packages.flatMap((p) => p.findings.map((f) => f.enforcement)))];

  it('baseline: the strict policy fails (exit 1) with strict findings; aud-clean passes', () => {
    const r = runs.strict as PolicyRun;
    expect(codesOf(r)).toEqual(EXPECTED);
    expect(enforcementsOf(r)).toEqual(['strict']);
    expect(r.report).toMatchObject({ verdict: 'fail', enforcement: 'strict' });
    expect(r.code).toBe(1);
  });

  it.each([
    ['--mode audit on the strict policy', 'mode-audit'],
    ['a policy with "enforcement": "audit"', 'audit-policy'],
  ])('%s: the same findings, all audit, verdict pass, exit 0', (_what, label) => {
    const r = runs[label] as PolicyRun;
    expect(codesOf(r)).toEqual(EXPECTED);
    expect(enforcementsOf(r)).toEqual(['audit']);
    expect(r.pkg('aud-bare').verdict).toBe('flagged');
    expect(r.report).toMatchObject({ verdict: 'pass', enforcement: 'audit' });
    expect(r.code).toBe(0);
  });

  it('--mode strict on an audit policy: the same findings, strict, exit 1', () => {
    const r = runs['audit-policy-mode-strict'] as PolicyRun;
    expect(codesOf(r)).toEqual(EXPECTED);
    expect(enforcementsOf(r)).toEqual(['strict']);
    expect(r.report).toMatchObject({ verdict: 'fail', enforcement: 'strict' });
    expect(r.code).toBe(1);
  });
});

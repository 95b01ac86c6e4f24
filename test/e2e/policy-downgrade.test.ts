import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, startFixtureRegistry, syntheticScenario, type FixtureRegistry, type RegistryScenario } from '../support/index.js';
import { createWorkspace, pinned, PUBLISHED, type Workspace, writeTrustFiles } from '../support/attack-kit.js';
import { attestedBy, nativePolicy, policyRun, type PolicyRun } from '../support/policy-kit.js';

// Trust downgrades (issue 5, case 7), end to end with the REAL CLI: the fixture registry's packument
// lists earlier versions with `dist.attestations` (provenance) and the installed version without.
// `downgrade: "fail"` → TRUST_DOWNGRADE, exit 1; `"warn"` → reported under audit,
// exit 0; `"off"` → not reported (and the packument is not even fetched).
const VERSIONS: Record<string, Array<[version: string, attested: boolean]>> = {
  // 1.0.0 had provenance, the installed 1.1.0 has none: the downgrade.
  'dg-lost': [['1.0.0', true], ['1.1.0', false]],
  // Controls: provenance kept; never had any; only a LATER version has it.
  'dg-kept': [['1.0.0', true], ['1.1.0', true]],
  'dg-never': [['1.0.0', false], ['1.1.0', false]],
  'dg-later': [['1.0.0', false], ['2.0.0', true]],
};
const INSTALLED = ['dg-lost@1.1.0', 'dg-kept@1.1.0', 'dg-never@1.1.0', 'dg-later@1.0.0'];
const CONTROLS = ['dg-kept', 'dg-never', 'dg-later'];
const policy = (downgrade: string) => nativePolicy([{ name: 'every package', match: { package: '*' } }], { downgrade });

describe('policy: trust downgrade (the real CLI)', () => {
  const pki = createTestPki();
  let ws: Workspace;
  let registry: FixtureRegistry;
  let offRegistry: FixtureRegistry;
  const runs: Record<string, PolicyRun> = {};

  beforeAll(async () => {
    ws = await createWorkspace();
    const specs = Object.entries(VERSIONS).flatMap(([name, versions]) => versions.map(([version]) => ({ name, version })));
    let scenario: RegistryScenario = syntheticScenario(pki, specs, { provenanceShare: 1, attestation: { time: PUBLISHED } });
    for (const [name, versions] of Object.entries(VERSIONS)) {
      for (const [version, attested] of versions) if (!attested) scenario = attestedBy(pki, scenario, name, null, version);
    }
    // "off" gets a registry of its own, so its request log shows what it fetched.
    [registry, offRegistry] = await Promise.all([startFixtureRegistry(scenario), startFixtureRegistry(scenario)]);
    const { trustedRoot, registryKeys } = await writeTrustFiles(ws, pki);
    const packages = pinned(scenario, INSTALLED);
    const run = (label: string, downgrade: string, r = registry) =>
      policyRun({ ws, label, registry: r, trustedRoot, registryKeys, packages, policy: policy(downgrade) }).then((result) => (runs[label] = result));
    await Promise.all([run('fail', 'fail'), run('warn', 'warn'), run('off', 'off', offRegistry)]);
  });
  afterAll(async () => {
    await Promise.all([registry?.close(), offRegistry?.close()]);
    await ws?.cleanup();
  });

  it('downgrade fail: TRUST_DOWNGRADE (strict) for the package that lost its provenance, naming the earlier version, exit 1', () => {
    const r = runs.fail as PolicyRun;
    expect(r.codes('dg-lost')).toEqual(['TRUST_DOWNGRADE']);
    expect(r.enforcements('dg-lost')).toEqual(['strict']);
    expect(r.pkg('dg-lost').findings[0]?.details).toEqual({ lost: 'provenance', earlierVersion: '1.0.0' });
    expect(r.report.verdict).toBe('fail');
    expect(r.code).toBe(1);
  });

  it('positive controls, in the same runs: provenance kept, never had, or only in a later version → no finding', () => {
    for (const label of ['fail', 'warn', 'off']) {
      for (const name of CONTROLS) expect((runs[label] as PolicyRun).codes(name), `${label}: ${name}`).toEqual([]);
    }
    expect((runs.fail as PolicyRun).pkg('dg-kept').evidence?.attestations.map((a) => a.status)).toEqual(['verified', 'verified']);
  });

  it('downgrade warn: TRUST_DOWNGRADE reported under audit enforcement, exit 0', () => {
    const r = runs.warn as PolicyRun;
    expect(r.codes('dg-lost')).toEqual(['TRUST_DOWNGRADE']);
    expect(r.enforcements('dg-lost')).toEqual(['audit']);
    expect(r.pkg('dg-lost').verdict).toBe('flagged');
    expect(r.report.verdict).toBe('pass');
    expect(r.code).toBe(0);
  });

  it('downgrade off: not reported, exit 0, and no packument fetched for it', () => {
    const r = runs.off as PolicyRun;
    expect(r.codes('dg-lost')).toEqual([]);
    expect(r.report.verdict).toBe('pass');
    expect(r.code).toBe(0);
    expect(offRegistry.count('/dg-lost')).toBe(0);
    // Whereas the judging runs read dg-lost's packument (for its earlier versions).
    expect(registry.count('/dg-lost')).toBeGreaterThan(0);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, mutate, startFixtureRegistry, syntheticScenario, type FixtureRegistry, type RegistryScenario } from '../support/index.js';
import { createWorkspace, pinned, PUBLISHED, type Workspace, writeTrustFiles } from '../support/attack-kit.js';
import { attestedBy, rulesPolicy, policyRun, type PolicyRun } from '../support/policy-kit.js';

// Trust downgrades, end to end with the REAL CLI: the fixture registry's packument
// lists other versions with `dist.attestations` (provenance) and their publish times (`time`), and
// the installed version without provenance. Published after a version with provenance is a
// downgrade, whatever the version number. `downgrade: "fail"` → TRUST_DOWNGRADE, exit 1;
// `"warn"` → reported under audit, exit 0; `"off"` → not reported (and the packument is not even
// fetched). Versions without a time here are all listed at the fixture's one default time.
const JAN = '2026-01-01T00:00:00.000Z';
const FEB = '2026-02-01T00:00:00.000Z';
const MAR = '2026-03-01T00:00:00.000Z';
const VERSIONS: Record<string, Array<[version: string, attested: boolean, publishedAt?: string]>> = {
  // 1.0.0 had provenance, the installed 1.1.0, published later, has none: the downgrade.
  'dg-lost': [['1.0.0', true, JAN], ['1.1.0', false, FEB]],
  // The hijacked-account pattern: 0.9.1 published on the older line after 1.0.0 adopted
  // provenance. Version order alone (0.9.1 < 1.0.0) let it pass.
  'dg-old-line': [['0.9.0', false, JAN], ['1.0.0', true, FEB], ['0.9.1', false, MAR]],
  // Controls: provenance kept; never had any; only a LATER version has it; provenance given to a
  // lower version only after the installed one was published (a backport: version order flagged it).
  'dg-kept': [['1.0.0', true], ['1.1.0', true]],
  'dg-never': [['1.0.0', false], ['1.1.0', false]],
  'dg-later': [['1.0.0', false], ['2.0.0', true]],
  'dg-backport': [['1.0.0', false, JAN], ['0.9.5', true, FEB]],
};
const INSTALLED = ['dg-lost@1.1.0', 'dg-old-line@0.9.1', 'dg-kept@1.1.0', 'dg-never@1.1.0', 'dg-later@1.0.0', 'dg-backport@1.0.0'];
const CONTROLS = ['dg-kept', 'dg-never', 'dg-later', 'dg-backport'];
const policy = (downgrade: string) => rulesPolicy([{ name: 'every package', match: { package: '*' } }], { downgrade });

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
      for (const [version, attested, publishedAt] of versions) {
        if (!attested) scenario = attestedBy(pki, scenario, name, null, version);
        if (publishedAt !== undefined) scenario = mutate.withPackage(scenario, name, version, { publishedAt: new Date(publishedAt) });
      }
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
    expect(r.pkg('dg-lost').findings[0]?.details).toEqual({ lost: 'provenance', order: 'publish-time', earlierVersion: '1.0.0', earlierPublishedAt: JAN, publishedAt: FEB, publishedAtSource: 'packument' });
    expect(r.report.verdict).toBe('fail');
    expect(r.code).toBe(1);
  });

  it('downgrade fail: a lower version published after a higher one adopted provenance is a TRUST_DOWNGRADE naming both versions and publish times', () => {
    const r = runs.fail as PolicyRun;
    expect(r.codes('dg-old-line')).toEqual(['TRUST_DOWNGRADE']);
    expect(r.enforcements('dg-old-line')).toEqual(['strict']);
    expect(r.pkg('dg-old-line').findings[0]?.details).toEqual({ lost: 'provenance', order: 'publish-time', earlierVersion: '1.0.0', earlierPublishedAt: FEB, publishedAt: MAR, publishedAtSource: 'packument' });
  });

  it('positive controls, in the same runs: provenance kept, never had, only in a later version, or given to a lower version later → no finding', () => {
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

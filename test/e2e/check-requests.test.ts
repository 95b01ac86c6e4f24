import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, startFixtureRegistry, syntheticScenario, type FixtureRegistry, type RegistryScenario } from '../support/index.js';
import { createWorkspace, pinned, PUBLISHED, type Workspace, writeTrustFiles } from '../support/attack-kit.js';
import { attestedBy, policyRun, rulesPolicy, type PolicyRun } from '../support/policy-kit.js';

// One registry round trip per package, plus one per attestations document, with the REAL CLI.
// Where the policy may read a package's earlier versions (the trust-downgrade rule, the release
// cooldown), the full packument replaces the version manifest: it carries the version's manifest,
// the registry's publish times and every version's publishing claims. Elsewhere the version
// manifest, a few KB, is all that is fetched.
const PACKAGES = ['rt-one@1.0.0', 'rt-two@2.1.0', 'rt-three@0.3.0', '@rt/four@4.0.0'];
const ATTESTED = new Set(['rt-one', '@rt/four']);
const every = [{ name: 'every package', match: { package: '*' } }];

describe('check: requests per package (the real CLI)', () => {
  const pki = createTestPki();
  let ws: Workspace;
  let registry: FixtureRegistry;
  let scenario: RegistryScenario;
  const runs: Record<string, { run: PolicyRun; paths: string[] }> = {};

  beforeAll(async () => {
    ws = await createWorkspace();
    const specs = PACKAGES.map((spec) => ({ name: spec.slice(0, spec.lastIndexOf('@')), version: spec.slice(spec.lastIndexOf('@') + 1) }));
    scenario = syntheticScenario(pki, specs, { provenanceShare: 1, attestation: { time: PUBLISHED } });
    for (const { name, version } of specs) if (!ATTESTED.has(name)) scenario = attestedBy(pki, scenario, name, null, version);
    registry = await startFixtureRegistry(scenario);
    const { trustedRoot, registryKeys } = await writeTrustFiles(ws, pki);
    const packages = pinned(scenario, PACKAGES);
    const policies: Record<string, object | undefined> = {
      // The built-in default policy: the trust-downgrade rule is on.
      default: undefined,
      'downgrade off': rulesPolicy(every, { downgrade: 'off' }),
      'downgrade off, cooldown on': rulesPolicy(every, { downgrade: 'off', minReleaseAgeDays: 1 }),
    };
    // One after the other: each run's request log is its own.
    for (const [label, policy] of Object.entries(policies)) {
      registry.resetLog();
      const run = await policyRun({ ws, label: label.replace(/\W+/g, '-'), registry, trustedRoot, registryKeys, packages, ...(policy === undefined ? {} : { policy }) });
      runs[label] = { run, paths: registry.requests.map((r) => r.path) };
    }
  });
  afterAll(async () => {
    await registry?.close();
    await ws?.cleanup();
  });

  const packumentPaths = PACKAGES.map((spec) => `/${spec.slice(0, spec.lastIndexOf('@'))}`);
  const manifestPaths = PACKAGES.map((spec) => `/${spec.replace(/@(?=[^@]*$)/, '/')}`);
  const attestationPaths = PACKAGES.filter((spec) => ATTESTED.has(spec.slice(0, spec.lastIndexOf('@')))).map((spec) => `/-/npm/v1/attestations/${spec}`);

  it('default policy: one packument per package and one attestations document per attested package, nothing else', () => {
    const { run, paths } = runs.default as { run: PolicyRun; paths: string[] };
    expect(run.report.counts.verifiedSignatures).toBe(PACKAGES.length);
    expect([...paths].sort()).toEqual([...packumentPaths, ...attestationPaths].sort());
  });

  it('no rule reads the history: one version manifest per package, and no packument', () => {
    const { run, paths } = runs['downgrade off'] as { run: PolicyRun; paths: string[] };
    expect(run.code).toBe(0);
    expect([...paths].sort()).toEqual([...manifestPaths, ...attestationPaths].sort());
  });

  it('the release cooldown alone also takes the packument in place of the version manifest (its times are there)', () => {
    const { run, paths } = runs['downgrade off, cooldown on'] as { run: PolicyRun; paths: string[] };
    expect(run.report.counts.verifiedSignatures).toBe(PACKAGES.length);
    expect([...paths].sort()).toEqual([...packumentPaths, ...attestationPaths].sort());
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, mutate, startFixtureRegistry, syntheticScenario, type FixtureRegistry, type RegistryScenario } from '../support/index.js';
import { createWorkspace, pinned, PUBLISHED, type Workspace, writeTrustFiles } from '../support/attack-kit.js';
import { rulesPolicy, policyRun, type PolicyRun } from '../support/policy-kit.js';

// How a version was published, end to end with the REAL CLI: the fixture registry's packument
// carries each version's `_npmUser` as npm writes it (`trustedPublisher` for trusted publishing
// over OIDC, `approver` for a staged publish a person approved). Every version here has verified
// provenance, so the provenance rule alone sees nothing: a version published with a token (from a
// stolen token, in a CI job that still signs provenance) after a trusted publisher's is caught only
// by pnpm's ranking. The claims are unsigned registry metadata, and the finding says so.
const JAN = '2026-01-01T00:00:00.000Z';
const FEB = '2026-02-01T00:00:00.000Z';
const TRUSTED = { name: 'GitHub Actions', email: 'npm-oidc-no-reply@github.com', trustedPublisher: { id: 'github', oidcConfigId: 'oidc:a1b2' } };
const TOKEN = { name: 'mallory', email: 'mallory@example.com' };
const STAGED = { name: 'ci-bot', email: 'ci@example.com', approver: 'alice' };
const VERSIONS: Record<string, Array<[version: string, npmUser: Record<string, unknown>, publishedAt: string]>> = {
  // The attack: 1.0.0 by a trusted publisher, the installed 1.1.0, published later, by a token.
  'tp-lost': [['1.0.0', TRUSTED, JAN], ['1.1.0', TOKEN, FEB]],
  // A staged publish a person approved, then a trusted publisher's without approval.
  'staged-lost': [['1.0.0', STAGED, JAN], ['1.1.0', TRUSTED, FEB]],
  // Controls: trusted publishing kept; a token throughout; trusted publishing adopted later.
  'tp-kept': [['1.0.0', TRUSTED, JAN], ['1.1.0', TRUSTED, FEB]],
  'tp-never': [['1.0.0', TOKEN, JAN], ['1.1.0', TOKEN, FEB]],
  'tp-adopted': [['1.0.0', TOKEN, JAN], ['1.1.0', TRUSTED, FEB]],
};
const INSTALLED = Object.keys(VERSIONS).map((name) => `${name}@1.1.0`);
const CONTROLS = ['tp-kept', 'tp-never', 'tp-adopted'];
const policy = (extra: Record<string, unknown>) => rulesPolicy([{ name: 'every package', match: { package: '*' } }], { downgrade: 'fail', ...extra });

describe('policy: publishing downgrade, trusted and staged publishing (the real CLI)', () => {
  const pki = createTestPki();
  let ws: Workspace;
  let registry: FixtureRegistry;
  const runs: Record<string, PolicyRun> = {};

  beforeAll(async () => {
    ws = await createWorkspace();
    const specs = Object.entries(VERSIONS).flatMap(([name, versions]) => versions.map(([version]) => ({ name, version })));
    let scenario: RegistryScenario = syntheticScenario(pki, specs, { provenanceShare: 1, attestation: { time: PUBLISHED } });
    for (const [name, versions] of Object.entries(VERSIONS)) {
      for (const [version, npmUser, publishedAt] of versions) {
        const manifest = scenario.packages.find((p) => p.name === name && p.version === version)?.manifest;
        scenario = mutate.withPackage(scenario, name, version, { publishedAt: new Date(publishedAt), manifest: { ...manifest, _npmUser: npmUser } });
      }
    }
    registry = await startFixtureRegistry(scenario);
    const { trustedRoot, registryKeys } = await writeTrustFiles(ws, pki);
    const packages = pinned(scenario, INSTALLED);
    const run = (label: string, extra: Record<string, unknown>) =>
      policyRun({ ws, label, registry, trustedRoot, registryKeys, packages, policy: policy(extra) }).then((result) => (runs[label] = result));
    // The ignore window: every version here was published months before the run.
    await Promise.all([run('fail', {}), run('window', { downgradeIgnoreAfterMinutes: 60 })]);
  });
  afterAll(async () => {
    await registry?.close();
    await ws?.cleanup();
  });

  it('a token publish after a trusted publisher: TRUST_DOWNGRADE (strict), naming both versions and their evidence, marked unsigned; exit 1', () => {
    const r = runs.fail as PolicyRun;
    expect(r.codes('tp-lost')).toEqual(['TRUST_DOWNGRADE']);
    expect(r.enforcements('tp-lost')).toEqual(['strict']);
    expect(r.pkg('tp-lost').findings[0]?.details).toMatchObject({
      lost: 'trustedPublisher',
      order: 'publish-time',
      earlierVersion: '1.0.0',
      earlierEvidence: 'trusted-publisher',
      earlierPublishedAt: JAN,
      evidence: 'provenance',
      publishedBy: 'token',
      publishingSource: 'packument',
      publishingSigned: false,
    });
    expect(r.report.verdict).toBe('fail');
    expect(r.code).toBe(1);
  });

  it('a trusted publisher after a staged publish approved by a person: TRUST_DOWNGRADE, lost stagedPublish', () => {
    const r = runs.fail as PolicyRun;
    expect(r.codes('staged-lost')).toEqual(['TRUST_DOWNGRADE']);
    expect(r.pkg('staged-lost').findings[0]?.details).toMatchObject({ lost: 'stagedPublish', earlierVersion: '1.0.0', earlierEvidence: 'staged-publish', evidence: 'trusted-publisher', publishedBy: 'trusted-publisher' });
  });

  it("the report records each version's publishing evidence: provenance verified, the publisher per the packument (unsigned)", () => {
    const r = runs.fail as PolicyRun;
    expect(r.pkg('tp-kept').publishing).toEqual({ level: 'trusted-publisher', provenance: 'verified', publishedBy: 'trusted-publisher', trustedPublisher: TRUSTED.trustedPublisher, source: 'packument', signed: false });
    expect(r.pkg('tp-lost').publishing).toEqual({ level: 'provenance', provenance: 'verified', publishedBy: 'token', source: 'packument', signed: false });
    expect(r.pkg('staged-lost').publishing).toMatchObject({ level: 'trusted-publisher', publishedBy: 'trusted-publisher' });
  });

  it('positive controls, in the same runs: trusted publishing kept, never used, or adopted later → no finding', () => {
    for (const name of CONTROLS) expect((runs.fail as PolicyRun).codes(name), name).toEqual([]);
  });

  it('downgradeIgnoreAfterMinutes: versions published longer ago than the window are not judged; exit 0', () => {
    const r = runs.window as PolicyRun;
    for (const name of Object.keys(VERSIONS)) expect(r.codes(name), name).toEqual([]);
    expect(r.code).toBe(0);
  });
});

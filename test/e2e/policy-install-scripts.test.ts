import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, githubActionsIdentity, startFixtureRegistry, syntheticScenario, type FixtureRegistry, type RegistryScenario } from '../support/index.js';
import { createWorkspace, pinned, type Workspace, writeTrustFiles } from '../support/attack-kit.js';
import { attestedBy, rulesPolicy, policyRun, type PolicyRun } from '../support/policy-kit.js';

// Install scripts, end to end with the REAL CLI: the lockfile marks packages `hasInstallScript`,
// the project's package.json `allowScripts` approves, denies or omits them. A package whose scripts
// npm may run needs a verified provenance (and, where the rule pins one, its signer):
// `installScripts: "fail"` fails without it, `"warn"` reports it, `"off"` says nothing.
const RIGHT = githubActionsIdentity({ repository: 'org/scripts', ref: 'refs/heads/main' });
const OTHER = githubActionsIdentity({ repository: 'evil/fork', ref: 'refs/heads/main' });
// name → [has install scripts, provenance signer (null: none)]
const PACKAGES: Record<string, [boolean, typeof RIGHT | null]> = {
  // The attack: approved scripts, no provenance (a hijacked account publishing from a laptop).
  'scr-approved': [true, null],
  // Scripts nobody reviewed: npm 11 runs them with a warning, npm 12 skips them.
  'scr-unreviewed': [true, RIGHT],
  // Controls: denied scripts never run; approved with provenance; no scripts at all.
  'scr-denied': [true, null],
  'scr-good': [true, RIGHT],
  'scr-other-signer': [true, OTHER],
  plain: [false, null],
};
const ALLOW_SCRIPTS = {
  'scr-approved@1.0.0': true,
  'scr-denied': false,
  'scr-good': true,
  'scr-other-signer@1.0.0': true,
  // Stale: a name the lockfile does not hold, a version it does not hold.
  'gone-pkg': true,
  'plain@0.9.0': true,
  // A denial of an absent package is a safe default, not stale.
  'never-here': false,
};
const policy = (installScripts: string, rule: object = {}) => rulesPolicy([{ name: 'every package', match: { package: '*' }, ...rule }], { installScripts, downgrade: 'off' });
const PINNED = { installScripts: { signer: [{ github: { repo: 'org/scripts', workflow: '.github/workflows/release.yml', ref: 'refs/heads/*' } }] } };

describe('policy: install scripts need verified provenance (the real CLI)', () => {
  const pki = createTestPki();
  let ws: Workspace;
  let registry: FixtureRegistry;
  const runs: Record<string, PolicyRun> = {};

  beforeAll(async () => {
    ws = await createWorkspace();
    let scenario: RegistryScenario = syntheticScenario(pki, Object.keys(PACKAGES).map((name) => ({ name, version: '1.0.0' })), { provenanceShare: 0 });
    for (const [name, [, signer]] of Object.entries(PACKAGES)) scenario = attestedBy(pki, scenario, name, signer);
    registry = await startFixtureRegistry(scenario);
    const { trustedRoot, registryKeys } = await writeTrustFiles(ws, pki);
    const packages = pinned(scenario, Object.keys(PACKAGES).map((n) => `${n}@1.0.0`)).map((p) => ({ ...p, hasInstallScript: PACKAGES[p.name]?.[0] ?? false }));
    const run = (label: string, doc: object | undefined, packageJson: Record<string, unknown> = { allowScripts: ALLOW_SCRIPTS }) =>
      policyRun({ ws, label, registry, trustedRoot, registryKeys, packages, packageJson, ...(doc === undefined ? {} : { policy: doc }) }).then((r) => (runs[label] = r));
    await Promise.all([
      run('fail', policy('fail')),
      run('warn', policy('warn')),
      run('off', policy('off')),
      run('pinned', policy('fail', PINNED)),
      run('builtin', undefined),
      run('no-field', policy('fail'), {}),
    ]);
  });
  afterAll(async () => {
    await registry?.close();
    await ws?.cleanup();
  });

  it('approved install scripts without provenance: SCRIPT_APPROVAL_UNVERIFIED, strict under installScripts "fail", exit 1', () => {
    const r = runs.fail as PolicyRun;
    expect(r.codes('scr-approved')).toEqual(['SCRIPT_APPROVAL_UNVERIFIED']);
    expect(r.enforcements('scr-approved')).toEqual(['strict']);
    expect(r.pkg('scr-approved').findings[0]?.details).toMatchObject({ approvedBy: ['scr-approved@1.0.0'] });
    expect(r.report.verdict).toBe('fail');
    expect(r.code).toBe(1);
  });

  it('unreviewed install scripts: SCRIPT_NOT_APPROVED, a warning whatever installScripts says', () => {
    expect((runs.fail as PolicyRun).codes('scr-unreviewed')).toEqual(['SCRIPT_NOT_APPROVED']);
    expect((runs.fail as PolicyRun).enforcements('scr-unreviewed')).toEqual(['audit']);
  });

  it('stale approvals: SCRIPT_APPROVAL_STALE for a name and for a version the lockfile does not hold; a denial is never stale', () => {
    const findings = (runs.fail as PolicyRun).report.installScripts?.findings ?? [];
    expect(findings.map((f) => [f.code, (f.details as { approval?: string } | undefined)?.approval, f.enforcement])).toEqual([
      ['SCRIPT_APPROVAL_STALE', 'gone-pkg', 'strict'],
      ['SCRIPT_APPROVAL_STALE', 'plain@0.9.0', 'strict'],
    ]);
    expect((findings[1]?.details as { found?: string[] } | undefined)?.found).toEqual(['1.0.0']);
  });

  it('controls: denied scripts, approved scripts with provenance and a package without scripts → no finding', () => {
    for (const name of ['scr-denied', 'scr-good', 'scr-other-signer', 'plain']) expect((runs.fail as PolicyRun).codes(name), name).toEqual([]);
  });

  it('the report lists every package whose scripts may run, with its approval and evidence', () => {
    expect((runs.fail as PolicyRun).report.installScripts).toMatchObject({
      allowScripts: true,
      mayRun: [
        { name: 'scr-approved', approvedBy: ['scr-approved@1.0.0'], verified: false },
        { name: 'scr-good', approvedBy: ['scr-good'], verified: true },
        { name: 'scr-other-signer', approvedBy: ['scr-other-signer@1.0.0'], verified: true },
        { name: 'scr-unreviewed', approvedBy: [], verified: true },
      ],
    });
    expect((runs.fail as PolicyRun).stderr).toMatch(/install scripts: 4 packages may run them \(3 approved in allowScripts, 1 not reviewed/);
  });

  it('a rule pinning installScripts.signer: provenance by another signer is SCRIPT_APPROVAL_UNVERIFIED; the pinned signer passes', () => {
    const r = runs.pinned as PolicyRun;
    expect(r.codes('scr-other-signer')).toEqual(['SCRIPT_APPROVAL_UNVERIFIED']);
    expect(r.codes('scr-good')).toEqual([]);
    expect(r.report.installScripts?.mayRun.find((m) => m.name === 'scr-other-signer')?.verified).toBe(false);
  });

  it('installScripts "warn" (and the built-in default policy): the same findings, reported, nothing blocks on them', () => {
    for (const label of ['warn', 'builtin']) {
      const r = runs[label] as PolicyRun;
      expect(r.codes('scr-approved'), label).toEqual(['SCRIPT_APPROVAL_UNVERIFIED']);
      expect(r.enforcements('scr-approved'), label).toEqual(['audit']);
      expect(r.report.installScripts?.findings.map((f) => f.enforcement), label).toEqual(['audit', 'audit']);
      expect(r.report.verdict, label).toBe('pass');
    }
  });

  it('installScripts "off": no finding about scripts, the packages still listed', () => {
    const r = runs.off as PolicyRun;
    for (const name of Object.keys(PACKAGES)) expect(r.codes(name), name).toEqual([]);
    expect(r.report.installScripts?.findings).toEqual([]);
    expect(r.report.installScripts?.mayRun).toHaveLength(4);
  });

  it('no allowScripts field: every package with scripts is unreviewed (denied ones included), nothing is stale', () => {
    const r = runs['no-field'] as PolicyRun;
    expect(r.codes('scr-denied')).toEqual(['SCRIPT_NOT_APPROVED', 'INSTALL_SCRIPT_UNVERIFIED']);
    expect(r.report.installScripts).toMatchObject({ allowScripts: false, findings: [] });
  });
});

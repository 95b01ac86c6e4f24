import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, githubActionsIdentity, mutate, startFixtureRegistry, syntheticScenario, type FixtureRegistry, type RegistryScenario } from '../support/index.js';
import { createWorkspace, NOW, pinned, PUBLISHED, type Workspace, writeTrustFiles } from '../support/attack-kit.js';
import { attestedBy, rulesPolicy, policyRun, type PolicyRun } from '../support/policy-kit.js';

// The release cooldown, end to end with the REAL CLI (clock --now 2026-06-01): a release published
// hours before the run is the window in which a hijacked account's malicious version is live and
// not yet caught. The lockfile as committed pins it; the gate must not let it through.
// - fresh-unsigned@1.0.1: no attestations; the registry's `time` (unsigned) says 12 hours old.
// - fresh-signed@1.0.0: its publish attestation's signed log time says 12 hours old, while the
//   registry's `time` claims 2024: the signed time wins, a registry cannot age a release.
// - @corp/fresh@1.0.0: as fresh, exempt by glob (policy minReleaseAgeExclude, or npm's
//   min-release-age-exclude).
// - settled@1.0.0: attested a month before the run (control: judged by its signed time).
const HALF_DAY_AGO = new Date(Date.parse(NOW) - 12 * 3_600_000);
const TWO_DAYS_LATER = '2026-06-03T00:00:00Z';
const INSTALLED = ['fresh-unsigned@1.0.1', 'fresh-signed@1.0.0', '@corp/fresh@1.0.0', 'settled@1.0.0'];
const RULES = [{ name: 'every package', match: { package: '*' } }];
const cooldown = rulesPolicy(RULES, { downgrade: 'off', minReleaseAgeDays: 2, minReleaseAgeExclude: ['@corp/*'] });
const noCooldown = rulesPolicy(RULES, { downgrade: 'off' });

describe('policy: release cooldown (the real CLI)', () => {
  const pki = createTestPki();
  let ws: Workspace;
  let registry: FixtureRegistry;
  let npmrcRegistry: FixtureRegistry;
  const runs: Record<string, PolicyRun> = {};

  beforeAll(async () => {
    ws = await createWorkspace();
    const specs = INSTALLED.map((spec) => ({ name: spec.slice(0, spec.lastIndexOf('@')), version: spec.slice(spec.lastIndexOf('@') + 1) }));
    let scenario: RegistryScenario = syntheticScenario(pki, specs, { provenanceShare: 1, attestation: { time: PUBLISHED } });
    scenario = attestedBy(pki, scenario, 'fresh-unsigned', null, '1.0.1');
    scenario = mutate.withPackage(scenario, 'fresh-unsigned', '1.0.1', { publishedAt: HALF_DAY_AGO });
    scenario = attestedBy(pki, scenario, 'fresh-signed', githubActionsIdentity(), '1.0.0', HALF_DAY_AGO);
    scenario = attestedBy(pki, scenario, '@corp/fresh', null, '1.0.0');
    scenario = mutate.withPackage(scenario, '@corp/fresh', '1.0.0', { publishedAt: HALF_DAY_AGO });
    // The .npmrc runs get a registry of their own, so the request logs say what each fetched.
    [registry, npmrcRegistry] = await Promise.all([startFixtureRegistry(scenario), startFixtureRegistry(scenario)]);
    const { trustedRoot, registryKeys } = await writeTrustFiles(ws, pki);
    const packages = pinned(scenario, INSTALLED);
    const run = async (label: string, policy: object, o: { args?: string[]; npmrc?: string; r?: FixtureRegistry } = {}) => {
      if (o.npmrc !== undefined) {
        await mkdir(join(ws.dir, label, 'project'), { recursive: true });
        await writeFile(join(ws.dir, label, 'project', '.npmrc'), o.npmrc);
      }
      runs[label] = await policyRun({ ws, label, registry: o.r ?? registry, trustedRoot, registryKeys, packages, policy, ...(o.args === undefined ? {} : { args: o.args }) });
    };
    await Promise.all([
      run('cooldown', cooldown),
      run('later', cooldown, { args: ['--now', TWO_DAYS_LATER] }),
      run('none', noCooldown),
    ]);
    await Promise.all([
      run('npmrc', noCooldown, { npmrc: 'min-release-age=2\nmin-release-age-exclude[]=@corp/*\n', r: npmrcRegistry }),
      run('npmrc-overridden', rulesPolicy(RULES, { downgrade: 'off', minReleaseAgeDays: 0 }), { npmrc: 'min-release-age=2\n', r: npmrcRegistry }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([registry?.close(), npmrcRegistry?.close()]);
    await ws?.cleanup();
  });

  it('a release 12 hours old under a 2-day cooldown: RELEASE_TOO_NEW (strict), its registry time named unsigned, exit 1', () => {
    const r = runs.cooldown as PolicyRun;
    expect(r.codes('fresh-unsigned')).toEqual(['RELEASE_TOO_NEW']);
    expect(r.enforcements('fresh-unsigned')).toEqual(['strict']);
    expect(r.pkg('fresh-unsigned').findings[0]?.details).toEqual({
      minReleaseAgeDays: 2,
      setBy: 'policy',
      publishedAt: HALF_DAY_AGO.toISOString(),
      publishedAtSource: 'packument',
      ageDays: 0.5,
      releasableAt: new Date(HALF_DAY_AGO.getTime() + 2 * 86_400_000).toISOString(),
    });
    expect(r.report.verdict).toBe('fail');
    expect(r.code).toBe(1);
  });

  it("the signed log time of the publish attestation is judged, not the registry's older claim", () => {
    const r = runs.cooldown as PolicyRun;
    expect(r.codes('fresh-signed')).toEqual(['RELEASE_TOO_NEW']);
    // The fixture logs the publish attestation a few seconds after the provenance's time.
    expect(r.pkg('fresh-signed').findings[0]?.details).toMatchObject({ publishedAt: expect.stringMatching(/^2026-05-31T12:00:/), publishedAtSource: 'publish-attestation' });
  });

  it('a package exempt by glob passes; a settled release passes, judged by its signed publish time', () => {
    const r = runs.cooldown as PolicyRun;
    expect(r.codes('@corp/fresh')).toEqual([]);
    expect(r.codes('settled')).toEqual([]);
    expect(r.pkg('settled').evidence?.publishTime).toMatchObject({ signed: true, source: 'publish-attestation' });
  });

  it('the same lockfile passes once the cooldown is over (--now two days later), exit 0', () => {
    const r = runs.later as PolicyRun;
    for (const name of ['fresh-unsigned', 'fresh-signed', '@corp/fresh', 'settled']) expect(r.codes(name), name).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('no cooldown set, by the policy or npm: nothing judged, exit 0', () => {
    const r = runs.none as PolicyRun;
    expect(r.codes('fresh-unsigned')).toEqual([]);
    expect(r.code).toBe(0);
  });

  it(".npmrc min-release-age is honoured when the policy sets none, with its min-release-age-exclude globs", () => {
    const r = runs.npmrc as PolicyRun;
    expect(r.codes('fresh-unsigned')).toEqual(['RELEASE_TOO_NEW']);
    expect(r.pkg('fresh-unsigned').findings[0]?.details).toMatchObject({ minReleaseAgeDays: 2, setBy: 'npm-config' });
    expect(r.codes('fresh-signed')).toEqual(['RELEASE_TOO_NEW']);
    expect(r.codes('@corp/fresh')).toEqual([]);
    expect(r.code).toBe(1);
  });

  it("the policy's minReleaseAgeDays 0 overrides .npmrc's min-release-age", () => {
    const r = runs['npmrc-overridden'] as PolicyRun;
    expect(r.codes('fresh-unsigned')).toEqual([]);
    expect(r.code).toBe(0);
  });
});

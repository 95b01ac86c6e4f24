import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, mutate, startFixtureRegistry, syntheticScenario, type FixtureRegistry, type RegistryScenario } from '../support/index.js';
import { createWorkspace, NOW, pinned, PUBLISHED, type Workspace, writeTrustFiles } from '../support/attack-kit.js';
import { writeLockfileProject } from '../support/lockfile-project.js';
import { attestedBy, rulesPolicy } from '../support/policy-kit.js';
import { runCli } from '../support/run-cli.js';

// What is fetched per package when the packument is huge, with the REAL CLI. Where the history
// will surely be read (the trust-downgrade rule, on by default), the packument is fetched however
// big. Where the verified facts decide (a release cooldown alone: a signed publish time makes the
// registry's unneeded), a packument the cache has seen to be huge (4 MiB or more) is not fetched
// up front: the version manifest comes first, and the packument only when the facts need it.
// `huge` has an old version whose readme makes its packument 5 MiB; its other versions are small.
const MIB = 1024 * 1024;
const every = [{ name: 'every package', match: { package: '*' } }];
const cooldownOnly = rulesPolicy(every, { downgrade: 'off', minReleaseAgeDays: 1 });

describe('check: the packument when it is huge (the real CLI)', () => {
  const pki = createTestPki();
  let ws: Workspace;
  let registry: FixtureRegistry;
  let scenario: RegistryScenario;
  let trust: { trustedRoot: string; registryKeys: string };
  const cache = () => join(ws.dir, 'shared-cache');

  // One run on a project pinning `spec`, with the cache every run of this file shares.
  const run = async (label: string, spec: string, policy: object | undefined) => {
    const project = join(ws.dir, label);
    await mkdir(project, { recursive: true });
    await writeLockfileProject(project, pinned(scenario, [spec]));
    const policyArgs = policy === undefined ? [] : ['--policy', await ws.writeJson(`${label}.policy.json`, policy)];
    registry.resetLog();
    const result = await runCli(['check', project, '--registry', registry.url, '--registry-keys', trust.registryKeys, '--trusted-root', trust.trustedRoot, '--cache', cache(), '--now', NOW, '--json', ...policyArgs]);
    return { code: result.code, report: JSON.parse(result.stdout) as { verdict: string; counts: Record<string, number> }, paths: registry.requests.map((r) => r.path) };
  };

  beforeAll(async () => {
    ws = await createWorkspace();
    const versions = ['0.9.0', '1.0.0', '1.0.1', '1.0.2', '1.0.3'].map((version) => ({ name: 'huge', version, ...(version === '0.9.0' ? { manifest: { readme: 'x'.repeat(5 * MIB) } } : {}) }));
    scenario = syntheticScenario(pki, versions, { provenanceShare: 1, attestation: { time: PUBLISHED } });
    // 1.0.1 and 1.0.3 keep their attestations (a signed publish time); the others have none.
    for (const version of ['0.9.0', '1.0.0', '1.0.2']) scenario = attestedBy(pki, scenario, 'huge', null, version);
    for (const version of ['0.9.0', '1.0.0', '1.0.1', '1.0.2', '1.0.3']) scenario = mutate.withPackage(scenario, 'huge', version, { publishedAt: PUBLISHED });
    registry = await startFixtureRegistry(scenario);
    trust = await writeTrustFiles(ws, pki);
  });
  afterAll(async () => {
    await registry?.close();
    await ws?.cleanup();
  });

  it('first sight: the packument in place of the version manifest; its size is remembered; a version with a signed time then costs its manifest and attestations only', async () => {
    const first = await run('first', 'huge@1.0.0', cooldownOnly);
    expect(first.code).toBe(0);
    expect(first.paths).toEqual(['/huge']);

    const signed = await run('signed', 'huge@1.0.1', cooldownOnly);
    expect(signed.code).toBe(0);
    expect(signed.report.counts.verifiedPublishAttestations).toBe(1);
    expect([...signed.paths].sort()).toEqual(['/-/npm/v1/attestations/huge@1.0.1', '/huge/1.0.1']);
  });

  it('a version without a signed time: its manifest, then the packument for the registry time the cooldown needs', async () => {
    const unsigned = await run('unsigned', 'huge@1.0.2', cooldownOnly);
    expect(unsigned.code).toBe(0);
    expect(unsigned.paths).toEqual(['/huge/1.0.2', '/huge']);
  });

  it('where the history will surely be read (the default policy), the huge packument is fetched up front, alone', async () => {
    const always = await run('always', 'huge@1.0.3', undefined);
    expect(always.report.counts.verifiedPublishAttestations).toBe(1);
    expect([...always.paths].sort()).toEqual(['/-/npm/v1/attestations/huge@1.0.3', '/huge']);
  });
});

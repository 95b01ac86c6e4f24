import { access, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, startFixtureRegistry, syntheticScenario, type FixtureRegistry } from '../support/index.js';
import { makeTempDir } from '../support/fixture-project.js';
import { writeLockfileProject } from '../support/lockfile-project.js';
import type { PolicyReportJson } from '../support/policy-kit.js';
import { runCli } from '../support/run-cli.js';

const NOW = '2026-11-23T00:00:00Z';

// A private registry or proxy that publishes no signing keys (/-/npm/v1/keys 404s) and serves no
// signature or attestation: nothing about its packages can be verified. The default policy fails
// them (NO_EVIDENCE) instead of passing them silently, and says why once; a policy that accepts
// the registry unsigned passes them, recorded as unverified; `policy learn` learns nothing and
// writes nothing.
describe('a registry that publishes no keys and serves no evidence', () => {
  const pki = createTestPki();
  const names = ['ka', 'kb', 'kc'];
  const scenario = syntheticScenario(pki, names.map((name) => ({ name, version: '1.0.0' })), { provenanceShare: 0, sign: false });
  let registry: FixtureRegistry;
  let host: string;
  let dir: string;
  let trustedRoot: string;
  let cleanup: () => Promise<void>;

  const project = async (label: string, packages = scenario.packages): Promise<string> => {
    const path = join(dir, label);
    await mkdir(path);
    await writeLockfileProject(path, packages);
    return path;
  };
  const run = (command: string[], path: string, extra: string[] = []) =>
    runCli([...command, path, '--registry', registry.url, '--trusted-root', trustedRoot, '--cache', join(path, 'cache'), '--now', NOW, ...extra], { env: { CI: 'true' } });
  const check = async (label: string, policy?: object) => {
    const path = await project(label);
    const extra: string[] = ['--json'];
    if (policy !== undefined) {
      await writeFile(join(path, 'policy.json'), JSON.stringify(policy));
      extra.push('--policy', join(path, 'policy.json'));
    }
    const result = await run(['check'], path, extra);
    return { result, report: JSON.parse(result.stdout) as PolicyReportJson };
  };
  const rulesFormat = (registries: object) => ({ version: 1, enforcement: 'strict', registries, rules: [{ name: 'every package', match: { package: '*' } }] });
  const findingsOf = (report: PolicyReportJson) => report.packages.map((p) => p.findings.map((f) => [f.code, f.enforcement]));

  beforeAll(async () => {
    ({ dir, cleanup } = await makeTempDir());
    registry = await startFixtureRegistry({ ...scenario, keys: null });
    host = new URL(registry.url).host;
    trustedRoot = join(dir, 'trusted_root.json');
    pki.writeTrustedRoot(trustedRoot);
  });
  afterAll(async () => {
    await registry.close();
    await cleanup();
  });

  it('the default policy fails every package with NO_EVIDENCE alone, and says why once with the opt-in', async () => {
    const { result, report } = await check('default');
    expect(report.policy.origin).toBe('builtin');
    expect(findingsOf(report)).toEqual(names.map(() => [['NO_EVIDENCE', 'strict']]));
    expect(report.packages[0]?.findings[0]?.details).toMatchObject({ registry: host, acceptedUnsigned: false });
    expect(result.code).toBe(1);
    expect(result.stderr.match(/publishes no signing keys, and served 3 of these 3 packages/g)).toHaveLength(1);
    expect(result.stderr).toContain(`  "registries": { "unsigned": ["${host}"] }\n`);
    for (const name of names) expect(result.stderr).not.toContain(`${name}@1.0.0 rejected`);
  });

  it('a policy that names the registry (host:port, as registries.allowed) in registries.unsigned passes, recorded as unverified', async () => {
    const { result, report } = await check('accepted', rulesFormat({ unsigned: [host] }));
    expect(findingsOf(report)).toEqual(names.map(() => [['NO_EVIDENCE', 'audit']]));
    expect(report.packages[0]?.findings[0]?.details).toMatchObject({ registry: host, acceptedUnsigned: true });
    expect(result.code).toBe(0);
    expect(result.stderr.match(/the policy accepts it unsigned/g)).toHaveLength(1);
  });

  it('the host without its port names another registry, as in registries.allowed: still NO_EVIDENCE', async () => {
    const { result, report } = await check('portless', rulesFormat({ unsigned: ['127.0.0.1'] }));
    expect(findingsOf(report)).toEqual(names.map(() => [['NO_EVIDENCE', 'strict']]));
    expect(result.code).toBe(1);
  });

  it('the identities format opts in the same way, inside "policy"', async () => {
    // The subject names the registry's host (a host no subject names is refused) but none of its
    // packages, so no rule requires provenance of them.
    const compact = { policy: { identities: [{ subject: `npm:${host}/@other/*`, issuer: 'https://token.actions.githubusercontent.com' }], enforcement: 'strict', registries: { unsigned: [host] } } };
    const { result, report } = await check('identities', compact);
    expect(findingsOf(report)).toEqual(names.map(() => [['NO_EVIDENCE', 'audit']]));
    expect(result.code).toBe(0);
  });

  it('policy learn says it learned nothing, exits 1 and writes neither the lock nor a policy', async () => {
    const path = await project('learn');
    const result = await run(['policy', 'learn'], path);
    expect(result.stderr).toContain('learned nothing');
    expect(result.code).toBe(1);
    await expect(access(join(path, 'verify-deps.identities.json'))).rejects.toThrow();
    await expect(access(join(path, 'verify-deps.policy.json'))).rejects.toThrow();
  });

  it('policy learn that learned nothing because a package could not be checked exits 3 (a rerun may learn something)', async () => {
    const [first] = scenario.packages;
    if (!first) throw new Error('no package');
    const path = await project('learn-unfetched', [...scenario.packages, { ...first, name: 'not-served' }]);
    const result = await run(['policy', 'learn'], path);
    expect(result.stderr).toContain('learned nothing');
    expect(result.code).toBe(3);
    await expect(access(join(path, 'verify-deps.identities.json'))).rejects.toThrow();
  });
});

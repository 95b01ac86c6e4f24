import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, startFixtureRegistry, syntheticScenario, type FixtureRegistry } from '../support/index.js';
import { makeTempDir } from '../support/fixture-project.js';
import { writeLockfileProject } from '../support/lockfile-project.js';
import { runCli } from '../support/run-cli.js';

const NOW = '2026-11-23T00:00:00Z';
const CORP = 'npm.corp.example';

// Where a package comes from: a lockfile `resolved` URL on a host the policy does not allow
// (including the dependency-confusion shape: a private scoped name resolved from the public
// registry), and a lockfile that is a symlink out of the project.
describe('registries and the lockfile itself', () => {
  const pki = createTestPki({ registryKeyValidFrom: new Date('2020-01-01T00:00:00Z') });
  const scenario = syntheticScenario(pki, [{ name: '@corp/secret', version: '1.0.0' }], { provenanceShare: 0, attestation: { time: new Date('2026-11-01T12:00:00Z') } });
  const [pkg] = scenario.packages;
  let registry: FixtureRegistry;
  let dir: string;
  let trustedRoot: string;
  let policy: string;
  let cleanup: () => Promise<void>;

  const check = (project: string, ...extra: string[]) =>
    runCli(['check', project, '--registry', registry.url, '--trusted-root', trustedRoot, '--cache', join(project, 'cache'), '--now', NOW, '--policy', policy, '--json', ...extra]);
  const projectResolvedFrom = async (name: string, host: string): Promise<string> => {
    const project = join(dir, name);
    await mkdir(project);
    if (!pkg) throw new Error('no package');
    await writeLockfileProject(project, [{ ...pkg, resolved: `https://${host}/@corp/secret/-/secret-1.0.0.tgz` }]);
    return project;
  };

  beforeAll(async () => {
    ({ dir, cleanup } = await makeTempDir());
    trustedRoot = join(dir, 'trusted_root.json');
    pki.writeTrustedRoot(trustedRoot);
    registry = await startFixtureRegistry({ ...scenario, keys: pki.npmKeys() });
    policy = join(dir, 'policy.json');
    await writeFile(policy, JSON.stringify({ version: 1, enforcement: 'strict', registries: { allowed: [CORP] }, rules: [{ name: 'all', match: { package: '*' } }] }));
  });
  afterAll(async () => {
    await registry.close();
    await cleanup();
  });

  it('a private scoped package resolved from the public registry (dependency confusion) → REGISTRY_NOT_ALLOWED', async () => {
    const result = await check(await projectResolvedFrom('confused', 'registry.npmjs.org'));
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).packages[0].findings.map((f: { code: string }) => f.code)).toEqual(['REGISTRY_NOT_ALLOWED']);
  });

  it('control: the same package resolved from the allowed registry passes', async () => {
    const result = await check(await projectResolvedFrom('allowed', CORP));
    expect(JSON.parse(result.stdout).packages[0].findings).toEqual([]);
    expect(result.code).toBe(0);
  });

  it('a lockfile that is a symlink to a file outside the project is refused (exit 2)', async () => {
    const outside = await projectResolvedFrom('outside', CORP);
    const project = join(dir, 'linked');
    await mkdir(project);
    await writeFile(join(project, 'package.json'), '{"name":"linked","version":"1.0.0"}');
    await symlink(join(outside, 'package-lock.json'), join(project, 'package-lock.json'));
    const result = await check(project);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error LOCKFILE_OUTSIDE_PROJECT');
  });
});

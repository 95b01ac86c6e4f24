import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, startFixtureRegistry, syntheticScenario, type FixtureRegistry } from '../support/index.js';
import { makeTempDir } from '../support/fixture-project.js';
import { writeLockfileProject } from '../support/lockfile-project.js';
import { runCli } from '../support/run-cli.js';

const NOW = '2026-11-23T00:00:00Z';
// Only the project's .npmrc speaks: no user or global config, and no npm_config_registry from the
// environment (which npm ranks above the project's .npmrc).
const ISOLATED = (dir: string): NodeJS.ProcessEnv => ({
  npm_config_userconfig: join(dir, 'no-user-npmrc'),
  npm_config_globalconfig: join(dir, 'no-global-npmrc'),
  npm_config_registry: undefined,
  NPM_CONFIG_REGISTRY: undefined,
});

const SECRET = 'npm_s3cr3t-token-that-must-never-be-printed';

// The project's .npmrc is read the way npm reads it: the default registry, a scoped registry, and
// a token for the scoped registry's host, sent only there and never printed.
describe('npm configuration', () => {
  const pki = createTestPki({ registryKeyValidFrom: new Date('2020-01-01T00:00:00Z') });
  const time = { attestation: { time: new Date('2026-11-01T12:00:00Z') } };
  const publicScenario = syntheticScenario(pki, [{ name: 'left', version: '1.0.0' }], { provenanceShare: 0, ...time });
  const privateScenario = syntheticScenario(pki, [{ name: '@acme/right', version: '2.0.0' }], { provenanceShare: 1, ...time });
  let publicRegistry: FixtureRegistry;
  let privateRegistry: FixtureRegistry;
  let dir: string;
  let trustedRoot: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ dir, cleanup } = await makeTempDir());
    trustedRoot = join(dir, 'trusted_root.json');
    pki.writeTrustedRoot(trustedRoot);
    publicRegistry = await startFixtureRegistry({ ...publicScenario, keys: pki.npmKeys() });
    privateRegistry = await startFixtureRegistry({ ...privateScenario, keys: pki.npmKeys() });
  });
  afterAll(async () => {
    await Promise.all([publicRegistry.close(), privateRegistry.close()]);
    await cleanup();
  });

  it('honours registry, @scope:registry and //host/:_authToken from the project .npmrc', async () => {
    const project = join(dir, 'project');
    await mkdir(project);
    await writeLockfileProject(project, [...publicScenario.packages, ...privateScenario.packages]);
    const privateHost = new URL(privateRegistry.url).host;
    await writeFile(join(project, '.npmrc'), [
      `registry=${publicRegistry.url}/`,
      `@acme:registry=${privateRegistry.url}/`,
      `//${privateHost}/:_authToken=${SECRET}`,
      '',
    ].join('\n'));

    const run = await runCli(['check', project, '--trusted-root', trustedRoot, '--cache', join(dir, 'cache'), '--now', NOW, '--json'], {
      env: ISOLATED(dir),
    });
    const report = JSON.parse(run.stdout);
    expect(report.verdict).toBe('pass');
    expect(run.code).toBe(0);

    expect(publicRegistry.requests.map((r) => r.path)).toContain('/left');
    expect(publicRegistry.requests.some((r) => r.path.includes('@acme'))).toBe(false);
    const privateRequests = privateRegistry.requests.filter((r) => r.path.includes('@acme'));
    expect(privateRequests.length).toBeGreaterThan(0);
    expect(privateRequests.every((r) => r.headers.authorization === `Bearer ${SECRET}`)).toBe(true);
    // The token goes to the host it is configured for, and nowhere else.
    expect(publicRegistry.requests.every((r) => r.headers.authorization === undefined)).toBe(true);
    expect(run.stdout + run.stderr).not.toContain(SECRET);
  });

  it('--registry overrides the default registry but not the scoped one', async () => {
    const project = join(dir, 'override');
    await mkdir(project);
    await writeLockfileProject(project, [...publicScenario.packages, ...privateScenario.packages]);
    await writeFile(join(project, '.npmrc'), `registry=http://127.0.0.1:9/\n@acme:registry=${privateRegistry.url}/\n`);
    publicRegistry.resetLog();
    const run = await runCli(['check', project, '--registry', `${publicRegistry.url}/`, '--trusted-root', trustedRoot, '--cache', join(dir, 'cache-2'), '--now', NOW, '--json'], {
      env: ISOLATED(dir),
    });
    expect(JSON.parse(run.stdout).verdict).toBe('pass');
    expect(publicRegistry.requests.map((r) => r.path)).toContain('/left');
  });
});

// --require-fresh-trust: a run whose trust material would be only the copy embedded in
// @sigstore/tuf stops before verifying anything (TRUST_NOT_FRESH, exit 3); a TUF refresh or the
// copy a refresh verified earlier (cached, unexpired) lets it go on. Against a TUF mirror on 127.0.0.1.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, startFixtureRegistry, syntheticScenario, type FixtureRegistry } from '../support/index.js';
import { makeTempDir } from '../support/fixture-project.js';
import { writeLockfileProject } from '../support/lockfile-project.js';
import type { PolicyReportJson } from '../support/policy-kit.js';
import { runCli } from '../support/run-cli.js';
import { startTestTufMirror, type TufMirror } from '../support/tuf-mirror.js';

const NOW = '2026-11-23T00:00:00Z';
const ISOLATED = (dir: string): NodeJS.ProcessEnv => ({
  CI: 'true',
  npm_config_userconfig: join(dir, 'no-user-npmrc'),
  npm_config_globalconfig: join(dir, 'no-global-npmrc'),
  npm_config_registry: undefined,
  NPM_CONFIG_REGISTRY: undefined,
});

describe('--require-fresh-trust', () => {
  const pki = createTestPki({ registryKeyValidFrom: new Date('2020-01-01T00:00:00Z') });
  const built = syntheticScenario(pki, [{ name: 'pa', version: '1.0.0' }], { provenanceShare: 1, attestation: { time: new Date('2026-11-01T12:00:00Z') } });
  let registry: FixtureRegistry;
  let dir: string;
  let cleanup: () => Promise<void>;
  let count = 0;

  beforeAll(async () => {
    ({ dir, cleanup } = await makeTempDir());
    registry = await startFixtureRegistry({ packages: built.packages, keys: null });
  });
  afterAll(async () => {
    await registry.close();
    await cleanup();
  });

  const project = async (): Promise<string> => {
    const path = join(dir, `project-${++count}`);
    await mkdir(path);
    await writeLockfileProject(path, built.packages);
    return path;
  };
  const check = (path: string, mirror: TufMirror, extra: string[] = []) =>
    runCli(['check', path, '--registry', registry.url, '--tuf-mirror', mirror.url, '--cache', join(path, 'cache'), '--now', NOW, '--json', '--require-fresh-trust', ...extra], { env: ISOLATED(dir) });
  const errorCode = (stdout: string): string | undefined => (JSON.parse(stdout) as { error?: { code: string } }).error?.code;

  it('stops with TRUST_NOT_FRESH (exit 3) when the mirror is down and no refresh was ever cached, before asking the registry', async () => {
    const mirror = await startTestTufMirror(pki);
    const path = await project();
    mirror.primeCache(join(path, 'cache'));
    await mirror.close();
    registry.resetLog();
    const run = await check(path, mirror);
    expect(run.code).toBe(3);
    expect(errorCode(run.stdout)).toBe('TRUST_NOT_FRESH');
    expect(registry.requests).toHaveLength(0);
  });

  it('goes on with the copy a refresh verified earlier when the mirror is down (tuf-cached)', async () => {
    const mirror = await startTestTufMirror(pki);
    const path = await project();
    mirror.primeCache(join(path, 'cache'));
    const first = await check(path, mirror);
    expect((JSON.parse(first.stdout) as PolicyReportJson).trustedRoot?.origin).toBe('tuf-refreshed');
    await mirror.close();
    const run = await check(path, mirror);
    const report = JSON.parse(run.stdout) as PolicyReportJson;
    expect(report.trustedRoot?.origin).toBe('tuf-cached');
    expect(report.registries[0]?.npmKeysOrigin).toBe('tuf-cached');
    expect(run.code).toBe(first.code);
  });

  it('with --offline is a usage error (exit 2)', async () => {
    const mirror = await startTestTufMirror(pki);
    await mirror.close();
    const run = await check(await project(), mirror, ['--offline']);
    expect(run.code).toBe(2);
    expect(errorCode(run.stdout)).toBe('USAGE');
  });
});

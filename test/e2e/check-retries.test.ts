import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestPki, startFixtureRegistry, syntheticScenario, type FixtureRegistry } from '../support/index.js';
import { makeTempDir } from '../support/fixture-project.js';
import { writeLockfileProject } from '../support/lockfile-project.js';
import { runCli } from '../support/run-cli.js';

const NOW = '2026-11-23T00:00:00Z';

// A passing fault is retried and the run still passes; the same fault on every try fails closed.
describe('retries', () => {
  const pki = createTestPki({ registryKeyValidFrom: new Date('2020-01-01T00:00:00Z') });
  const scenario = syntheticScenario(pki, [{ name: 'alpha', version: '1.0.0' }], { provenanceShare: 1, attestation: { time: new Date('2026-11-01T12:00:00Z') } });
  let registry: FixtureRegistry;
  let dir: string;
  let project: string;
  let trustedRoot: string;
  let cleanup: () => Promise<void>;
  let run = 0;

  const check = () =>
    runCli(['check', project, '--registry', registry.url, '--trusted-root', trustedRoot, '--cache', join(dir, `cache-${run++}`), '--now', NOW, '--retries', '2', '--json']);

  beforeAll(async () => {
    ({ dir, cleanup } = await makeTempDir());
    trustedRoot = join(dir, 'trusted_root.json');
    pki.writeTrustedRoot(trustedRoot);
    project = join(dir, 'project');
    await mkdir(project);
    await writeLockfileProject(project, scenario.packages);
    registry = await startFixtureRegistry({ ...scenario, keys: pki.npmKeys() });
  });
  beforeEach(() => {
    registry.clearFaults();
    registry.resetLog();
  });
  afterAll(async () => {
    await registry.close();
    await cleanup();
  });

  it('a body cut off once is fetched again and the run passes', async () => {
    registry.addFault('/-/npm/v1/attestations/*', { truncateAt: 10, times: 1 });
    const result = await check();
    expect(JSON.parse(result.stdout).verdict).toBe('pass');
    expect(registry.requests.filter((r) => r.path.startsWith('/-/npm/v1/attestations/'))).toHaveLength(2);
  });

  it('a 503 with Retry-After once is retried and the run passes', async () => {
    registry.addFault('/alpha/1.0.0', { status: 503, retryAfter: 1, times: 1 });
    const result = await check();
    expect(result.code).toBe(0);
    expect(registry.requests.filter((r) => r.path === '/alpha/1.0.0').map((r) => r.status)).toEqual([503, 200]);
  });

  it('a body cut off on every try fails closed after the retries', async () => {
    registry.addFault('/-/npm/v1/attestations/*', { truncateAt: 10 });
    const result = await check();
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout).packages[0].findings.map((f: { code: string }) => f.code)).toEqual(['FETCH_FAILED']);
    expect(registry.requests.filter((r) => r.path.startsWith('/-/npm/v1/attestations/'))).toHaveLength(3);
  });
});

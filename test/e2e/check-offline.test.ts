import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheScenario } from '../support/cache-scenario.js';
import { createTestPki, type FixtureRegistry } from '../support/index.js';
import { writeLockfileProject } from '../support/lockfile-project.js';
import { runCli } from '../support/run-cli.js';
import { serveScenario } from '../support/serve-scenario.js';

const NOW = '2026-11-23T00:00:00Z';

// The cache lets a second run verify again without the network; --offline uses only the cache and
// fails closed (exit 3) on anything it does not hold.
describe('--offline and the evidence cache', () => {
  const { pki, scenario, packages } = cacheScenario();
  let registry: FixtureRegistry;
  let dir: string;
  let trustedRoot: string;
  let cleanup: () => Promise<void>;

  // Keys are the registry's own /-/npm/v1/keys here, so the offline run must take them from the
  // cache too.
  const check = (project: string, cache: string, ...extra: string[]) =>
    runCli(['check', project, '--registry', registry.url, '--trusted-root', trustedRoot, '--cache', cache, '--now', NOW, '--json', ...extra]);

  beforeAll(async () => {
    ({ dir, trustedRoot, registry, cleanup } = await serveScenario(pki, scenario));
  });
  afterAll(() => cleanup());

  it('re-verifies from the cache with zero requests to the registry', async () => {
    const project = join(dir, 'project');
    const cache = join(dir, 'cache');
    await mkdir(project);
    await writeLockfileProject(project, packages.slice(0, 3));

    const online = await check(project, cache);
    expect(JSON.parse(online.stdout).verdict).toBe('pass');
    expect(online.code).toBe(0);
    expect(registry.requests.length).toBeGreaterThan(0);
    expect(scenario.attested.size).toBeGreaterThan(0);

    registry.resetLog();
    const offline = await check(project, cache, '--offline');
    const report = JSON.parse(offline.stdout);
    expect(offline.code).toBe(0);
    expect(report.verdict).toBe('pass');
    // Cached evidence is verified again, not trusted: the attestations are re-checked facts.
    const attested = report.packages.filter((p: { evidence: { attestations: unknown[] } }) => p.evidence.attestations.length > 0);
    expect(attested.length).toBeGreaterThan(0);
    expect(registry.requests).toEqual([]);
  });

  it('reuses a verification result only under the same trust material and a clock not earlier than its own', async () => {
    const project = join(dir, 'reuse');
    const cache = join(dir, 'cache-reuse');
    await mkdir(project);
    await writeLockfileProject(project, packages);
    expect((await check(project, cache)).code).toBe(0);
    expect((await check(project, cache, '--offline')).code).toBe(0);

    // An earlier clock: the attestations (logged 2026-11-01) are in its future, so the cached
    // evidence is verified again and fails, rather than the earlier result being reused.
    const earlier = await runCli(['check', project, '--registry', registry.url, '--trusted-root', trustedRoot, '--cache', cache, '--now', '2026-10-01T00:00:00Z', '--offline', '--json']);
    expect(earlier.code).not.toBe(0);
    expect(JSON.parse(earlier.stdout).packages.flatMap((p: { findings: Array<{ code: string }> }) => p.findings.map((f) => f.code))).toContain('FUTURE_TIMESTAMP');

    // Another trusted root: nothing verified under the first is taken as verified under it.
    const other = createTestPki({ registryKeyValidFrom: new Date('2020-01-01T00:00:00Z') });
    const otherRoot = join(dir, 'other_root.json');
    other.writeTrustedRoot(otherRoot);
    const foreign = await runCli(['check', project, '--registry', registry.url, '--trusted-root', otherRoot, '--cache', cache, '--now', NOW, '--offline', '--json']);
    expect(foreign.code).not.toBe(0);
    expect(JSON.parse(foreign.stdout).packages.flatMap((p: { findings: Array<{ code: string }> }) => p.findings.map((f) => f.code))).toContain('CERT_CHAIN_INVALID');
  });

  it('fails closed with exit 3 on a cache miss, naming the package', async () => {
    const project = join(dir, 'grown');
    const cache = join(dir, 'cache-miss');
    await mkdir(project);
    await writeLockfileProject(project, packages.slice(0, 2));
    expect((await check(project, cache)).code).toBe(0);

    await writeLockfileProject(project, packages);
    registry.resetLog();
    const offline = await check(project, cache, '--offline');
    expect(offline.code).toBe(3);
    const report = JSON.parse(offline.stdout);
    expect(report.verdict).toBe('incomplete');
    const missed = report.packages.filter((p: { findings: Array<{ code: string }> }) => p.findings.some((f) => f.code === 'OFFLINE_CACHE_MISS'));
    expect(missed.map((p: { name: string }) => p.name).sort()).toEqual(packages.slice(2).map((p) => p.name).sort());
    expect(offline.stderr).toMatch(/INCOMPLETE/);
    expect(registry.requests).toEqual([]);
  });

  it('does not cache evidence that failed verification', async () => {
    const project = join(dir, 'tampered');
    const cache = join(dir, 'cache-tampered');
    await mkdir(project);
    const [first] = packages;
    if (!first) throw new Error('no package');
    // The lockfile pins other bytes than the registry serves: verification fails.
    await writeLockfileProject(project, [{ ...first, integrity: `sha512-${Buffer.alloc(64, 7).toString('base64')}` }]);
    expect((await check(project, cache)).code).toBe(1);
    const offline = await check(project, cache, '--offline');
    expect(offline.code).toBe(3);
  });
});

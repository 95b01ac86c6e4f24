import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestPki, startFixtureRegistry, syntheticScenario, type Fault, type FixtureRegistry } from '../support/index.js';
import { makeTempDir } from '../support/fixture-project.js';
import { writeLockfileProject } from '../support/lockfile-project.js';
import { runCli } from '../support/run-cli.js';

const NOW = '2026-11-23T00:00:00Z';
const exists = async (path: string) => (await stat(path).catch(() => null)) !== null;

// Every registry fault ends the same way in strict mode: retries as designed, then exit 3,
// verdict incomplete, a partial report naming each package that could not be checked and why, no
// SRI manifest (an old one removed), and a bounded run. In audit mode: the same findings, exit 0.
describe('registry faults fail closed', () => {
  const pki = createTestPki({ registryKeyValidFrom: new Date('2020-01-01T00:00:00Z') });
  const scenario = syntheticScenario(pki, [{ name: 'alpha', version: '1.0.0' }, { name: 'beta', version: '2.0.0' }], {
    provenanceShare: 1, attestation: { time: new Date('2026-11-01T12:00:00Z') },
  });
  let registry: FixtureRegistry;
  let dir: string;
  let project: string;
  let trustedRoot: string;
  let cleanup: () => Promise<void>;
  let run = 0;

  const check = (registryUrl: string, ...extra: string[]) =>
    runCli(['check', project, '--registry', registryUrl, '--trusted-root', trustedRoot, '--cache', join(dir, `cache-${run++}`), '--now', NOW,
      '--retries', '1', '--fetch-timeout', '1500', ...extra]);

  beforeAll(async () => {
    ({ dir, cleanup } = await makeTempDir());
    trustedRoot = join(dir, 'trusted_root.json');
    pki.writeTrustedRoot(trustedRoot);
    project = join(dir, 'project');
    await mkdir(project);
    await writeLockfileProject(project, scenario.packages);
    await writeFile(join(dir, 'no-history.policy.json'), JSON.stringify({ version: 1, enforcement: 'strict', downgrade: 'off', rules: [{ name: 'every package', match: { package: '*' } }] }));
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

  // Under the default policy the package's document is its packument (the trust-downgrade rule
  // reads its earlier versions); with no rule reading history, its version manifest.
  const PACKUMENT = '/alpha';
  const MANIFEST = '/alpha/1.0.0';
  const faults: Array<[string, string, Fault, ...string[]]> = [
    ['500', PACKUMENT, { status: 500 }],
    ['502', PACKUMENT, { status: 502 }],
    ['503 with Retry-After', PACKUMENT, { status: 503, retryAfter: 1 }],
    ['429 with Retry-After', PACKUMENT, { status: 429, retryAfter: 1 }],
    ['429 without Retry-After', PACKUMENT, { status: 429 }],
    ['a connection reset', PACKUMENT, { reset: true }],
    ['a stalled body', PACKUMENT, { stall: true }],
    ['a truncated body', PACKUMENT, { truncateAt: 20 }],
    ['a non-JSON body', PACKUMENT, { nonJson: true }],
    ['an attestations endpoint answering 404', '/-/npm/v1/attestations/alpha@1.0.0', { status: 404 }],
    ['a version manifest answering 500 (no rule reads history)', MANIFEST, { status: 500 }, '--policy', 'NO_HISTORY'],
    ['a version manifest cut off (no rule reads history)', MANIFEST, { truncateAt: 20 }, '--policy', 'NO_HISTORY'],
    ['a version manifest that is not JSON (no rule reads history)', MANIFEST, { nonJson: true }, '--policy', 'NO_HISTORY'],
  ];
  const withPolicy = (args: string[]) => args.map((arg) => (arg === 'NO_HISTORY' ? join(dir, 'no-history.policy.json') : arg));

  it.each(faults)('%s: exit 3, incomplete, a partial report naming alpha, no SRI manifest', async (_label, path, fault, ...args) => {
    registry.addFault(path, fault);
    await writeFile(join(project, 'sri-manifest.json'), '{"stale": true}\n');
    const started = Date.now();
    const result = await check(registry.url, ...withPolicy(args));
    expect(registry.count(path)).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(result.code).toBe(3);
    const report = JSON.parse(await readFile(join(project, 'verify-deps-report.json'), 'utf8'));
    expect(report.verdict).toBe('incomplete');
    const alpha = report.packages.find((p: { name: string }) => p.name === 'alpha');
    expect(alpha.verdict).toBe('incomplete');
    expect(alpha.findings.map((f: { code: string }) => f.code)).toEqual(['FETCH_FAILED']);
    expect(report.packages.find((p: { name: string }) => p.name === 'beta').verdict).toBe('pass');
    expect(await exists(join(project, 'sri-manifest.json'))).toBe(false);
    expect(result.stderr).not.toMatch(/UnhandledPromiseRejection|^\s+at /m);
  });

  it('JSON of the wrong shape for the version in its packument: FETCH_FAILED (malformed), exit 3', async () => {
    const wrong = await startFixtureRegistry({ ...scenario, keys: pki.npmKeys() });
    wrong.addFault(PACKUMENT, { contentType: 'application/json' });
    const original = wrong.scenario;
    wrong.scenario = { ...original, packages: original.packages.map((p) => (p.name === 'alpha' ? { ...p, version: '1.0.0', manifest: { name: 'other' } } : p)) };
    try {
      const result = await check(wrong.url, '--json');
      const alpha = JSON.parse(result.stdout).packages.find((p: { name: string }) => p.name === 'alpha');
      expect(result.code).toBe(3);
      expect(alpha.findings[0]).toMatchObject({ code: 'FETCH_FAILED', details: { kind: 'malformed' } });
    } finally {
      await wrong.close();
    }
  });

  it('the keys endpoint down: every package is unverifiable, exit 3', async () => {
    registry.addFault('/-/npm/v1/keys', { status: 503 });
    const result = await check(registry.url, '--json');
    expect(result.code).toBe(3);
    const report = JSON.parse(result.stdout);
    expect(report.packages.map((p: { findings: Array<{ code: string }> }) => p.findings.map((f) => f.code))).toEqual([['FETCH_FAILED'], ['FETCH_FAILED']]);
  });

  it('an unreachable registry (connection refused): exit 3, every package named', async () => {
    const result = await check('http://127.0.0.1:9/', '--json');
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout).packages.every((p: { verdict: string }) => p.verdict === 'incomplete')).toBe(true);
  });

  it('--timeout bounds the whole run: what is not fetched by then fails closed', async () => {
    // The bound is far below the stall, and far above a run's own time on a loaded machine.
    registry.addFault('/beta*', { latencyMs: 40_000 });
    const started = Date.now();
    const result = await check(registry.url, '--timeout', '1', '--fetch-timeout', '60000', '--json');
    expect(Date.now() - started).toBeLessThan(25_000);
    expect(result.code).toBe(3);
    const beta = JSON.parse(result.stdout).packages.find((p: { name: string }) => p.name === 'beta');
    expect(beta.findings.map((f: { code: string }) => f.code)).toEqual(['FETCH_FAILED']);
    expect(beta.findings[0].details.kind).toBe('deadline');
  });

  it('two runs at once on the same project, cache and ledger corrupt nothing', async () => {
    const cache = join(dir, 'shared-cache');
    const ledger = join(dir, 'shared-ledger');
    const both = await Promise.all([0, 1].map((i) => runCli(['check', project, '--registry', registry.url, '--trusted-root', trustedRoot, '--cache', cache,
      '--now', NOW, '--ledger', ledger, '--report', join(dir, `concurrent-${i}.json`)])));
    expect(both.map((r) => r.code)).toEqual([0, 0]);
    for (const i of [0, 1]) expect(JSON.parse(await readFile(join(dir, `concurrent-${i}.json`), 'utf8')).verdict).toBe('pass');
    const chain = await runCli(['ledger', 'verify', ledger]);
    expect(chain.code).toBe(0);
    expect(chain.stderr).toMatch(/2 records/);
    const offline = await runCli(['check', project, '--trusted-root', trustedRoot, '--registry', registry.url, '--cache', cache, '--now', NOW, '--offline']);
    expect(offline.code).toBe(0);
  });

  // A fault that passes is retried and the run still passes; the same fault on every try (with
  // --retries 1: two tries) fails closed.
  const ALPHA_ATTESTATIONS = '/-/npm/v1/attestations/alpha@1.0.0';

  it('a body cut off once is fetched again and the run passes', async () => {
    registry.addFault(ALPHA_ATTESTATIONS, { truncateAt: 10, times: 1 });
    const result = await check(registry.url, '--json');
    expect(JSON.parse(result.stdout).verdict).toBe('pass');
    expect(registry.requests.filter((r) => r.path === ALPHA_ATTESTATIONS)).toHaveLength(2);
  });

  it('a 503 with Retry-After once is retried and the run passes', async () => {
    registry.addFault(PACKUMENT, { status: 503, retryAfter: 1, times: 1 });
    const result = await check(registry.url);
    expect(result.code).toBe(0);
    expect(registry.requests.filter((r) => r.path === PACKUMENT).map((r) => r.status)).toEqual([503, 200]);
  });

  it('a body cut off on every try fails closed after the retries', async () => {
    registry.addFault(ALPHA_ATTESTATIONS, { truncateAt: 10 });
    const result = await check(registry.url);
    expect(result.code).toBe(3);
    expect(registry.requests.filter((r) => r.path === ALPHA_ATTESTATIONS)).toHaveLength(2);
  });

  it('in audit mode the same findings are reported with exit 0', async () => {
    registry.addFault(PACKUMENT, { status: 500 });
    const result = await check(registry.url, '--mode', 'audit', '--json');
    expect(result.code).toBe(0);
    const alpha = JSON.parse(result.stdout).packages.find((p: { name: string }) => p.name === 'alpha');
    expect(alpha.findings).toMatchObject([{ code: 'FETCH_FAILED', enforcement: 'audit' }]);
  });
});

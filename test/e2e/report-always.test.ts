import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, startFixtureRegistry, syntheticScenario, type FixtureRegistry } from '../support/index.js';
import { createWorkspace, NOW, pinned, PUBLISHED, type ReportJson, type Workspace, writeTrustFiles } from '../support/attack-kit.js';
import { writeLockfileProject, type LockfilePackage } from '../support/lockfile-project.js';
import { runCli, type CliRun } from '../support/run-cli.js';

const exists = async (path: string) => (await stat(path).catch(() => null)) !== null;
const STALE_SRI = '{"stale": true}\n';

// Every run that read the lockfile ends in a report, and no failed run leaves an SRI manifest
// behind: a lockfile name npm cannot parse is a finding (never a crash), an error after the
// lockfile was read is recorded in a report (verdict incomplete), and an error before it removes
// the stale manifest all the same.
describe('every run ends in a report; nothing stale survives a failure', () => {
  const pki = createTestPki();
  const scenario = syntheticScenario(pki, [{ name: 'alpha', version: '1.0.0' }, { name: '@corp/beta', version: '1.0.0' }], { provenanceShare: 1, attestation: { time: PUBLISHED } });
  const alpha = pinned(scenario, ['alpha@1.0.0']);
  let ws: Workspace;
  let registry: FixtureRegistry;
  let trust: { trustedRoot: string; registryKeys: string };
  let run = 0;

  beforeAll(async () => {
    ws = await createWorkspace();
    trust = await writeTrustFiles(ws, pki);
    registry = await startFixtureRegistry({ ...scenario, keys: pki.npmKeys() });
  });
  afterAll(async () => {
    await registry.close();
    await ws.cleanup();
  });

  // A new project holding these packages and an SRI manifest from an earlier run.
  async function project(packages: readonly LockfilePackage[]): Promise<string> {
    const dir = join(ws.dir, `project-${run++}`);
    await mkdir(dir, { recursive: true });
    await writeLockfileProject(dir, packages);
    await writeFile(join(dir, 'sri-manifest.json'), STALE_SRI);
    return dir;
  }

  function check(dir: string, extra: readonly string[] = [], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
    return runCli(['check', dir, '--registry', registry.url, '--registry-keys', trust.registryKeys, '--trusted-root', trust.trustedRoot,
      '--cache', join(dir, '.cache'), '--now', NOW, '--json', ...extra], { env: { GITHUB_ACTIONS: undefined, GITLAB_CI: undefined, ...env } });
  }

  const readReport = async (dir: string) => JSON.parse(await readFile(join(dir, 'verify-deps-report.json'), 'utf8')) as ReportJson;

  it('positive control: alpha alone passes and writes its SRI manifest', async () => {
    const dir = await project(alpha);
    const result = await check(dir);
    expect(result.code).toBe(0);
    expect((await readReport(dir)).verdict).toBe('pass');
    expect(await readFile(join(dir, 'sri-manifest.json'), 'utf8')).not.toBe(STALE_SRI);
  });

  const integrity = alpha[0]?.integrity as string;
  it.each([
    ['a space in the folder name', { name: 'foo bar', version: '1.0.0', integrity }],
    ['a space in a scoped name', { name: '@corp/with space', version: '1.0.0', integrity }],
    ['a space in the entry\'s name field (an alias)', { name: 'foo bar', installAs: 'innocent', version: '1.0.0', integrity }],
    ['a leading dot in the entry\'s name field', { name: '.hidden', installAs: 'dotted', version: '1.0.0', integrity }],
  ])('a lockfile name npm cannot parse (%s): PACKAGE_NAME_INVALID, never fetched, a report, exit 1, no SRI manifest', async (_label, bad) => {
    const dir = await project([...alpha, bad]);
    registry.resetLog();
    const result = await check(dir);
    expect(result.stderr).not.toMatch(/internal error/);
    expect(result.code).toBe(1);
    const report = await readReport(dir);
    expect(report.verdict).toBe('fail');
    expect(report.error).toBeUndefined();
    const pkg = report.packages.find((p) => p.name === bad.name);
    expect(pkg?.findings.map((f) => [f.code, f.enforcement])).toEqual([['PACKAGE_NAME_INVALID', 'strict']]);
    expect(pkg?.verdict).toBe('fail');
    expect(pkg?.registry).toBeNull();
    expect(report.packages.find((p) => p.name === 'alpha')?.findings).toEqual([]);
    // Only alpha's documents were asked for.
    expect(registry.requests.map((r) => r.path).filter((path) => !path.includes('alpha') && !path.startsWith('/-/npm/v1/keys'))).toEqual([]);
    expect(JSON.parse(result.stdout)).toEqual(report);
    expect(await exists(join(dir, 'sri-manifest.json'))).toBe(false);
  });

  it('an internal error after the report was written (the CI step summary is a directory): the report says incomplete with the error, the SRI manifest is gone, exit 3', async () => {
    const dir = await project(alpha);
    const summary = join(dir, 'step-summary');
    await mkdir(summary);
    const result = await check(dir, [], { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary });
    expect(result.code).toBe(3);
    const report = await readReport(dir);
    expect(report.verdict).toBe('incomplete');
    expect(report.error?.code).toBe('INTERNAL_ERROR');
    expect(report.packages.map((p) => [p.name, p.verdict])).toEqual([['alpha', 'incomplete']]);
    expect(report.lockfile.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.parse(result.stdout)).toEqual(report);
    expect(await exists(join(dir, 'sri-manifest.json'))).toBe(false);
  });

  it('the same error under --mode audit: still incomplete, exit 3, no SRI manifest', async () => {
    const dir = await project(alpha);
    const summary = join(dir, 'step-summary');
    await mkdir(summary);
    const result = await check(dir, ['--mode', 'audit'], { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary });
    expect(result.code).toBe(3);
    const report = await readReport(dir);
    expect([report.verdict, report.enforcement, report.error?.code]).toEqual(['incomplete', 'audit', 'INTERNAL_ERROR']);
    expect(await exists(join(dir, 'sri-manifest.json'))).toBe(false);
  });

  it('a configuration error once the lockfile is read (a scope\'s registry in .npmrc is not a URL): REGISTRY_URL_INVALID, exit 2, a report with the error, no SRI manifest', async () => {
    const dir = await project(pinned(scenario, ['alpha@1.0.0', '@corp/beta@1.0.0']));
    await writeFile(join(dir, '.npmrc'), '@corp:registry=not-a-registry-url\n');
    const result = await check(dir);
    expect(result.stderr).toMatch(/error REGISTRY_URL_INVALID: @corp:registry/);
    expect(result.code).toBe(2);
    const report = await readReport(dir);
    expect([report.verdict, report.error?.code]).toEqual(['incomplete', 'REGISTRY_URL_INVALID']);
    expect(report.packages.map((p) => p.verdict)).toEqual(['incomplete', 'incomplete']);
    expect(await exists(join(dir, 'sri-manifest.json'))).toBe(false);
  });

  it.each([
    ['a policy file that does not exist', ['--policy', '/nonexistent/verify-deps.policy.json'], 'POLICY_UNREADABLE'],
    ['an invalid --mode', ['--mode', 'lenient'], 'INVALID_OPTION'],
    ['an invalid --now', ['--now', 'yesterday'], 'INVALID_OPTION'],
  ])('a configuration error before the lockfile is read (%s): exit 2, and the stale report and SRI manifest are removed', async (_label, extra, code) => {
    const dir = await project(alpha);
    await writeFile(join(dir, 'verify-deps-report.json'), '{"verdict": "pass"}\n');
    const result = await check(dir, extra);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(code);
    expect(await exists(join(dir, 'verify-deps-report.json'))).toBe(false);
    expect(await exists(join(dir, 'sri-manifest.json'))).toBe(false);
  });

  it('a lockfile that cannot be read (truncated): exit 2, and the stale report and SRI manifest are removed', async () => {
    const dir = await project(alpha);
    await writeFile(join(dir, 'package-lock.json'), '{"lockfileVersion": 3, "packages": {');
    await writeFile(join(dir, 'verify-deps-report.json'), '{"verdict": "pass"}\n');
    const result = await check(dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('LOCKFILE_UNPARSEABLE');
    expect(await exists(join(dir, 'verify-deps-report.json'))).toBe(false);
    expect(await exists(join(dir, 'sri-manifest.json'))).toBe(false);
  });

  it('no lockfile, only node_modules: refused before any network (NO_LOCKFILE, exit 2, no crash), nothing stale left', async () => {
    const dir = join(ws.dir, `project-${run++}`);
    await mkdir(join(dir, 'node_modules', 'alpha'), { recursive: true });
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', dependencies: { alpha: '1.0.0' } }));
    await writeFile(join(dir, 'node_modules', 'alpha', 'package.json'), JSON.stringify({ name: 'alpha', version: '1.0.0' }));
    await writeFile(join(dir, 'sri-manifest.json'), STALE_SRI);
    registry.resetLog();
    const result = await check(dir);
    expect(result.stderr).not.toMatch(/internal error/);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({ error: { code: 'NO_LOCKFILE' } });
    expect(registry.requests).toEqual([]);
    expect(await exists(join(dir, 'sri-manifest.json'))).toBe(false);
  });
});

// Where the tree comes from, through the real CLI: an npm 6 lockfile with `"resolved": false` is
// read as npm reads it (and checked), a project with only node_modules is refused before any
// network, and another package manager's lockfile is named as unsupported (LOCKFILE_UNSUPPORTED).
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, startFixtureRegistry, syntheticScenario, type FixtureRegistry } from '../support/index.js';
import { createWorkspace, NOW, pinned, PUBLISHED, type ReportJson, type Workspace, writeTrustFiles } from '../support/attack-kit.js';
import { runCli, type CliRun } from '../support/run-cli.js';

describe('tree sources', () => {
  const pki = createTestPki();
  const scenario = syntheticScenario(pki, [{ name: 'alpha', version: '1.0.0' }, { name: 'beta', version: '2.0.0' }], { provenanceShare: 1, attestation: { time: PUBLISHED } });
  const integrityOf = (spec: string): string => pinned(scenario, [spec])[0]?.integrity ?? '';
  const alpha = { integrity: integrityOf('alpha@1.0.0') };
  const beta = { integrity: integrityOf('beta@2.0.0') };
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

  async function project(files: Record<string, unknown>): Promise<string> {
    const dir = join(ws.dir, `project-${run++}`);
    for (const [path, content] of Object.entries(files)) {
      await mkdir(join(dir, path, '..'), { recursive: true });
      await writeFile(join(dir, path), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
    }
    return dir;
  }

  function check(dir: string): Promise<CliRun> {
    return runCli(['check', dir, '--registry', registry.url, '--registry-keys', trust.registryKeys, '--trusted-root', trust.trustedRoot,
      '--cache', join(dir, '.cache'), '--now', NOW, '--json'], { env: { GITHUB_ACTIONS: undefined, GITLAB_CI: undefined } });
  }

  const PACKAGE_JSON = { name: 'app', version: '1.0.0', dependencies: { alpha: '1.0.0', beta: '2.0.0' } };

  // The shape npm 6 wrote: `"resolved": false` on a dependency's bundled packages, and on some
  // registry packages (npm/cli#1138).
  const NPM6_LOCKFILE = () => ({
    name: 'app', version: '1.0.0', lockfileVersion: 1, requires: true,
    dependencies: {
      alpha: { version: '1.0.0', resolved: false, integrity: alpha.integrity },
      beta: {
        version: '2.0.0', integrity: beta.integrity, requires: { gamma: '^3.0.0' },
        dependencies: { gamma: { version: '3.0.0', resolved: false, bundled: true } },
      },
    },
  });

  it('an npm 6 lockfile with "resolved": false: inventory reads it as npm does', async () => {
    const dir = await project({ 'package.json': PACKAGE_JSON, 'package-lock.json': NPM6_LOCKFILE() });
    const result = await runCli(['inventory', dir, '--json']);
    expect(result.code).toBe(0);
    const inventory = JSON.parse(result.stdout) as { packages: Array<{ name: string; source: string; bundled: boolean; resolved: string | null }> };
    expect(inventory.packages.map((p) => [p.name, p.source, p.bundled, p.resolved])).toEqual([
      ['alpha', 'registry', false, null],
      ['beta', 'registry', false, null],
      ['gamma', 'registry', true, null],
    ]);
  });

  it('an npm 6 lockfile with "resolved": false: check verifies its registry packages and passes', async () => {
    const dir = await project({ 'package.json': PACKAGE_JSON, 'package-lock.json': NPM6_LOCKFILE() });
    const result = await check(dir);
    expect(result.code, result.stdout.slice(0, 3000)).toBe(0);
    const report = JSON.parse(await readFile(join(dir, 'verify-deps-report.json'), 'utf8')) as ReportJson;
    expect(report.verdict).toBe('pass');
    expect(report.lockfile).toMatchObject({ path: 'package-lock.json', lockfileVersion: 1 });
    const verdicts = Object.fromEntries(report.packages.map((p) => [p.name, p.verdict]));
    expect(verdicts).toMatchObject({ alpha: 'pass', beta: 'pass' });
  });

  it('an npm 6 lockfile whose registry package has "integrity": false too: INTEGRITY_MISSING, exit 1', async () => {
    const lockfile = NPM6_LOCKFILE();
    Object.assign(lockfile.dependencies.alpha, { integrity: false });
    const dir = await project({ 'package.json': PACKAGE_JSON, 'package-lock.json': lockfile });
    const result = await check(dir);
    expect(result.code).toBe(1);
    const report = JSON.parse(await readFile(join(dir, 'verify-deps-report.json'), 'utf8')) as ReportJson;
    expect(report.packages.find((p) => p.name === 'alpha')?.findings.map((f) => f.code)).toContain('INTEGRITY_MISSING');
  });

  // Installed by npm 6 (which records `_integrity`) or by another installer (which does not).
  const INSTALLED_ONLY = {
    'package.json': PACKAGE_JSON,
    'node_modules/alpha/package.json': { name: 'alpha', version: '1.0.0', _integrity: '' },
    'node_modules/beta/package.json': { name: 'beta', version: '2.0.0' },
  };

  it('node_modules without any lockfile: check refuses before any network (NO_LOCKFILE, exit 2)', async () => {
    const dir = await project({ ...INSTALLED_ONLY, 'node_modules/alpha/package.json': { name: 'alpha', version: '1.0.0', _integrity: alpha.integrity } });
    registry.resetLog();
    const result = await check(dir);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({ error: { code: 'NO_LOCKFILE' } });
    expect(registry.requests).toEqual([]);
  });

  it('only npm\'s record of the installed tree (node_modules/.package-lock.json): checked, and the report names that file and its digest', async () => {
    const hidden = {
      name: 'app', version: '1.0.0', lockfileVersion: 3, requires: true,
      packages: { 'node_modules/alpha': { version: '1.0.0', integrity: alpha.integrity }, 'node_modules/beta': { version: '2.0.0', integrity: beta.integrity } },
    };
    // Written last: npm's record counts only when nothing in node_modules is newer.
    const dir = await project({ ...INSTALLED_ONLY, 'node_modules/.package-lock.json': hidden });
    const result = await check(dir);
    expect(result.code, result.stdout.slice(0, 3000)).toBe(0);
    const report = JSON.parse(await readFile(join(dir, 'verify-deps-report.json'), 'utf8')) as ReportJson;
    const digest = createHash('sha256').update(await readFile(join(dir, 'node_modules', '.package-lock.json'))).digest('hex');
    expect(report.lockfile).toEqual({ path: 'node_modules/.package-lock.json', lockfileVersion: 3, sha256: digest });
    expect(Object.fromEntries(report.packages.map((p) => [p.name, p.verdict]))).toEqual({ alpha: 'pass', beta: 'pass' });
  });

  it('node_modules without any lockfile: inventory still lists the installed packages, and says there is no lockfile', async () => {
    const dir = await project(INSTALLED_ONLY);
    const result = await runCli(['inventory', dir, '--json']);
    expect(result.code).toBe(0);
    const inventory = JSON.parse(result.stdout) as { lockfile: string; packages: Array<{ name: string }> };
    expect(inventory.lockfile).toBe('node_modules');
    expect(inventory.packages.map((p) => p.name)).toEqual(['alpha', 'beta']);
  });

  it.each(['yarn.lock', 'pnpm-lock.yaml', 'bun.lock', 'bun.lockb'])('only %s: LOCKFILE_UNSUPPORTED, exit 2, before any network (with or without node_modules)', async (file) => {
    for (const installed of [{}, INSTALLED_ONLY]) {
      const dir = await project({ ...installed, 'package.json': PACKAGE_JSON, [file]: '# lockfile\n' });
      const inventory = await runCli(['inventory', dir]);
      expect(inventory.code).toBe(2);
      expect(inventory.stderr).toContain('error LOCKFILE_UNSUPPORTED:');
      expect(inventory.stderr).toContain(join(dir, file));
      expect(inventory.stderr).toContain('npm install --package-lock-only');
      registry.resetLog();
      const result = await check(dir);
      expect(result.code).toBe(2);
      expect(JSON.parse(result.stdout)).toMatchObject({ error: { code: 'LOCKFILE_UNSUPPORTED' } });
      expect(registry.requests).toEqual([]);
    }
  });

  it('yarn.lock beside package-lock.json: the npm lockfile is read, as npm reads it', async () => {
    const dir = await project({ 'package.json': PACKAGE_JSON, 'package-lock.json': NPM6_LOCKFILE(), 'yarn.lock': '# lockfile\n' });
    const result = await runCli(['inventory', dir, '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ lockfile: 'package-lock.json' });
  });
});

import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, startFixtureRegistry, syntheticScenario, type FixtureRegistry } from '../support/index.js';
import { makeTempDir } from '../support/fixture-project.js';
import { runCli } from '../support/run-cli.js';
import { WORKSPACE_PROJECT, WORKSPACE_PROJECT_PACKAGES, writeWorkspaceProject } from '../support/workspace-project.js';

const NOW = '2026-11-23T00:00:00Z';

interface ReportJson {
  verdict: string;
  lockfile: { path: string; sha256: string; workspaces?: unknown };
  packages: Array<{ name: string }>;
  observations: { warnings: string[] };
}

// The gate in an npm workspace project: a workspace's folder (or -w) gates that workspace's
// dependencies out of the root's lockfile, as `npm audit signatures` does, and nothing else is
// fetched.
describe('check of npm workspaces', () => {
  const pki = createTestPki({ registryKeyValidFrom: new Date('2020-01-01T00:00:00Z') });
  const scenario = syntheticScenario(pki, WORKSPACE_PROJECT_PACKAGES.map((name) => ({ name, version: '1.0.0' })), {
    provenanceShare: 1,
    seed: 'workspaces',
    attestation: { time: new Date('2026-11-01T12:00:00Z') },
  });
  let registry: FixtureRegistry;
  let dir: string;
  let trustedRoot: string;
  let cleanup: () => Promise<void>;

  const check = (cwd: string, ...args: string[]) =>
    runCli(['check', ...args, '--registry', registry.url, '--trusted-root', trustedRoot, '--cache', join(dir, 'cache'), '--now', NOW, '--json'], { cwd });
  // The registry packages whose evidence the run asked for.
  const fetched = () => new Set(WORKSPACE_PROJECT_PACKAGES.filter((name) => registry.requests.some((r) => r.path.includes(`/${name}`))));
  const names = (report: ReportJson) => report.packages.map((p) => p.name).sort();

  beforeAll(async () => {
    ({ dir, cleanup } = await makeTempDir());
    trustedRoot = join(dir, 'trusted_root.json');
    pki.writeTrustedRoot(trustedRoot);
    registry = await startFixtureRegistry({ ...scenario, keys: pki.npmKeys() });
    await writeWorkspaceProject(join(dir), scenario.packages.map((p) => ({ name: p.name, version: p.version, integrity: p.integrity })));
  });
  afterAll(async () => {
    await registry.close();
    await cleanup();
  });

  it("in a workspace's folder: gates that workspace's dependencies, read from the root's lockfile", async () => {
    registry.resetLog();
    const member = join(dir, 'packages/a');
    const run = await check(member);
    const report = JSON.parse(run.stdout) as ReportJson;
    expect(run.code).toBe(0);
    expect(report.verdict).toBe('pass');
    expect(report.lockfile.path).toBe(join('..', '..', 'package-lock.json'));
    expect(report.lockfile.workspaces).toEqual({ root: join('..', '..'), names: ['a'], includeRoot: false });
    expect(names(report)).toEqual([...WORKSPACE_PROJECT.closureOfA].sort());
    expect(fetched()).toEqual(new Set(['alpha', 'gamma', 'a-dev']));
    // The report of the workspace is written in its folder.
    expect(JSON.parse(await readFile(join(member, 'verify-deps-report.json'), 'utf8')).lockfile).toEqual(report.lockfile);
  });

  it('-w NAME from the root gates that workspace; --include-workspace-root adds the root\'s own', async () => {
    registry.resetLog();
    const onlyB = JSON.parse((await check(dir, '-w', 'b')).stdout) as ReportJson;
    expect(names(onlyB)).toEqual([...WORKSPACE_PROJECT.closureOfB].sort());
    expect(fetched()).toEqual(new Set(['beta']));
    const withRoot = JSON.parse((await check(dir, '-w', 'packages/b', '--include-workspace-root')).stdout) as ReportJson;
    expect(names(withRoot)).toEqual([...WORKSPACE_PROJECT.closureOfB, ...WORKSPACE_PROJECT.root].sort());
    expect(withRoot.lockfile.workspaces).toEqual({ root: '.', names: ['b'], includeRoot: true });
  });

  it('policy learn in a workspace\'s folder pins only that workspace\'s signers', async () => {
    const member = join(dir, 'packages/b');
    const run = await runCli(['policy', 'learn', '--registry', registry.url, '--trusted-root', trustedRoot, '--cache', join(dir, 'cache'), '--now', NOW], { cwd: member });
    expect(run.code).toBe(0);
    const lock = JSON.parse(await readFile(join(member, 'verify-deps.identities.json'), 'utf8')) as { packages: Record<string, unknown> };
    expect(Object.keys(lock.packages)).toEqual(['beta']);
  });

  it("in a workspace's folder without a policy of its own: the workspace root's policy judges", async () => {
    const policy = JSON.parse(await readFile(new URL('../../policies/default.json', import.meta.url), 'utf8'));
    const rootPolicy = join(dir, 'verify-deps.policy.json');
    await writeFile(rootPolicy, JSON.stringify({ ...policy, enforcement: 'audit' }));
    try {
      const report = JSON.parse((await check(join(dir, 'packages/a'))).stdout) as ReportJson & { policy: { origin: string; path: string }; enforcement: string };
      expect(report.policy).toMatchObject({ origin: 'project', path: rootPolicy });
      expect(report.enforcement).toBe('audit');
    } finally {
      await rm(rootPolicy);
    }
  });

  it('a package.json out of sync with the lockfile: the report observes it', async () => {
    const pkgPath = join(dir, 'package.json');
    const original = await readFile(pkgPath, 'utf8');
    const pkg = JSON.parse(original);
    pkg.devDependencies['root-tool'] = '^2.0.0';
    await writeFile(pkgPath, JSON.stringify(pkg));
    try {
      const run = await check(dir);
      const report = JSON.parse(run.stdout) as ReportJson;
      expect(report.observations.warnings).toEqual([expect.stringContaining('"root-tool"')]);
      expect(run.stderr).toContain(`warning: ${report.observations.warnings[0]}`);
      expect(names(report)).toEqual(['a', 'b', ...WORKSPACE_PROJECT_PACKAGES].sort());
    } finally {
      await writeFile(pkgPath, original);
    }
  });
});

import { spawn } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { cp, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, mutate, startFixtureRegistry, syntheticScenario, type FixtureRegistry } from '../support/index.js';
import { makeTarball } from '../support/tarball.js';
import { makeTempDir } from '../support/fixture-project.js';
import { runCli } from '../support/run-cli.js';

const NOW = '2026-11-23T00:00:00Z';

interface Finding {
  code: string;
  enforcement: string;
  details?: Record<string, unknown>;
}

// --installed: after `npm ci --ignore-scripts` (the real npm, against the fixture registry),
// node_modules must hold exactly the verified tarballs' files; any file changed, added or
// removed since is INSTALLED_TREE_MODIFIED, a package not there INSTALLED_PACKAGE_MISSING.
describe('check --installed', () => {
  const pki = createTestPki({ registryKeyValidFrom: new Date('2020-01-01T00:00:00Z') });
  const scenario = syntheticScenario(pki, [
    { name: 'alpha', version: '1.0.0', manifest: { dependencies: { gamma: '1.0.0' } }, files: { 'index.js': 'module.exports = 1;\n', 'lib/util.js': 'exports.u = 2;\n', 'lib/.gitignore': 'build/\n' } },
    { name: '@scope/beta', version: '2.0.0', manifest: { bin: { beta: 'cli.js' } }, files: { 'cli.js': '#!/usr/bin/env node\n', 'index.js': 'module.exports = 3;\n' } },
    { name: 'gamma', version: '1.0.0', files: { 'index.js': 'module.exports = "gamma 1";\n', 'lib/x.js': 'x\n' } },
    { name: 'gamma', version: '2.0.0', files: { 'index.js': 'module.exports = "gamma 2";\n' } },
  ], { provenanceShare: 0.5, seed: 'installed', attestation: { time: new Date('2026-11-01T12:00:00Z') } });
  let registry: FixtureRegistry;
  let dir: string;
  let trustedRoot: string;
  let pristine: string;
  let cleanup: () => Promise<void>;

  const integrityOf = (name: string, version: string): string => {
    const pkg = scenario.packages.find((p) => p.name === name && p.version === version);
    if (!pkg) throw new Error(`no ${name}@${version}`);
    return pkg.integrity;
  };
  // A copy of the installed project and of the npm cache npm ci filled.
  const copy = async (name: string): Promise<string> => {
    const path = join(dir, name);
    await cp(pristine, path, { recursive: true, verbatimSymlinks: true });
    return path;
  };
  // npm's cache is the copy's (verify-deps reads the tarballs from there): set in the
  // environment, which wins over any npm_config_cache the test runner inherited.
  const check = (path: string, ...extra: string[]) => checkAt(registry.url, path, ...extra);
  const checkAt = (url: string, path: string, ...extra: string[]) =>
    runCli(['check', path, '--registry', url, '--trusted-root', trustedRoot, '--now', NOW, '--cache', join(path, 'verify-deps-cache'), '--json', ...extra], {
      env: { npm_config_cache: join(path, 'npm-cache') },
    });
  const findingsOf = (stdout: string): Finding[] =>
    (JSON.parse(stdout) as { packages: Array<{ findings: Finding[] }> }).packages.flatMap((p) => p.findings);

  beforeAll(async () => {
    ({ dir, cleanup } = await makeTempDir());
    trustedRoot = join(dir, 'trusted_root.json');
    pki.writeTrustedRoot(trustedRoot);
    registry = await startFixtureRegistry({ ...scenario, keys: pki.npmKeys() });
    pristine = join(dir, 'pristine');
    await mkdir(pristine);
    const root = { name: 'fixture-app', version: '1.0.0', dependencies: { alpha: '1.0.0', '@scope/beta': '2.0.0', gamma: '2.0.0' } };
    const lockfile = {
      name: root.name,
      version: root.version,
      lockfileVersion: 3,
      requires: true,
      packages: {
        '': root,
        'node_modules/@scope/beta': { version: '2.0.0', integrity: integrityOf('@scope/beta', '2.0.0'), bin: { beta: 'cli.js' } },
        'node_modules/alpha': { version: '1.0.0', integrity: integrityOf('alpha', '1.0.0'), dependencies: { gamma: '1.0.0' } },
        'node_modules/alpha/node_modules/gamma': { version: '1.0.0', integrity: integrityOf('gamma', '1.0.0') },
        'node_modules/gamma': { version: '2.0.0', integrity: integrityOf('gamma', '2.0.0') },
      },
    };
    await writeFile(join(pristine, 'package.json'), `${JSON.stringify(root, null, 2)}\n`);
    await writeFile(join(pristine, 'package-lock.json'), `${JSON.stringify(lockfile, null, 2)}\n`);
    await writeFile(join(pristine, '.npmrc'), `registry=${registry.url}/\n`);
    await npmCi(pristine, join(pristine, 'npm-cache'));
  }, 120_000);

  afterAll(async () => {
    await registry?.close();
    await cleanup?.();
  });

  it('npm ci --ignore-scripts leaves each package as its tarball holds it (package.json not rewritten, .gitignore renamed as npm does), and the untouched tree passes', async () => {
    const path = await copy('untouched');
    const packageJson = JSON.parse(await readFile(join(path, 'node_modules', 'alpha', 'package.json'), 'utf8'));
    expect(packageJson).toEqual({ name: 'alpha', version: '1.0.0', dependencies: { gamma: '1.0.0' } });
    expect(existsSync(join(path, 'node_modules', 'alpha', 'lib', '.npmignore'))).toBe(true);
    expect(existsSync(join(path, 'node_modules', '.bin', 'beta'))).toBe(true);
    registry.resetLog();
    const run = await check(path, '--installed');
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).options.installed).toBe(true);
    expect(findingsOf(run.stdout)).toEqual([]);
    expect(JSON.parse(run.stdout).installedTree).toEqual({ findings: [] });
    // Every tarball came out of npm's cache, by its sha512.
    expect(registry.requests.filter((r) => r.path.endsWith('.tgz'))).toEqual([]);
  });

  it('a file changed after the install is INSTALLED_TREE_MODIFIED (changed); without --installed the run passes', async () => {
    const path = await copy('changed');
    await writeFile(join(path, 'node_modules', 'alpha', 'index.js'), 'require("child_process").exec("curl evil");\n');
    const run = await check(path, '--installed');
    expect(run.code, run.stderr).toBe(1);
    expect(findingsOf(run.stdout).map((f) => [f.code, f.enforcement, f.details])).toEqual([
      ['INSTALLED_TREE_MODIFIED', 'strict', { location: 'node_modules/alpha', path: 'index.js', kind: 'changed' }],
    ]);
    expect((await check(path)).code).toBe(0);
  });

  it('a file added to a package is INSTALLED_TREE_MODIFIED (added), and so is a folder in its node_modules that no lockfile entry owns', async () => {
    const path = await copy('added');
    await writeFile(join(path, 'node_modules', '@scope', 'beta', 'preload.js'), 'evil\n');
    await mkdir(join(path, 'node_modules', 'alpha', 'node_modules', 'stowaway'), { recursive: true });
    await writeFile(join(path, 'node_modules', 'alpha', 'node_modules', 'stowaway', 'index.js'), 'evil\n');
    const run = await check(path, '--installed');
    expect(run.code, run.stderr).toBe(1);
    expect(findingsOf(run.stdout).map((f) => f.details)).toEqual([
      { location: 'node_modules/@scope/beta', path: 'preload.js', kind: 'added' },
      { location: 'node_modules/alpha', path: 'node_modules/stowaway/index.js', kind: 'added' },
    ]);
    expect(findingsOf(run.stdout).every((f) => f.code === 'INSTALLED_TREE_MODIFIED')).toBe(true);
  });

  it('a package folder or file in node_modules that no lockfile entry installs is INSTALLED_TREE_MODIFIED (added), scoped ones too; npm\'s .bin and hidden lockfile are not', async () => {
    const path = await copy('stray');
    await mkdir(join(path, 'node_modules', 'stowaway'));
    await writeFile(join(path, 'node_modules', 'stowaway', 'index.js'), 'evil\n');
    await mkdir(join(path, 'node_modules', '@scope', 'stowaway'));
    await writeFile(join(path, 'node_modules', '@scope', 'stowaway', 'index.js'), 'evil\n');
    await writeFile(join(path, 'node_modules', 'loose.js'), 'evil\n');
    const run = await check(path, '--installed');
    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout) as { verdict: string; installedTree?: { findings: Finding[] } };
    expect(report.verdict).toBe('fail');
    expect(findingsOf(run.stdout)).toEqual([]);
    expect(report.installedTree?.findings.map((f) => [f.code, f.enforcement, f.details])).toEqual([
      ['INSTALLED_TREE_MODIFIED', 'strict', { location: 'node_modules', path: '@scope/stowaway', kind: 'added' }],
      ['INSTALLED_TREE_MODIFIED', 'strict', { location: 'node_modules', path: 'loose.js', kind: 'added' }],
      ['INSTALLED_TREE_MODIFIED', 'strict', { location: 'node_modules', path: 'stowaway', kind: 'added' }],
    ]);
    const plain = await check(path);
    expect(plain.code).toBe(0);
    expect(JSON.parse(plain.stdout).installedTree).toBeUndefined();
  });

  it('a file removed from a nested package is INSTALLED_TREE_MODIFIED (removed), named at its own location', async () => {
    const path = await copy('removed');
    await rm(join(path, 'node_modules', 'alpha', 'node_modules', 'gamma', 'lib', 'x.js'));
    const run = await check(path, '--installed');
    expect(run.code, run.stderr).toBe(1);
    expect(findingsOf(run.stdout).map((f) => [f.code, f.details])).toEqual([
      ['INSTALLED_TREE_MODIFIED', { location: 'node_modules/alpha/node_modules/gamma', path: 'lib/x.js', kind: 'removed' }],
    ]);
  });

  it('a file swapped for a symlink to the same bytes is INSTALLED_TREE_MODIFIED (changed): links are not followed', async () => {
    const path = await copy('symlinked');
    const file = join(path, 'node_modules', 'gamma', 'index.js');
    await writeFile(join(path, 'elsewhere.js'), await readFile(file));
    await rm(file);
    await symlink(join(path, 'elsewhere.js'), file);
    const run = await check(path, '--installed');
    expect(run.code, run.stderr).toBe(1);
    expect(findingsOf(run.stdout).map((f) => [f.code, f.details])).toEqual([
      ['INSTALLED_TREE_MODIFIED', { location: 'node_modules/gamma', path: 'index.js', kind: 'changed' }],
    ]);
  });

  it('a package not installed at all is INSTALLED_PACKAGE_MISSING', async () => {
    const path = await copy('missing');
    await rm(join(path, 'node_modules', 'gamma'), { recursive: true });
    const run = await check(path, '--installed');
    expect(run.code, run.stderr).toBe(1);
    expect(findingsOf(run.stdout).map((f) => [f.code, f.enforcement, f.details])).toEqual([
      ['INSTALLED_PACKAGE_MISSING', 'strict', { location: 'node_modules/gamma', optional: false }],
    ]);
  });

  it('without npm\'s cache the tarballs are downloaded and hashed against the lockfile: the untouched tree passes', async () => {
    const path = await copy('downloaded');
    await rm(join(path, 'npm-cache'), { recursive: true });
    registry.resetLog();
    const run = await check(path, '--installed');
    expect(run.code, run.stderr).toBe(0);
    expect(registry.requests.filter((r) => r.path.endsWith('.tgz')).length).toBe(4);
  });

  it('a tarball that cannot be had leaves the installed files unverified: FETCH_FAILED, the run incomplete', async () => {
    const path = await copy('unavailable');
    await rm(join(path, 'npm-cache'), { recursive: true });
    registry.addFault(/\/gamma\/-\/gamma-2\.0\.0\.tgz$/, { status: 404 });
    try {
      const run = await check(path, '--installed', '--retries', '0');
      expect(run.code, run.stderr).toBe(3);
      expect(findingsOf(run.stdout).map((f) => f.code)).toEqual(['FETCH_FAILED']);
    } finally {
      registry.clearFaults();
    }
  });

  it('a downloaded tarball that is not the bytes the lockfile pins is TARBALL_DIGEST_MISMATCH, never compared', async () => {
    const swapped = await startFixtureRegistry({ ...mutate.withPackage(scenario, 'gamma', '2.0.0', { tarball: makeTarball({ name: 'gamma', version: '2.0.0' }, { 'index.js': 'module.exports = "not gamma 2";\n' }) }), keys: pki.npmKeys() });
    try {
      const path = await copy('swapped');
      await rm(join(path, 'npm-cache'), { recursive: true });
      const run = await checkAt(swapped.url, path, '--installed');
      expect(run.code, run.stderr).toBe(1);
      expect(findingsOf(run.stdout).map((f) => f.code)).toEqual(['TARBALL_DIGEST_MISMATCH']);
    } finally {
      await swapped.close();
    }
  });
});

// Runs the real npm (the one on PATH, or the one running this test): `npm ci --ignore-scripts`.
function npmCi(cwd: string, cache: string): Promise<void> {
  const cli = findNpmCli();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'ci', '--ignore-scripts', '--no-audit', '--no-fund', '--cache', cache, '--update-notifier=false', '--loglevel=error'], {
      cwd,
      env: { ...process.env, npm_config_userconfig: join(cwd, 'no-user-npmrc') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`npm ci exited ${code}: ${output}`))));
  });
}

function findNpmCli(): string {
  const fromNpm = process.env.npm_execpath;
  if (fromNpm !== undefined && fromNpm.endsWith('npm-cli.js')) return fromNpm;
  for (const folder of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(folder, 'npm');
    if (existsSync(candidate)) return realpathSync(candidate);
  }
  throw new Error('npm not found on PATH: this test installs with the real npm');
}


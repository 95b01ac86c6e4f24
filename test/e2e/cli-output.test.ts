import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ssri from 'ssri';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, startFixtureRegistry, syntheticScenario, type FixtureRegistry } from '../support/index.js';
import { makeTempDir } from '../support/fixture-project.js';
import { writeLockfileProject } from '../support/lockfile-project.js';
import { runCli } from '../support/run-cli.js';
import type { ComplianceReport } from '../../src/report/build.js';

// What the CLI prints and writes, taken at its word: the inventory lists what the help says,
// every count of the summary is the report's, outputs are checked before any request, and the
// options that change what was checked are recorded in the report.

const NOW = '2026-11-23T00:00:00Z';
const integrity = (byte: number) => `sha512-${Buffer.alloc(64, byte).toString('base64')}`;
const exists = async (path: string) => (await stat(path).catch(() => null)) !== null;
const readReport = async (path: string) => JSON.parse(await readFile(path, 'utf8')) as ComplianceReport;

let dir: string;
let cleanup: () => Promise<void>;
let count = 0;

beforeAll(async () => {
  ({ dir, cleanup } = await makeTempDir());
});
afterAll(async () => cleanup());

// A project with package.json and the lockfile as given (entries under "packages").
async function projectWithLockfile(entries: Record<string, Record<string, unknown>>, lockfileVersion = 3): Promise<string> {
  const path = join(dir, `lockfile-${count++}`);
  await mkdir(path);
  const dependencies = Object.fromEntries(Object.keys(entries).map((location) => [location.replace('node_modules/', ''), '*']));
  const root = { name: 'app', version: '1.0.0', dependencies };
  await writeFile(join(path, 'package.json'), JSON.stringify(root));
  await writeFile(join(path, 'package-lock.json'), JSON.stringify({ name: 'app', version: '1.0.0', lockfileVersion, requires: true, packages: { '': root, ...entries } }));
  return path;
}

async function project(packages: Parameters<typeof writeLockfileProject>[1]): Promise<string> {
  const path = join(dir, `project-${count++}`);
  await mkdir(path);
  await writeLockfileProject(path, packages);
  return path;
}

function errorCode(stderr: string): string | undefined {
  return /error ([A-Z_]+):/.exec(stderr)?.[1];
}

describe('inventory without --json', () => {
  it('lists every package, one row each with its version, source and flags, sorted by name', async () => {
    const path = await projectWithLockfile({
      'node_modules/zeta': { version: '2.0.0', integrity: integrity(1) },
      'node_modules/alpha': { version: '1.0.0', integrity: integrity(2), dev: true },
    });
    const run = await runCli(['inventory', path]);
    expect(run.code).toBe(0);
    const rows = run.stderr.split('\n').filter((line) => /^(alpha|zeta) /.test(line));
    expect(rows.map((row) => row.split(/\s+/).slice(0, 4))).toEqual([
      ['alpha', '1.0.0', 'registry', 'dev'],
      ['zeta', '2.0.0', 'registry', '-'],
    ]);
  });

  it('says how many packages --omit left out, and the report records it (counts.omitted, options.omit)', async () => {
    const path = await projectWithLockfile({
      'node_modules/kept': { version: '1.0.0', integrity: integrity(1) },
      'node_modules/tool-a': { version: '1.0.0', integrity: integrity(2), dev: true },
      'node_modules/tool-b': { version: '1.0.0', integrity: integrity(3), dev: true },
    });
    const inventory = await runCli(['inventory', path, '--omit', 'dev']);
    expect(inventory.code).toBe(0);
    expect(inventory.stderr).toMatch(/left out 2 dev packages/);
    const check = await runCli(['check', path, '--omit', 'dev', '--offline', '--cache', join(path, 'cache'), '--now', NOW]);
    expect(check.code).toBe(3);
    expect(check.stderr).toMatch(/left out 2 dev packages/);
    const report = await readReport(join(path, 'verify-deps-report.json'));
    expect(report.counts.omitted).toBe(2);
    expect(report.options).toEqual({ rehash: false, omit: ['dev'] });
    expect(report.packages.map((p) => p.name)).toEqual(['kept']);
  });
});

describe('counts', () => {
  it("the summary's numbers are the report's counts (two packages of one name@version, both failing)", async () => {
    // Two aliases of alpha@1.0.0 with different integrities: two distinct packages, one label.
    const path = await project([
      { name: 'alpha', version: '1.0.0', integrity: integrity(1), installAs: 'alpha-one' },
      { name: 'alpha', version: '1.0.0', integrity: integrity(2), installAs: 'alpha-two' },
      { name: 'beta', version: '1.0.0', integrity: integrity(3) },
    ]);
    const run = await runCli(['check', path, '--offline', '--cache', join(path, 'cache'), '--now', NOW]);
    expect(run.code).toBe(3);
    const report = await readReport(join(path, 'verify-deps-report.json'));
    expect(report.counts.failed).toBe(3);
    const number = (pattern: RegExp) => Number(pattern.exec(run.stderr)?.[1]);
    expect(number(/^(\d+) packages? failed:/m)).toBe(report.counts.failed);
    expect(number(/^ {2}verified: (\d+) packages?/m)).toBe(report.counts.verified);
    expect(number(/passed without verified evidence: (\d+) packages?/m)).toBe(report.counts.passedWithoutVerifiedEvidence);
    expect(number(/: (\d+) distinct packages?$/m)).toBe(report.counts.packages);
  });
});

describe('the command line', () => {
  it('`verify-deps help` prints the help, exit 0', async () => {
    const run = await runCli(['help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage:/m);
  });

  it('takes a path to package-lock.json or npm-shrinkwrap.json as the project; any other file is exit 2', async () => {
    const path = await projectWithLockfile({ 'node_modules/alpha': { version: '1.0.0', integrity: integrity(1) } });
    const run = await runCli(['inventory', join(path, 'package-lock.json'), '--json']);
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { packages: Array<{ name: string }> }).packages.map((p) => p.name)).toEqual(['alpha']);

    const shrinkwrapped = await projectWithLockfile({ 'node_modules/beta': { version: '1.0.0', integrity: integrity(1) } });
    await writeFile(join(shrinkwrapped, 'npm-shrinkwrap.json'), await readFile(join(shrinkwrapped, 'package-lock.json')));
    // Both at once: npm 11 would install the one, npm 12 the other.
    const both = await runCli(['inventory', shrinkwrapped]);
    expect(both.code).toBe(2);
    expect(errorCode(both.stderr)).toBe('LOCKFILE_UNSUPPORTED');
    await rm(join(shrinkwrapped, 'package-lock.json'));
    const shrinkwrap = await runCli(['check', join(shrinkwrapped, 'npm-shrinkwrap.json'), '--offline', '--cache', join(shrinkwrapped, 'cache'), '--now', NOW]);
    expect(shrinkwrap.code).toBe(3);
    expect((await readReport(join(shrinkwrapped, 'verify-deps-report.json'))).lockfile.path).toBe('npm-shrinkwrap.json');

    const other = await runCli(['inventory', join(path, 'package.json')]);
    expect(other.code).toBe(2);
    expect(errorCode(other.stderr)).toBe('PROJECT_DIR_MISSING');
  });

  it('says "1 package", "1 rule": no plural after one', async () => {
    const path = await projectWithLockfile({ 'node_modules/alpha': { version: '1.0.0', integrity: integrity(1) } });
    const inventory = await runCli(['inventory', path]);
    const policy = join(dir, 'one-rule.json');
    await writeFile(policy, JSON.stringify({ version: 1, enforcement: 'strict', rules: [{ name: 'all', match: { package: '*' } }] }));
    const validate = await runCli(['policy', 'validate', policy]);
    const check = await runCli(['check', path, '--offline', '--cache', join(path, 'cache'), '--now', NOW]);
    expect(validate.code).toBe(0);
    for (const output of [inventory.stderr, validate.stderr, check.stderr]) {
      expect(output).not.toMatch(/\b1 (distinct )?(packages|rules|exceptions|findings|records)\b/);
    }
    expect(validate.stderr).toMatch(/\b1 rule\b/);
  });

  it('`policy validate` of a missing file does not suggest --policy, which it has not', async () => {
    const run = await runCli(['policy', 'validate', join(dir, 'missing.json')]);
    expect(run.code).toBe(2);
    expect(errorCode(run.stderr)).toBe('POLICY_UNREADABLE');
    expect(run.stderr).not.toContain('--policy');
  });
});

describe('lockfile errors', () => {
  it('a bad version shows the value found: one line, control characters escaped, cut short', async () => {
    const bad = `1.0.0\u001b[2J${'x'.repeat(200)}`;
    const path = await projectWithLockfile({ 'node_modules/alpha': { version: bad, integrity: integrity(1) } });
    const run = await runCli(['inventory', path]);
    expect(run.code).toBe(2);
    expect(errorCode(run.stderr)).toBe('LOCKFILE_INVALID');
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('"1.0.0\\u001b[2Jxxx');
    expect(run.stderr).not.toContain('\u001b');
    expect(run.stderr).not.toContain('x'.repeat(100));
  });

  it('lockfileVersion 4 is newer than this verify-deps reads (LOCKFILE_UNSUPPORTED), not a broken lockfile', async () => {
    const path = await projectWithLockfile({ 'node_modules/alpha': { version: '1.0.0', integrity: integrity(1) } }, 4);
    const run = await runCli(['inventory', path]);
    expect(run.code).toBe(2);
    expect(errorCode(run.stderr)).toBe('LOCKFILE_UNSUPPORTED');
    expect(run.stderr).not.toMatch(/regenerate/i);
  });
});

describe('check against a registry', () => {
  const pki = createTestPki({ registryKeyValidFrom: new Date('2020-01-01T00:00:00Z') });
  const scenario = syntheticScenario(pki, Array.from({ length: 24 }, (_, i) => ({ name: `pkg-${String(i).padStart(2, '0')}`, version: '1.0.0' })), {
    provenanceShare: 0.5,
    seed: 'cli-output',
    attestation: { time: new Date('2026-11-01T12:00:00Z') },
  });
  let registry: FixtureRegistry;
  let trustedRoot: string;
  const check = (path: string, ...extra: string[]) =>
    runCli(['check', path, '--registry', registry.url, '--trusted-root', trustedRoot, '--now', NOW, '--cache', join(path, 'cache'), ...extra]);

  beforeAll(async () => {
    trustedRoot = join(dir, 'trusted_root.json');
    pki.writeTrustedRoot(trustedRoot);
    registry = await startFixtureRegistry({ ...scenario, keys: pki.npmKeys() });
  });
  afterAll(async () => registry.close());

  it('--timeout on a tree of 24 packages prints no MaxListenersExceededWarning', async () => {
    const path = await project(scenario.packages);
    const run = await check(path, '--timeout', '120');
    expect(run.code).toBe(0);
    expect(run.stderr).not.toMatch(/MaxListenersExceededWarning|Warning: Possible/);
  });

  it('--rehash is recorded: options.rehash, and each package the SHA-512 of its served tarball', async () => {
    const path = await project(scenario.packages.slice(0, 3));
    const run = await check(path, '--rehash');
    expect(run.code).toBe(0);
    const report = await readReport(join(path, 'verify-deps-report.json'));
    expect(report.options).toEqual({ rehash: true, omit: [] });
    const byName = new Map(scenario.packages.map((p) => [p.name, p]));
    for (const pkg of report.packages) {
      expect(pkg.evidence?.rehashed).toBe(ssri.fromData(byName.get(pkg.name)?.tarball ?? Buffer.alloc(0), { algorithms: ['sha512'] }).toString());
    }
  });

  it('creates the missing folders of every output', async () => {
    const path = await project(scenario.packages.slice(0, 2));
    const out = join(path, 'out', 'deep');
    const run = await check(path, '--report', join(out, 'r.json'), '--sri', join(out, 'sri.json'), '--vsa', join(out, 'vsa', 'v.json'), '--gitlab-report', join(out, 'gl', 'cq.json'), '--ledger', join(out, 'ledger'));
    expect(run.code).toBe(0);
    for (const file of ['r.json', 'sri.json', 'vsa/v.json', 'gl/cq.json']) expect(await exists(join(out, file))).toBe(true);
  });

  it.each([
    ['--report names a directory', (path: string) => ['--report', path]],
    ['--sri is inside a file', (path: string) => ['--sri', join(path, 'package.json', 'sri.json')]],
    ['--gitlab-report names a directory', (path: string) => ['--gitlab-report', path]],
    ['--ledger names a file', (path: string) => ['--ledger', join(path, 'package.json')]],
  ])('an output that cannot be written is exit 2 (OUTPUT_UNWRITABLE) before any request: %s', async (_label, args) => {
    const path = await project(scenario.packages.slice(0, 2));
    const before = registry.requests.length;
    const run = await check(path, ...args(path));
    expect(run.code).toBe(2);
    expect(errorCode(run.stderr)).toBe('OUTPUT_UNWRITABLE');
    expect(registry.requests.length).toBe(before);
  });
});

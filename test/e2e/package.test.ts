import { execFile } from 'node:child_process';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, startFixtureRegistry, syntheticScenario, type FixtureRegistry } from '../support/index.js';
import { makeTempDir } from '../support/fixture-project.js';
import { writeLockfileProject } from '../support/lockfile-project.js';
import { NPMJS_HOST, npmjsTarballUrl } from '../support/public-urls.js';
import { runCli } from '../support/run-cli.js';
import { CASES, NOW as BUNDLE_NOW, SAMPLE_DIR } from '../verify-bundle/_cases.js';

const run = promisify(execFile);
const REPO = fileURLToPath(new URL('../..', import.meta.url));
const VERSION = (JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
const NOW = '2026-11-23T00:00:00Z';
const HAPPY = CASES.find((c) => c.case === 'happy-path-v0.3')!;

// npm never reaches a registry here: nothing listens on port 9 of 127.0.0.1, and offline is set.
const NPM_ENV: NodeJS.ProcessEnv = { ...process.env, npm_config_registry: 'http://127.0.0.1:9/', npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };

// The calls a user's program makes, run from a project that has the packed package installed.
const API_SCRIPT = `
import { readFileSync } from 'node:fs';
import * as api from 'verify-deps';
const input = JSON.parse(process.argv[2]);
const out = { exports: Object.keys(api).sort() };

const text = readFileSync(new URL(import.meta.resolve('verify-deps/package.json').replace('package.json', 'policies/default.json')), 'utf8');
const { policy } = api.parsePolicy(text, 'default.json');
const ref = { name: 'a', version: '1.0.0', integrity: 'sha512-AAAA', resolved: '${npmjsTarballUrl('a', '1.0.0')}', registryHost: '${NPMJS_HOST}', source: 'registry',
  dev: false, optional: false, devOptional: false, peer: false, bundled: false, extraneous: false, hasInstallScript: false, aliases: [], locations: ['node_modules/a'] };
const subject = { ref, registryHost: '${NPMJS_HOST}', registryPublishesKeys: true, verificationFindings: [{ code: 'SIGNATURE_INVALID', message: 'the signature does not verify' }] };
const decision = api.evaluatePolicy({ subjects: [subject], trustedLogs: [] }, policy, new Date(input.now));
out.evaluate = { verdict: decision.verdict, codes: decision.packages.flatMap((p) => p.findings.map((f) => f.code)) };
out.loadPolicy = (await api.loadPolicy(input.project)).source.origin;

const bundle = JSON.parse(readFileSync(input.bundle, 'utf8'));
const artifact = { bytes: readFileSync(input.artifact) };
const signed = await api.verifyBundle({ bundle, artifact, signer: { san: input.san, oidcIssuer: input.issuer }, now: new Date(input.bundleNow) });
const other = await api.verifyBundle({ bundle, artifact, signer: { san: input.san + '-other', oidcIssuer: input.issuer }, now: new Date(input.bundleNow) });
out.verifyBundle = [signed.verified, other.verified, other.findings.map((f) => f.code)];

const gate = await api.verifyDeps({ dir: input.gated, registry: input.registry, trustedRootFile: input.trustedRoot, cacheDir: input.cache, now: new Date(input.now) });
out.verifyDeps = { verdict: gate.verdict, exitCode: gate.exitCode, packages: gate.report.packages.map((p) => p.name + '@' + p.version + ':' + p.verdict) };
try {
  await api.verifyDeps({ dir: input.missing });
  out.error = 'no error';
} catch (error) {
  out.error = [error instanceof api.VerifyDepsError, error.code, error.exitCode];
}
console.log(JSON.stringify(out));
`;

// The package as npm publishes it: \`npm pack\` of the build, installed into a project of its own.
// Its dependencies are this repository's node_modules (linked beside it): installing them would
// need the registry, and no test reaches the internet.
describe('the published package', () => {
  const pki = createTestPki({ registryKeyValidFrom: new Date('2020-01-01T00:00:00Z') });
  const scenario = syntheticScenario(pki, [{ name: 'alpha', version: '1.0.0' }, { name: 'beta', version: '2.0.0' }], { provenanceShare: 0 });
  let registry: FixtureRegistry;
  let dir: string;
  let cleanup: () => Promise<void>;
  let project: string;
  let files: string[];

  beforeAll(async () => {
    ({ dir, cleanup } = await makeTempDir());
    registry = await startFixtureRegistry({ ...scenario, keys: pki.npmKeys() });
    // --ignore-scripts: the build the tests run is packed as it is (no second `prepare`).
    const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: REPO, env: NPM_ENV });
    const [pack] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    files = pack!.files.map((f) => f.path);
    project = join(dir, 'project');
    const installed = join(project, 'node_modules', 'verify-deps');
    await mkdir(installed, { recursive: true });
    await run('tar', ['-xzf', join(dir, pack!.filename), '-C', installed, '--strip-components=1']);
    await symlink(join(REPO, 'node_modules'), join(installed, 'node_modules'), 'dir');
    await writeFile(join(project, 'package.json'), `${JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }, null, 2)}\n`);
  }, 120_000);
  afterAll(async () => {
    await registry?.close();
    await cleanup?.();
  });

  it('the tarball holds the library entry, its types, the schemas and the policies, and no tests', () => {
    expect(files).toEqual(expect.arrayContaining(['package.json', 'dist/index.js', 'dist/index.d.ts', 'dist/cli/bin.js', 'schema/policy.schema.json', 'schema/report.schema.json', 'policies/default.json']));
    expect(files.filter((f) => /(^|\/)(test|tests|__tests__)\/|\.test\.[cm]?[jt]s$|^\.bench\//.test(f))).toEqual([]);
  });

  it('after init --postinstall, the hook finds the binary npm links for the devDependency', async () => {
    expect((await runCli(['init', project, '--postinstall'])).code).toBe(0);
    const pkg = JSON.parse(await readFile(join(project, 'package.json'), 'utf8'));
    expect(pkg).toMatchObject({ scripts: { postinstall: 'verify-deps' }, devDependencies: { 'verify-deps': VERSION } });
    // npm links the package's bin as an install would (`npm install` itself needs the registry).
    await run('npm', ['rebuild', '--ignore-scripts'], { cwd: project, env: NPM_ENV });
    const hook = await run('npm', ['run', 'postinstall', '--', '--version'], { cwd: project, env: NPM_ENV });
    expect(hook.stdout.trim().split('\n').at(-1)).toBe(VERSION);
  }, 60_000);

  it("import('verify-deps') gives the documented API, and each function works on a fixture", async () => {
    const gated = join(dir, 'gated');
    await mkdir(gated);
    await writeLockfileProject(gated, scenario.packages);
    const trustedRoot = join(dir, 'trusted_root.json');
    pki.writeTrustedRoot(trustedRoot);
    await writeFile(join(project, 'api-check.mjs'), API_SCRIPT);
    const input = {
      project, gated, registry: registry.url, trustedRoot, cache: join(dir, 'cache'), now: NOW, missing: join(dir, 'no-such-project'),
      bundle: join(SAMPLE_DIR, HAPPY.bundle), artifact: join(SAMPLE_DIR, HAPPY.artifactOrDigest), san: HAPPY.identity, issuer: HAPPY.issuer, bundleNow: BUNDLE_NOW.toISOString(),
    };
    const env = { ...process.env, VERIFY_DEPS_STATE_DIR: join(dir, 'state') };
    const result = await run(process.execPath, ['api-check.mjs', JSON.stringify(input)], { cwd: project, env });
    const out = JSON.parse(result.stdout);
    expect(out.exports).toEqual(expect.arrayContaining(['verifyDeps', 'verifyBundle', 'evaluatePolicy', 'parsePolicy', 'loadPolicy', 'VerifyDepsError', 'EXIT']));
    expect(out.evaluate).toEqual({ verdict: 'fail', codes: ['SIGNATURE_INVALID'] });
    expect(out.loadPolicy).toBe('project');
    expect(out.verifyBundle).toEqual([true, false, ['UNEXPECTED_SIGNER']]);
    expect(out.verifyDeps).toEqual({ verdict: 'pass', exitCode: 0, packages: ['alpha@1.0.0:pass', 'beta@2.0.0:pass'] });
    expect(out.error).toEqual([true, 'PROJECT_DIR_MISSING', 2]);
  }, 120_000);
});

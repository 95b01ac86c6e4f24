import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import ssri from 'ssri';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, githubActionsIdentity, mutate, signDsseBundle, startFixtureRegistry, syntheticScenario, type FixtureRegistry } from '../support/index.js';
import { makeTempDir } from '../support/fixture-project.js';
import { writeLockfileProject } from '../support/lockfile-project.js';
import { runCli } from '../support/run-cli.js';
import { validateVsa } from '../support/vsa-schema.js';

const NOW = '2026-11-23T00:00:00Z';
const schemaOf = async (name: string) => JSON.parse(await readFile(new URL(`../../schema/${name}`, import.meta.url), 'utf8')) as object;
const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const exists = async (path: string) => (await stat(path).catch(() => null)) !== null;

// The gate's outputs: the report always, the SRI manifest only when the gate passed, and the
// ledger's hash chain, through the real CLI.
describe('outputs of check', () => {
  const pki = createTestPki({ registryKeyValidFrom: new Date('2020-01-01T00:00:00Z') });
  const scenario = syntheticScenario(pki, [
    { name: 'alpha', version: '1.0.0' },
    { name: '@scope/beta', version: '2.0.0' },
    { name: 'gamma', version: '3.1.4' },
  ], { provenanceShare: 0.5, seed: 'outputs', attestation: { time: new Date('2026-11-01T12:00:00Z') } });
  let registry: FixtureRegistry;
  let dir: string;
  let trustedRoot: string;
  let cleanup: () => Promise<void>;
  let validateReport: ReturnType<Ajv2020['compile']>;
  let validateManifest: ReturnType<Ajv2020['compile']>;

  const check = (project: string, ...extra: string[]) =>
    runCli(['check', project, '--registry', registry.url, '--trusted-root', trustedRoot, '--now', NOW, ...extra]);
  const project = async (name: string, packages = scenario.packages): Promise<string> => {
    const path = join(dir, name);
    await mkdir(path);
    await writeLockfileProject(path, packages);
    return path;
  };

  beforeAll(async () => {
    ({ dir, cleanup } = await makeTempDir());
    trustedRoot = join(dir, 'trusted_root.json');
    pki.writeTrustedRoot(trustedRoot);
    registry = await startFixtureRegistry({ ...scenario, keys: pki.npmKeys() });
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    validateReport = ajv.compile(await schemaOf('report.schema.json'));
    validateManifest = ajv.compile(await schemaOf('sri-manifest.schema.json'));
  });
  afterAll(async () => {
    await registry.close();
    await cleanup();
  });

  it('a passing run writes a valid report and an SRI manifest of the lockfile digests, rehashed from the served tarballs', async () => {
    const path = await project('pass');
    const run = await check(path, '--cache', join(path, 'cache'), '--rehash');
    expect(run.code).toBe(0);
    const report = JSON.parse(await readFile(join(path, 'verify-deps-report.json'), 'utf8'));
    expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
    expect(report.verdict).toBe('pass');
    const manifest = JSON.parse(await readFile(join(path, 'sri-manifest.json'), 'utf8'));
    expect(validateManifest(manifest), JSON.stringify(validateManifest.errors)).toBe(true);
    const byName = new Map(scenario.packages.map((p) => [p.name, p]));
    expect(manifest.packages.map((e: { name: string }) => e.name)).toEqual(['@scope/beta', 'alpha', 'gamma']);
    for (const entry of manifest.packages as Array<{ name: string; integrity: string; rehashed: string }>) {
      const pkg = byName.get(entry.name);
      expect(entry.integrity).toBe(pkg?.integrity);
      // Recomputed here with ssri from the bytes the fixture registry serves.
      expect(entry.rehashed).toBe(ssri.fromData(pkg?.tarball ?? Buffer.alloc(0), { algorithms: ['sha512'] }).toString());
    }
    expect(manifest.notVerified).toEqual([]);
  });

  it('--sri-files lists a sha384 digest per matching file of each verified installed package', async () => {
    const path = await project('sri-files');
    const js = 'export const answer = 42;\n';
    await mkdir(join(path, 'node_modules', 'alpha', 'dist'), { recursive: true });
    await writeFile(join(path, 'node_modules', 'alpha', 'dist', 'index.js'), js);
    await writeFile(join(path, 'node_modules', 'alpha', 'dist', 'notes.txt'), 'not matched');
    expect((await check(path, '--cache', join(path, 'cache'), '--sri-files', 'dist/**/*.js')).code).toBe(0);
    const manifest = JSON.parse(await readFile(join(path, 'sri-manifest.json'), 'utf8'));
    const alpha = manifest.packages.find((e: { name: string }) => e.name === 'alpha');
    expect(alpha.files).toEqual({ 'dist/index.js': ssri.fromData(js, { algorithms: ['sha384'] }).toString() });
    expect(validateManifest(manifest)).toBe(true);
  });

  it('--rehash fails a package whose served tarball is not the bytes the lockfile pins (TARBALL_DIGEST_MISMATCH)', async () => {
    const [first] = scenario.packages;
    if (!first) throw new Error('no package');
    const swapped = await startFixtureRegistry({ ...mutate.withPackage(scenario, first.name, first.version, { tarball: Buffer.from('other bytes') }), keys: pki.npmKeys() });
    try {
      const path = await project('rehash-mismatch', [first]);
      const run = await runCli(['check', path, '--registry', swapped.url, '--trusted-root', trustedRoot, '--now', NOW, '--cache', join(path, 'cache'), '--rehash', '--json']);
      expect(run.code).toBe(1);
      expect(JSON.parse(run.stdout).packages[0].findings.map((f: { code: string }) => f.code)).toEqual(['TARBALL_DIGEST_MISMATCH']);
      const control = await runCli(['check', path, '--registry', swapped.url, '--trusted-root', trustedRoot, '--now', NOW, '--cache', join(path, 'cache-2'), '--json']);
      expect(control.code).toBe(0);
    } finally {
      await swapped.close();
    }
  });

  it('a failing strict run writes the report, no manifest, and removes the manifest an earlier run left', async () => {
    const [first, ...rest] = scenario.packages;
    if (!first) throw new Error('no package');
    const path = await project('fail');
    expect((await check(path, '--cache', join(path, 'cache'))).code).toBe(0);
    expect(await exists(join(path, 'sri-manifest.json'))).toBe(true);

    await writeLockfileProject(path, [{ ...first, integrity: `sha512-${Buffer.alloc(64, 9).toString('base64')}` }, ...rest]);
    const run = await check(path, '--cache', join(path, 'cache'));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/stale .*sri-manifest\.json was removed/);
    expect(await exists(join(path, 'sri-manifest.json'))).toBe(false);
    const report = JSON.parse(await readFile(join(path, 'verify-deps-report.json'), 'utf8'));
    expect(validateReport(report)).toBe(true);
    expect(report.verdict).toBe('fail');
    expect(report.packages.find((p: { name: string }) => p.name === first.name).findings.map((f: { code: string }) => f.code)).toContain('INTEGRITY_MISMATCH');
  });

  it('two runs with the same inputs and --now, the second from a warm cache, write byte-identical reports', async () => {
    const path = await project('deterministic');
    const cache = join(path, 'cache');
    await check(path, '--cache', cache, '--report', join(path, 'first.json'));
    registry.resetLog();
    await check(path, '--cache', cache, '--report', join(path, 'second.json'));
    expect(registry.requests.filter((r) => r.path.startsWith('/-/npm/v1/attestations/'))).toEqual([]);
    expect(await readFile(join(path, 'second.json'), 'utf8')).toBe(await readFile(join(path, 'first.json'), 'utf8'));
  });

  it('--vsa writes a SLSA VSA v1.0: the lockfile as subject, URIs whose bytes hash to the digests recorded', async () => {
    const path = await project('vsa');
    const run = await check(path, '--cache', join(path, 'cache'), '--vsa', join(path, 'vsa.json'));
    expect(run.code, run.stderr).toBe(0);
    const vsa = JSON.parse(await readFile(join(path, 'vsa.json'), 'utf8'));
    expect(validateVsa(vsa)).toEqual([]);
    expect(vsa.predicate.verificationResult).toBe('PASSED');
    expect(vsa.predicate.verifiedLevels).toEqual(['SLSA_BUILD_LEVEL_0']);
    expect(vsa.predicate.timeVerified).toBe(NOW.replace('Z', '.000Z'));
    // The subject is the lockfile, and resourceUri names exactly those bytes.
    const lockfile = join(path, 'package-lock.json');
    expect(vsa.subject).toEqual([{ name: 'package-lock.json', digest: { sha256: sha256Of(await readFile(lockfile)) } }]);
    expect(vsa.predicate.resourceUri).toBe(pathToFileURL(lockfile).href);
    // The policy's uri is a file whose raw bytes hash to its digest.
    expect(vsa.predicate.policy.uri).toMatch(/^file:/);
    expect(sha256Of(await readFile(fileURLToPath(vsa.predicate.policy.uri)))).toBe(vsa.predicate.policy.digest.sha256);
    // The dependencies: every package verified, counted once.
    const dependencies = vsa.predicate['https://github.com/verify-deps/verify-deps/vsa/verifiedDependencies'] as Array<{ name: string; digest: { sha512: string } }>;
    expect(dependencies.map((d) => d.name).sort()).toEqual(['pkg:npm/%40scope/beta@2.0.0', 'pkg:npm/alpha@1.0.0', 'pkg:npm/gamma@3.1.4']);
    for (const dependency of dependencies) expect(dependency.digest.sha512).toMatch(/^[0-9a-f]{128}$/);
    expect(Object.values(vsa.predicate.dependencyLevels as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(3);
    expect(vsa.predicate.inputAttestations.length).toBe(scenario.attested.size * 2);
    for (const input of vsa.predicate.inputAttestations) expect(input).not.toHaveProperty('uri');
  });

  it('--vsa in a GitHub Actions job names the lockfile in the repository at the commit', async () => {
    const path = await project('vsa-github');
    const sha = 'c'.repeat(40);
    const env = { GITHUB_ACTIONS: 'true', GITHUB_SERVER_URL: 'https://github.example', GITHUB_REPOSITORY: 'acme/app', GITHUB_SHA: sha, GITHUB_WORKSPACE: dir };
    const run = await runCli(['check', path, '--registry', registry.url, '--trusted-root', trustedRoot, '--now', NOW, '--vsa', join(path, 'vsa.json')], { env });
    expect(run.code, run.stderr).toBe(0);
    const vsa = JSON.parse(await readFile(join(path, 'vsa.json'), 'utf8'));
    expect(vsa.predicate.resourceUri).toBe(`https://github.example/acme/app/blob/${sha}/vsa-github/package-lock.json`);
    expect(validateVsa(vsa)).toEqual([]);
  });

  it('the written VSA is exactly what a DSSE signer signs: signed as cosign attest-blob or actions/attest would, verify-bundle verifies it against the lockfile', async () => {
    const path = await project('vsa-signed');
    const vsaFile = join(path, 'vsa.json');
    await check(path, '--cache', join(path, 'cache'), '--vsa', vsaFile);
    // The signer's side of the recipe: the statement file's bytes are the DSSE payload.
    const identity = githubActionsIdentity({ repository: 'acme/app', workflowPath: '.github/workflows/ci.yml', ref: 'refs/heads/main' });
    const bundle = signDsseBundle(await readFile(vsaFile), { kind: 'certificate', leaf: pki.ca.issueLeaf({ identity }) }, pki.tlog, { version: '0.3' });
    const bundleFile = join(path, 'vsa.sigstore.json');
    await writeFile(bundleFile, JSON.stringify(bundle));
    const verify = (artifact: string) =>
      runCli(['verify-bundle', '--bundle', bundleFile, '--certificate-identity', identity.san, '--certificate-oidc-issuer', identity.issuer, '--trusted-root', trustedRoot, artifact]);
    const lockfile = join(path, 'package-lock.json');
    const verified = await verify(lockfile);
    expect(verified.code, verified.stderr).toBe(0);
    // A lockfile changed after the gate judged it is not what the VSA speaks for.
    await writeFile(lockfile, `${(await readFile(lockfile, 'utf8')).trimEnd()}\n\n`);
    const changed = await verify(lockfile);
    expect(changed.code).toBe(1);
    expect(changed.stderr).toMatch(/SUBJECT_DIGEST_MISMATCH/);
  });

  it('ledger verify passes on three runs and names the record after a byte change, a deletion and a swap', async () => {
    const path = await project('ledger');
    const ledger = join(path, 'ledger');
    for (let i = 0; i < 3; i++) await check(path, '--cache', join(path, 'cache'), '--ledger', ledger);
    const intact = await runCli(['ledger', 'verify', ledger]);
    expect(intact.code).toBe(0);
    expect(intact.stderr).toMatch(/3 records/);
    const records = (await readdir(ledger)).filter((f) => f.endsWith('.json')).sort();
    expect(records).toHaveLength(3);
    const [r1, r2, r3] = records as [string, string, string];
    const copy = join(path, 'ledger-copy');

    const broken = async (damage: (at: string) => Promise<void>) => {
      await rm(copy, { recursive: true, force: true });
      await import('node:fs/promises').then((fs) => fs.cp(ledger, copy, { recursive: true }));
      await damage(copy);
      return runCli(['ledger', 'verify', copy]);
    };
    const edited = await broken(async (at) => {
      const bytes = await readFile(join(at, r2));
      bytes.writeUInt8(bytes.readUInt8(bytes.length - 5) ^ 1, bytes.length - 5);
      await writeFile(join(at, r2), bytes);
    });
    expect(edited.code).toBe(1);
    expect(edited.stderr).toContain(r2);

    const deleted = await broken((at) => rm(join(at, r2)));
    expect(deleted.code).toBe(1);
    expect(deleted.stderr).toMatch(/missing|broken-link/);

    const swapped = await broken(async (at) => {
      await rename(join(at, r2), join(at, 'tmp'));
      await rename(join(at, r3), join(at, r2));
      await rename(join(at, 'tmp'), join(at, r3));
    });
    expect(swapped.code).toBe(1);
    expect(swapped.stderr).toMatch(/reordered|modified|broken-link/);
    expect(r1).toBeDefined();
  });
});

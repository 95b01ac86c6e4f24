import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import cacache from 'cacache';
import ssri from 'ssri';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComplianceReport } from '../../src/report/report.generated.js';
import { createTestPki, mutate, startFixtureRegistry, syntheticScenario, type FixtureRegistry } from '../support/index.js';
import { writeLockfileProject, type LockfilePackage } from '../support/lockfile-project.js';
import { rulesPolicy } from '../support/policy-kit.js';
import { runCli } from '../support/run-cli.js';
import { serveScenario } from '../support/serve-scenario.js';

const NOW = '2026-11-23T00:00:00Z';
type PackageJson = ComplianceReport['packages'][number];

// A lockfile written by npm 6 or earlier pins old packages with sha1 only, which no registry signs
// or attests. Such a package is bound to its evidence through its tarball: the bytes must match the
// sha1 pin, and their sha512 is what the registry signature and provenance are verified against.
describe('a lockfile pin of sha1 only (INTEGRITY_WEAK_PIN)', () => {
  const pki = createTestPki({ registryKeyValidFrom: new Date('2020-01-01T00:00:00Z') });
  const scenario = syntheticScenario(pki, [{ name: 'old-timer', version: '1.0.0' }], { provenanceShare: 1, seed: 'weak-pin', attestation: { time: new Date('2026-11-01T12:00:00Z') } });
  const served = scenario.packages[0];
  if (served?.tarball === undefined) throw new Error('no tarball');
  const tarball = served.tarball;
  const sha1Pin = ssri.fromData(tarball, { algorithms: ['sha1'] }).toString();
  const sha512 = served.integrity;
  const pinned: LockfilePackage = { name: served.name, version: served.version, integrity: sha1Pin };
  const tarballPath = /^\/old-timer\/-\//;
  let registry: FixtureRegistry;
  let dir: string;
  let trustedRoot: string;
  let cleanup: () => Promise<void>;
  let count = 0;

  // Each run gets its own project, verify-deps cache and npm cache (nothing shared between tests).
  const project = async (packages: readonly LockfilePackage[] = [pinned], policy?: object): Promise<{ path: string; env: NodeJS.ProcessEnv }> => {
    const path = join(dir, `project-${count++}`);
    await mkdir(path);
    await writeLockfileProject(path, packages);
    if (policy !== undefined) await writeFile(join(path, 'policy.json'), JSON.stringify(policy));
    return { path, env: { npm_config_cache: join(path, 'npm-cache') } };
  };
  const check = (at: { path: string; env: NodeJS.ProcessEnv }, url: string, ...extra: string[]) =>
    runCli(['check', at.path, '--registry', url, '--trusted-root', trustedRoot, '--now', NOW, '--cache', join(at.path, 'cache'), '--json', ...extra], { env: at.env });
  const only = (stdout: string): PackageJson => {
    const pkg = (JSON.parse(stdout) as ComplianceReport).packages[0];
    if (pkg === undefined) throw new Error(`no package in ${stdout.slice(0, 200)}`);
    return pkg;
  };
  const codes = (pkg: PackageJson) => pkg.findings.map((f) => [f.code, f.enforcement]);

  beforeAll(async () => {
    ({ dir, trustedRoot, registry, cleanup } = await serveScenario(pki, scenario));
  });
  afterAll(() => cleanup());

  it('passes with a warning when the downloaded tarball matches the pin: signature and provenance verified over its sha512', async () => {
    const at = await project();
    registry.resetLog();
    const run = await check(at, registry.url);
    expect(run.code, run.stderr).toBe(0);
    const pkg = only(run.stdout);
    expect(codes(pkg)).toEqual([['INTEGRITY_WEAK_PIN', 'audit']]);
    expect(pkg.findings[0]?.details).toEqual({ lockfile: sha1Pin, boundThrough: 'download', bound: sha512 });
    expect(pkg.evidence?.boundThrough).toBe('download');
    expect(pkg.evidence?.boundIntegrity).toBe(sha512);
    expect(pkg.evidence?.registrySignature.status).toBe('verified');
    expect(pkg.evidence?.attestations.map((a) => a.status)).toEqual(['verified', 'verified']);
    expect(pkg.verification).toEqual({ verified: true, verifiedBy: ['registry-signature', 'attestation'], reasons: [] });
    expect(registry.count(tarballPath)).toBe(1);
    // The manifest lists the digest that was verified, and names the weaker pin beside it.
    const manifest = JSON.parse(await readFile(join(at.path, 'sri-manifest.json'), 'utf8'));
    expect(manifest.packages).toEqual([{ name: 'old-timer', version: '1.0.0', integrity: sha512, lockfileIntegrity: sha1Pin, rehashed: sha512 }]);
  });

  it('--rehash takes the same download as its re-hash (no second request, no mismatch against a sha512 the lockfile lacks)', async () => {
    const at = await project();
    registry.resetLog();
    const run = await check(at, registry.url, '--rehash');
    expect(run.code, run.stderr).toBe(0);
    expect(codes(only(run.stdout))).toEqual([['INTEGRITY_WEAK_PIN', 'audit']]);
    expect(registry.count(tarballPath)).toBe(1);
  });

  it('fails as tampering when the served tarball does not match the sha1 pin, whatever the registry signed', async () => {
    const other = ssri.fromData(Buffer.from('other bytes'), { algorithms: ['sha1'] }).toString();
    const at = await project([{ ...pinned, integrity: other }]);
    const run = await check(at, registry.url);
    expect(run.code).toBe(1);
    const pkg = only(run.stdout);
    expect(codes(pkg)).toEqual([['TARBALL_DIGEST_MISMATCH', 'strict']]);
    expect(pkg.verification.verified).toBe(false);
  });

  it('fails when the registry serves other bytes than the pinned ones (signed anew for them)', async () => {
    const forged = Buffer.concat([tarball, Buffer.from('tail')]);
    const resigned = { integrity: ssri.fromData(forged, { algorithms: ['sha512'] }).toString() };
    const swapped = await startFixtureRegistry({
      ...mutate.withPackage(scenario, served.name, served.version, { tarball: forged, ...resigned, signatures: [pki.signPackage(served.name, served.version, resigned.integrity)] }),
      keys: pki.npmKeys(),
    });
    try {
      const run = await check(await project(), swapped.url);
      expect(run.code).toBe(1);
      expect(codes(only(run.stdout))).toEqual([['TARBALL_DIGEST_MISMATCH', 'strict']]);
    } finally {
      await swapped.close();
    }
  });

  it('refuses a tarball over the size bound on its declared length (INPUT_TOO_LARGE)', async () => {
    const remove = registry.addFault(tarballPath, { declaredLength: 600 * 1024 * 1024 });
    try {
      const run = await check(await project(), registry.url);
      expect(run.code).toBe(1);
      expect(codes(only(run.stdout))).toEqual([['INPUT_TOO_LARGE', 'strict']]);
    } finally {
      remove();
    }
  });

  it('fails under a policy that denies weak pins (weakIntegrity: "deny")', async () => {
    const policy = rulesPolicy([{ name: 'every package', match: { package: '*' } }], { weakIntegrity: 'deny' });
    const at = await project([pinned], policy);
    const run = await check(at, registry.url, '--policy', join(at.path, 'policy.json'));
    expect(run.code).toBe(1);
    const pkg = only(run.stdout);
    expect(codes(pkg)).toEqual([['INTEGRITY_WEAK_PIN', 'strict']]);
    expect(pkg.verification.verified).toBe(false);
    expect(JSON.parse(run.stdout).verdict).toBe('fail');
  });

  it('--offline reuses this machine\'s own result (its MAC vouches for the computed sha512) with no request', async () => {
    const at = await project();
    expect((await check(at, registry.url)).code).toBe(0);
    registry.resetLog();
    const run = await check(at, registry.url, '--offline');
    expect(run.code, run.stderr).toBe(0);
    const pkg = only(run.stdout);
    expect(codes(pkg)).toEqual([['INTEGRITY_WEAK_PIN', 'audit']]);
    expect(pkg.evidence?.boundIntegrity).toBe(sha512);
    expect(registry.requests).toEqual([]);
  });

  it('--offline without a result this machine vouches for needs the tarball: OFFLINE_CACHE_MISS, unless npm\'s cache holds it', async () => {
    const at = await project();
    expect((await check(at, registry.url)).code).toBe(0);
    // Another machine's result key: the cached result (and its sha512) is not taken; the
    // evidence is, and is verified again, which needs the bytes.
    const elsewhere = { ...at.env, VERIFY_DEPS_STATE_DIR: join(at.path, 'other-state') };
    registry.resetLog();
    const miss = await check({ ...at, env: elsewhere }, registry.url, '--offline');
    expect(miss.code).toBe(3);
    expect(codes(only(miss.stdout))).toEqual([['OFFLINE_CACHE_MISS', 'strict']]);
    expect(registry.requests).toEqual([]);

    // npm's cache, content-addressed by the sha1 pin, holds the tarball: bound through its bytes.
    await cacache.put(join(at.path, 'npm-cache', '_cacache'), `make-fetch-happen:request-cache:${registry.url}/old-timer/-/old-timer-1.0.0.tgz`, tarball, { algorithms: ['sha1'] });
    const hit = await check({ ...at, env: { ...elsewhere, VERIFY_DEPS_STATE_DIR: join(at.path, 'third-state') } }, registry.url, '--offline');
    expect(hit.code, hit.stderr).toBe(0);
    const pkg = only(hit.stdout);
    expect(codes(pkg)).toEqual([['INTEGRITY_WEAK_PIN', 'audit']]);
    expect(pkg.evidence?.boundIntegrity).toBe(sha512);
    expect(registry.requests).toEqual([]);
  });

  it('a sha512 planted beside stored evidence is never an anchor: the lockfile\'s forged pin is checked', async () => {
    const at = await project([{ ...pinned, integrity: sha512 }]);
    const stateDir = join(at.path, 'state');
    const env = { ...at.env, VERIFY_DEPS_STATE_DIR: stateDir };
    expect((await check({ ...at, env }, registry.url)).code).toBe(0);
    // The cache copied under the pin of other bytes, its evidence claiming the genuine sha512 as
    // the digest its tarball was bound to.
    const forged = ssri.fromData(Buffer.from('other bytes'), { algorithms: ['sha512'] }).toString();
    await plantBoundIntegrity(join(at.path, 'cache', 'evidence'), sha512, forged);
    await writeLockfileProject(at.path, [{ ...pinned, integrity: forged }]);
    const run = await check({ ...at, env }, registry.url, '--offline');
    // Failed (or incomplete: the offline run lacks the version history the forged pin's failure
    // asks for), never passed.
    expect([1, 3]).toContain(run.code);
    expect(codes(only(run.stdout)).map(([code]) => code)).toContain('INTEGRITY_MISMATCH');
  });
});

// Rewrites the cache with cacache's own API: each stored evidence gets a boundIntegrity, and each
// JSON member whose name holds the genuine integrity is copied under the forged one, its evidence
// pointing into the rewritten pack.
async function plantBoundIntegrity(cacheDir: string, genuine: string, forged: string): Promise<void> {
  const plant = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(plant);
    if (typeof value !== 'object' || value === null) return value;
    const copy: Record<string, unknown> = {};
    for (const [name, member] of Object.entries(value)) {
      copy[name] = plant(member);
      if (name.includes(genuine)) copy[name.replaceAll(genuine, forged)] = plant(member);
    }
    if ('lockfileIntegrity' in copy) copy.boundIntegrity = genuine;
    return copy;
  };
  const entries = Object.entries(await cacache.ls(cacheDir));
  const packs = new Map<string, string>();
  for (const [key, entry] of entries.filter(([key]) => key.startsWith('verify-deps:evidence-pack:'))) {
    const text = (await cacache.get(cacheDir, key)).data.toString('utf8');
    packs.set(String(entry.integrity), String(await cacache.put(cacheDir, key, JSON.stringify(plant(JSON.parse(text))))));
  }
  for (const [key] of entries.filter(([key]) => key.startsWith('verify-deps:index:'))) {
    let text = (await cacache.get(cacheDir, key)).data.toString('utf8');
    for (const [before, after] of packs) text = text.replaceAll(before, after);
    await cacache.put(cacheDir, key, JSON.stringify(plant(JSON.parse(text))));
  }
}

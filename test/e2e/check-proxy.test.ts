import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, startFixtureRegistry, syntheticScenario, type FixtureRegistry, type ScenarioPackage } from '../support/index.js';
import { makeTempDir } from '../support/fixture-project.js';
import { writeLockfileProject } from '../support/lockfile-project.js';
import type { PolicyReportJson } from '../support/policy-kit.js';
import { createRegistryKey, npmKeysDocument } from '../support/registry-key.js';
import { runCli } from '../support/run-cli.js';
import { startTestTufMirror, type TufMirror } from '../support/tuf-mirror.js';

const NOW = '2026-11-23T00:00:00Z';
const PROXY_TOKEN = 'proxy-token-for-the-proxy-only';
const ATTESTATIONS_TOKEN = 'attestations-token-for-that-host-only';
// Only the project's .npmrc speaks (no user or global config, no registry from the environment).
const ISOLATED = (dir: string): NodeJS.ProcessEnv => ({
  CI: 'true',
  npm_config_userconfig: join(dir, 'no-user-npmrc'),
  npm_config_globalconfig: join(dir, 'no-global-npmrc'),
  npm_config_registry: undefined,
  NPM_CONFIG_REGISTRY: undefined,
});

// A company's proxy of registry.npmjs.org (Artifactory, Nexus, Verdaccio with an uplink): it
// publishes no keys of its own (/-/npm/v1/keys 404) and passes npm's dist.signatures through, and
// often serves no attestations. npm's keys come from a TUF mirror on 127.0.0.1 whose
// registry.npmjs.org/keys.json holds the test registry key, exactly as a real run takes npm's keys
// from Sigstore's TUF repository.
describe('a proxy of registry.npmjs.org', () => {
  const pki = createTestPki({ registryKeyValidFrom: new Date('2020-01-01T00:00:00Z') });
  const stray = createRegistryKey({ validFrom: new Date('2020-01-01T00:00:00Z') });
  const built = syntheticScenario(
    pki,
    ['pa', 'pb', 'pc'].map((name) => ({ name, version: '1.0.0' })),
    { provenanceShare: 1, attestation: { time: new Date('2026-11-01T12:00:00Z') } },
  );
  const [attested, signedOnly, strayShell] = built.packages as [ScenarioPackage, ScenarioPackage, ScenarioPackage];
  // pa: npm's signature and attestations; pb: npm's signature alone; pc: signed by a key that is
  // neither npm's nor the registry's.
  const pa = attested;
  const pb: ScenarioPackage = { ...signedOnly, attestations: undefined };
  const pc: ScenarioPackage = { ...strayShell, attestations: undefined, signatures: [pki.signPackage(strayShell.name, strayShell.version, strayShell.integrity, stray)] };
  let mirror: TufMirror;
  // Advertises pa's attestations but 404s them; strips dist.attestations; serves attestations.
  let advertising: FixtureRegistry;
  let stripping: FixtureRegistry;
  let attestationsHost: FixtureRegistry;
  let dir: string;
  let cleanup: () => Promise<void>;

  const project = async (label: string, packages: ScenarioPackage[], npmrc: string[] = []): Promise<string> => {
    const path = join(dir, label);
    await mkdir(path);
    await writeLockfileProject(path, packages);
    await writeFile(join(path, '.npmrc'), npmrc.map((line) => `${line}\n`).join(''));
    mirror.primeCache(join(path, 'cache'));
    return path;
  };
  const check = async (path: string, registry: FixtureRegistry, extra: string[] = []) => {
    const result = await runCli(['check', path, '--registry', registry.url, '--tuf-mirror', mirror.url, '--cache', join(path, 'cache'), '--now', NOW, '--json', ...extra], { env: ISOLATED(dir) });
    return { result, report: JSON.parse(result.stdout) as PolicyReportJson };
  };
  const codesOf = (report: PolicyReportJson) => Object.fromEntries(report.packages.map((p) => [p.name, p.findings.map((f) => f.code)]));
  const byName = (report: PolicyReportJson, name: string) => report.packages.find((p) => p.name === name);
  const tokenLine = (registry: FixtureRegistry, token: string) => `//${new URL(registry.url).host}/:_authToken=${token}`;
  const authorizations = (registry: FixtureRegistry) => new Set(registry.requests.map((r) => r.headers.authorization));

  beforeAll(async () => {
    ({ dir, cleanup } = await makeTempDir());
    mirror = await startTestTufMirror(pki);
    advertising = await startFixtureRegistry({ packages: [pa, pb, pc], keys: null });
    advertising.addFault(/^\/-\/npm\/v1\/attestations\//, { status: 404 });
    stripping = await startFixtureRegistry({ packages: [{ ...pa, attestations: undefined }, pb, pc], keys: null });
    attestationsHost = await startFixtureRegistry({ packages: [pa, pb, pc], keys: null });
  });
  afterAll(async () => {
    await Promise.all([mirror.close(), advertising.close(), stripping.close(), attestationsHost.close()]);
    await cleanup();
  });

  it("verifies npm's signatures it passes through with npm's keys, says so, and fails a signature by any other key (UNKNOWN_KEY)", async () => {
    const path = await project('signatures', [pa, pb, pc]);
    const { result, report } = await check(path, stripping);
    expect(report.trustedRoot?.origin).toBe('tuf-refreshed');
    expect(report.registries).toEqual([{ url: `${stripping.url}/`, keysOrigin: 'none', publishesKeys: false, npmKeysOrigin: 'tuf-refreshed' }]);
    expect(codesOf(report)).toEqual({ pa: [], pb: [], pc: ['UNKNOWN_KEY', 'NO_EVIDENCE'] });
    expect(byName(report, 'pa')?.verification).toMatchObject({ verified: true, verifiedBy: ['registry-signature'] });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("npm's keys from Sigstore's TUF repository for the signatures it passes through");
  });

  it('fetches the attestations it advertises but 404s from --attestations-registry; each token goes to its own host only', async () => {
    const path = await project('flag', [pa, pb], [tokenLine(advertising, PROXY_TOKEN), tokenLine(attestationsHost, ATTESTATIONS_TOKEN)]);
    advertising.resetLog();
    attestationsHost.resetLog();
    const { result, report } = await check(path, advertising, ['--attestations-registry', attestationsHost.url]);
    expect(codesOf(report)).toEqual({ pa: [], pb: [] });
    expect(byName(report, 'pa')?.evidence?.attestations.map((a) => a.status)).toEqual(['verified', 'verified']);
    expect(byName(report, 'pa')?.verification.verifiedBy).toEqual(['registry-signature', 'attestation']);
    expect(result.code).toBe(0);
    expect(attestationsHost.count('/-/npm/v1/attestations/pa@1.0.0')).toBe(1);
    expect(authorizations(advertising)).toEqual(new Set([`Bearer ${PROXY_TOKEN}`]));
    expect(authorizations(attestationsHost)).toEqual(new Set([`Bearer ${ATTESTATIONS_TOKEN}`]));
  });

  it(".npmrc's verify-deps-attestations:registry asks it even when the proxy strips dist.attestations, but never about a package npm did not sign", async () => {
    const path = await project('npmrc', [pa, pb, pc], [`verify-deps-attestations:registry=${attestationsHost.url}/`]);
    attestationsHost.resetLog();
    const { report } = await check(path, stripping);
    expect(codesOf(report)).toEqual({ pa: [], pb: [], pc: ['UNKNOWN_KEY', 'NO_EVIDENCE'] });
    expect(byName(report, 'pa')?.evidence?.attestations.map((a) => a.status)).toEqual(['verified', 'verified']);
    // pb has none: the attestations registry's 404 means none.
    expect(byName(report, 'pb')?.evidence?.attestations).toEqual([]);
    expect(attestationsHost.count(/^\/-\/npm\/v1\/attestations\/pc@/)).toBe(0);
    expect(attestationsHost.count(/^\/-\/npm\/v1\/attestations\/pb@/)).toBe(1);
  });

  it('attestations advertised that neither the proxy nor the attestations registry serves fail closed (FETCH_FAILED)', async () => {
    const path = await project('neither', [pa, pb]);
    // The stripping proxy serves no attestations at all: as an attestations registry it 404s.
    const { result, report } = await check(path, advertising, ['--attestations-registry', stripping.url]);
    expect(codesOf(report)).toEqual({ pa: ['FETCH_FAILED'], pb: [] });
    expect(result.code).toBe(3);
  });
});

// A registry with keys of its own still has its signatures checked with them; npm's keys are
// accepted beside them (what npm signed is checked against the lockfile's integrity wherever it is
// served), and a key it lists under one of npm's keyids is not taken for npm's.
describe('a registry that publishes its own keys', () => {
  const pki = createTestPki({ registryKeyValidFrom: new Date('2020-01-01T00:00:00Z') });
  const validFrom = new Date('2020-01-01T00:00:00Z');
  const own = createRegistryKey({ validFrom });
  const npmKeyid = pki.tufKeys().keys.find((key) => key.keyUsage === 'npm:signatures')?.keyId as string;
  const impostor = { ...createRegistryKey({ validFrom }), keyid: npmKeyid };
  const built = syntheticScenario(pki, ['oa', 'ob', 'oc'].map((name) => ({ name, version: '1.0.0' })), { provenanceShare: 0 });
  const [oa, ob, oc] = built.packages as [ScenarioPackage, ScenarioPackage, ScenarioPackage];
  let mirror: TufMirror;
  let registry: FixtureRegistry;
  let dir: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ dir, cleanup } = await makeTempDir());
    mirror = await startTestTufMirror(pki);
    const packages = [
      oa,
      { ...ob, signatures: [pki.signPackage(ob.name, ob.version, ob.integrity, own)] },
      { ...oc, signatures: [pki.signPackage(oc.name, oc.version, oc.integrity, impostor)] },
    ];
    registry = await startFixtureRegistry({ packages, keys: npmKeysDocument([own, impostor]) });
  });
  afterAll(async () => {
    await Promise.all([mirror.close(), registry.close()]);
    await cleanup();
  });

  it("verifies its own key's and npm's signatures; its key under npm's keyid does not verify (SIGNATURE_INVALID)", async () => {
    const path = join(dir, 'own');
    await mkdir(path);
    await writeLockfileProject(path, built.packages);
    mirror.primeCache(join(path, 'cache'));
    const result = await runCli(['check', path, '--registry', registry.url, '--tuf-mirror', mirror.url, '--cache', join(path, 'cache'), '--now', NOW, '--json'], { env: ISOLATED(dir) });
    const report = JSON.parse(result.stdout) as PolicyReportJson;
    expect(report.registries).toEqual([{ url: `${registry.url}/`, keysOrigin: 'registry', publishesKeys: true, npmKeysOrigin: 'tuf-refreshed' }]);
    expect(Object.fromEntries(report.packages.map((p) => [p.name, p.findings.map((f) => f.code)]))).toEqual({ oa: [], ob: [], oc: ['SIGNATURE_INVALID'] });
    expect(result.code).toBe(1);
  });
});

// npm's `audit signatures` reads a keys endpoint answering 400 as "no keys", as it reads 404.
describe('a registry whose keys endpoint answers 400', () => {
  const pki = createTestPki();
  const built = syntheticScenario(pki, [{ name: 'ka', version: '1.0.0' }], { provenanceShare: 0, sign: false });
  let registry: FixtureRegistry;
  let dir: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ dir, cleanup } = await makeTempDir());
    registry = await startFixtureRegistry({ ...built, keys: pki.npmKeys() });
    registry.addFault('/-/npm/v1/keys', { status: 400 });
  });
  afterAll(async () => {
    await registry.close();
    await cleanup();
  });

  it('publishes no keys: with no evidence its package fails closed (NO_EVIDENCE)', async () => {
    const path = join(dir, 'keys-400');
    await mkdir(path);
    await writeLockfileProject(path, built.packages);
    const trustedRoot = join(dir, 'trusted_root.json');
    await pki.writeTrustedRoot(trustedRoot);
    const result = await runCli(['check', path, '--registry', registry.url, '--trusted-root', trustedRoot, '--cache', join(path, 'cache'), '--now', NOW, '--json'], { env: ISOLATED(dir) });
    const report = JSON.parse(result.stdout) as PolicyReportJson;
    expect(report.registries).toMatchObject([{ keysOrigin: 'none', publishesKeys: false }]);
    expect(report.packages.map((p) => p.findings.map((f) => f.code))).toEqual([['NO_EVIDENCE']]);
    expect(result.code).toBe(1);
  });
});

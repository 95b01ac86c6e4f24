import crypto from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { NPM_PUBLISH_V01, SLSA_PROVENANCE_V1, npmPurl, sha512HexOfIntegrity } from './attestations.js';
import { listLockfilePackages, signablePackages } from './lockfile-packages.js';
import { copyFixtureProject, type LockfileFixture } from './fixture-project.js';
import { decodeStatement } from './mutate.js';
import { createTestPki } from './pki.js';
import { registrySignedMessage } from './registry-key.js';
import { lockfileScenario, selectionFraction, syntheticScenario } from './scenario.js';
import { verifyBundleJson } from './sigstore-verify.js';
import { npmjsTarballUrl } from './public-urls.js';

const lockfileDir = (name: string) => fileURLToPath(new URL(`../fixtures/lockfiles/${name}/`, import.meta.url));
const pki = createTestPki();

describe('lockfile scenarios', () => {
  test('every registry package is signed, a deterministic share is attested with the lockfile integrity', async () => {
    const dir = lockfileDir('firepit-standalone');
    const scenario = await lockfileScenario(pki, dir, { provenanceShare: 0.25, seed: 's1' });
    const expected = signablePackages(await listLockfilePackages(dir));
    expect(scenario.packages).toHaveLength(expected.length);
    expect(scenario.packages.length).toBeGreaterThan(100);
    const [npmKey] = pki.npmKeys().keys;
    const publicKey = crypto.createPublicKey({ key: Buffer.from(npmKey?.key ?? '', 'base64'), format: 'der', type: 'spki' });
    for (const p of scenario.packages) {
      const sig = p.signatures?.[0];
      expect(sig?.keyid).toBe(npmKey?.keyid);
      const msg = Buffer.from(registrySignedMessage(p.name, p.version, p.integrity));
      expect(crypto.verify('sha256', msg, publicKey, Buffer.from(sig?.sig ?? '', 'base64'))).toBe(true);
      expect(p.tarball).toBeUndefined();
      expect(scenario.attested.has(`${p.name}@${p.version}`)).toBe(selectionFraction('s1', p.name, p.version) < 0.25);
    }
    const share = scenario.attested.size / scenario.packages.length;
    expect(share).toBeGreaterThan(0.1);
    expect(share).toBeLessThan(0.4);
    const again = await lockfileScenario(pki, dir, { provenanceShare: 0.25, seed: 's1', sign: false });
    expect([...again.attested]).toEqual([...scenario.attested]);

    const attested = scenario.packages.find((p) => p.attestations);
    const doc = attested?.attestations;
    expect(doc?.attestations.map((a) => a.predicateType)).toEqual([SLSA_PROVENANCE_V1, NPM_PUBLISH_V01]);
    for (const a of doc?.attestations ?? []) {
      const st = decodeStatement(a.bundle);
      expect(st.subject).toEqual([{ name: npmPurl(attested?.name ?? '', attested?.version ?? ''), digest: { sha512: sha512HexOfIntegrity(attested?.integrity ?? '') } }]);
      verifyBundleJson(a.bundle, pki.trustedRoot(), { keys: pki.tufKeys() });
    }
  });

  test('lists signable packages of every real lockfile (v1, v2, v3; workspaces, aliases, bundled deps)', async () => {
    const index = JSON.parse(await readFile(new URL('../fixtures/lockfiles/index.json', import.meta.url), 'utf8')) as Array<{ name: string }>;
    expect(index).toHaveLength(12);
    for (const { name } of index) {
      const { dir, cleanup } = await copyFixtureProject(name as LockfileFixture);
      const packages = signablePackages(await listLockfilePackages(dir));
      await cleanup();
      expect(packages.length, name).toBeGreaterThan(10);
      for (const p of packages) expect(p.integrity).toMatch(/sha512-/);
    }
  });

  test('a large lockfile builds (npm-cli, ~1200 packages, 20 % attested)', async () => {
    const scenario = await lockfileScenario(pki, lockfileDir('npm-cli-10.9.0'), { provenanceShare: 0.2 });
    expect(scenario.attested.size).toBeGreaterThan(100);
  });

  test('a tiny hand-made lockfile, placeholder tarballs do not match the lockfile integrity', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'verify-deps-lock-'));
    try {
      const integrity = `sha512-${crypto.createHash('sha512').update('not the tarball').digest('base64')}`;
      await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'root', version: '1.0.0', dependencies: { a: '1.0.0' } }));
      await writeFile(
        join(dir, 'package-lock.json'),
        JSON.stringify({
          name: 'root',
          lockfileVersion: 3,
          requires: true,
          packages: {
            '': { name: 'root', version: '1.0.0', dependencies: { a: '1.0.0', g: 'github:x/g' } },
            'node_modules/a': { version: '1.0.0', resolved: npmjsTarballUrl('a', '1.0.0'), integrity },
            'node_modules/g': { version: '1.0.0', resolved: 'git+ssh://git@github.com/x/g.git#0123456789abcdef0123456789abcdef01234567' },
          },
        }),
      );
      expect((await listLockfilePackages(dir)).map((p) => [p.name, p.source])).toEqual([['a', 'registry'], ['g', 'git']]);
      const scenario = await lockfileScenario(pki, dir, { provenanceShare: 1, placeholderTarballs: true });
      expect(scenario.packages.map((p) => p.name)).toEqual(['a']);
      const [a] = scenario.packages;
      expect(a?.integrity).toBe(integrity);
      expect(`sha512-${crypto.createHash('sha512').update(a?.tarball ?? Buffer.alloc(0)).digest('base64')}`).not.toBe(integrity);
      expect(scenario.attested.has('a@1.0.0')).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('synthetic scenarios', () => {
  test('generated tarballs carry their real integrity; share 0 means no attestations', () => {
    const scenario = syntheticScenario(pki, [{ name: '@s/a', version: '1.0.0' }, { name: 'b', version: '0.1.0' }], { provenanceShare: 0 });
    expect(scenario.attested.size).toBe(0);
    for (const p of scenario.packages) {
      expect(p.integrity).toBe(`sha512-${crypto.createHash('sha512').update(p.tarball ?? Buffer.alloc(0)).digest('base64')}`);
      expect(p.attestations).toBeUndefined();
    }
  });
});

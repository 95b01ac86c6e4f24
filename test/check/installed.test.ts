import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import cacache from 'cacache';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkInstalledPackage, type InstalledDeps } from '../../src/check/installed.js';
import type { RegistryHttp } from '../../src/registry/http.js';
import type { VersionManifest } from '../../src/registry/manifest.js';
import { makeTempDir } from '../support/fixture-project.js';
import { makeTarball, sha512Integrity } from '../support/tarball.js';
import { ref } from '../policy/_helpers.js';

// checkInstalledPackage against npm's cache (cacache) and a laid-out node_modules, no registry:
// what is the package's content, what belongs to other lockfile entries, and how much is named.
describe('checkInstalledPackage', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ dir, cleanup } = await makeTempDir()));
  afterAll(async () => cleanup());

  // A project whose npm cache holds the tarball and whose node_modules holds `installed`.
  async function lay(name: string, tarball: Buffer, installed: Record<string, string>, lockfileLocations: string[] = []): Promise<InstalledDeps> {
    const root = join(dir, name);
    const cache = join(root, 'npm-cache');
    await cacache.put(join(cache, '_cacache'), 'tarball', tarball, { integrity: sha512Integrity(tarball), algorithms: ['sha512'] });
    for (const [path, content] of Object.entries(installed)) {
      await mkdir(dirname(join(root, path)), { recursive: true });
      await writeFile(join(root, path), content);
    }
    const http = { getBytes: () => Promise.reject(new Error('no registry in this test')) } as unknown as RegistryHttp;
    return { http, npmCacheDir: cache, offline: true, rootDir: root, lockfileLocations: new Set(lockfileLocations), inTarballSlot: (task) => task() };
  }
  const manifest = {} as VersionManifest;

  it('a bundled dependency is compared as the package\'s content; a nested lockfile entry is not; .bin is npm\'s', async () => {
    const tarball = makeTarball({ name: 'a', version: '1.0.0' }, { 'node_modules/bundled/index.js': 'b' });
    const deps = await lay('bundled', tarball, {
      'node_modules/a/package.json': `${JSON.stringify({ name: 'a', version: '1.0.0' }, null, 2)}\n`,
      'node_modules/a/node_modules/bundled/index.js': 'tampered',
      'node_modules/a/node_modules/nested/index.js': 'its own entry',
      'node_modules/a/node_modules/.bin/tool': 'npm link',
    }, ['node_modules/a', 'node_modules/a/node_modules/bundled', 'node_modules/a/node_modules/nested']);
    const findings = await checkInstalledPackage(ref('a', '1.0.0', { integrity: sha512Integrity(tarball) }), manifest, undefined, deps);
    expect(findings.map((f) => [f.code, f.details])).toEqual([
      ['INSTALLED_TREE_MODIFIED', { location: 'node_modules/a', path: 'node_modules/bundled/index.js', kind: 'changed' }],
    ]);
  });

  it('a file of 1 MiB or more (streamed, not read whole) is compared byte for byte too', async () => {
    const large = 'x'.repeat(1536 * 1024);
    const tarball = makeTarball({ name: 'big', version: '1.0.0' }, { 'same.bin': large, 'other.bin': large });
    const deps = await lay('big', tarball, {
      'node_modules/big/package.json': `${JSON.stringify({ name: 'big', version: '1.0.0' }, null, 2)}\n`,
      'node_modules/big/same.bin': large,
      'node_modules/big/other.bin': `${large.slice(0, -1)}y`,
    }, ['node_modules/big']);
    const findings = await checkInstalledPackage(ref('big', '1.0.0', { integrity: sha512Integrity(tarball) }), manifest, undefined, deps);
    expect(findings.map((f) => [f.code, f.details])).toEqual([
      ['INSTALLED_TREE_MODIFIED', { location: 'node_modules/big', path: 'other.bin', kind: 'changed' }],
    ]);
  });

  it('names at most 20 files per location, and counts the rest in one more finding', async () => {
    const tarball = makeTarball({ name: 'many', version: '1.0.0' });
    const installed: Record<string, string> = { 'node_modules/many/package.json': `${JSON.stringify({ name: 'many', version: '1.0.0' }, null, 2)}\n` };
    for (let i = 0; i < 25; i++) installed[`node_modules/many/added-${String(i).padStart(2, '0')}.js`] = 'x';
    const deps = await lay('many', tarball, installed, ['node_modules/many']);
    const findings = await checkInstalledPackage(ref('many', '1.0.0', { integrity: sha512Integrity(tarball) }), manifest, undefined, deps);
    expect(findings).toHaveLength(21);
    expect(findings.every((f) => f.code === 'INSTALLED_TREE_MODIFIED')).toBe(true);
    expect(findings[20]?.details).toEqual({ location: 'node_modules/many', more: 5 });
  });

  it('offline, with the tarball in no cache, the files are not compared: OFFLINE_CACHE_MISS, never a pass', async () => {
    const tarball = makeTarball({ name: 'gone', version: '1.0.0' });
    const deps = await lay('gone', makeTarball({ name: 'other', version: '1.0.0' }), { 'node_modules/gone/package.json': '{}' });
    const findings = await checkInstalledPackage(ref('gone', '1.0.0', { integrity: sha512Integrity(tarball) }), manifest, undefined, deps);
    expect(findings.map((f) => f.code)).toEqual(['OFFLINE_CACHE_MISS']);
  });

  it('a package folder that is not there is reported without fetching the tarball (an optional package npm skipped)', async () => {
    const tarball = makeTarball({ name: 'skipped', version: '1.0.0' });
    const deps = await lay('skipped', makeTarball({ name: 'other', version: '1.0.0' }), {});
    let fetched = 0;
    const http = { getBytes: () => { fetched++; return Promise.resolve(tarball); } } as unknown as RegistryHttp;
    const optional = ref('skipped', '1.0.0', { integrity: sha512Integrity(tarball), optional: true, locations: ['node_modules/skipped'] });
    const findings = await checkInstalledPackage(optional, manifest, undefined, { ...deps, http, offline: false });
    expect(findings.map((f) => [f.code, f.details])).toEqual([['INSTALLED_PACKAGE_MISSING', { location: 'node_modules/skipped', optional: true }]]);
    expect(fetched).toBe(0);
  });

  it('a package pinned by no sha512 cannot be compared: VERIFICATION_ERROR', async () => {
    const deps = await lay('sha1', makeTarball({ name: 'old', version: '1.0.0' }), {});
    const findings = await checkInstalledPackage(ref('old', '1.0.0', { integrity: 'sha1-AAAAAAAAAAAAAAAAAAAAAAAAAAA=' }), manifest, undefined, deps);
    expect(findings.map((f) => f.code)).toEqual(['VERIFICATION_ERROR']);
  });
});

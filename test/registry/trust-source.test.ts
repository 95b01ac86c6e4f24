// The order trust material is taken in: a TUF refresh, else the last copy a refresh verified
// (unexpired), else the copy embedded in @sigstore/tuf. Against a TUF mirror on 127.0.0.1.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTrustSource } from '../../src/registry/trust-source.js';
import { createTestPki } from '../support/index.js';
import { makeTempDir } from '../support/fixture-project.js';
import { createTufRepo, type TufRepo } from '../support/tuf-repo.js';
import { TufMirror } from '../support/tuf-mirror.js';

describe('loadTrustSource', () => {
  const pki = createTestPki();
  const targets = { 'trusted_root.json': pki.trustedRoot(), 'registry.npmjs.org/keys.json': pki.tufKeys() };
  let dir: string;
  let cleanup: () => Promise<void>;
  let count = 0;

  beforeAll(async () => {
    ({ dir, cleanup } = await makeTempDir());
  });
  afterAll(async () => {
    await cleanup();
  });

  const cacheDir = (): string => join(dir, `cache-${++count}`);
  const load = (mirror: TufMirror, tufCacheDir: string) => loadTrustSource({ refresh: true, tufMirror: mirror.url, tufCacheDir, refreshTimeoutMs: 5_000 });
  // A mirror that stopped answering: started (for its URL and cache layout), then closed.
  const downMirror = async (repo: TufRepo): Promise<TufMirror> => {
    const mirror = await new TufMirror(repo).start();
    await mirror.close();
    return mirror;
  };
  // Lays out the cache a refresh leaves behind: every metadata file and the targets.
  const writeRefreshedCache = (mirror: TufMirror, tufCacheDir: string, repo: TufRepo): void => {
    mirror.primeCache(tufCacheDir);
    const repoDir = join(tufCacheDir, 'tuf', encodeURIComponent(new URL(mirror.url).host));
    mkdirSync(join(repoDir, 'targets'), { recursive: true });
    for (const [name, bytes] of repo.metadata) writeFileSync(join(repoDir, name), bytes);
    for (const [path, bytes] of repo.targets) writeFileSync(join(repoDir, 'targets', encodeURIComponent(path)), bytes);
  };

  it('takes a refresh when the mirror answers: tuf-refreshed', async () => {
    const mirror = await new TufMirror(createTufRepo(targets)).start();
    try {
      const tufCacheDir = cacheDir();
      mirror.primeCache(tufCacheDir);
      const source = await load(mirror, tufCacheDir);
      expect([source.trustedRootOrigin, source.npmKeysOrigin, source.refreshError]).toEqual(['tuf-refreshed', 'tuf-refreshed', undefined]);
      expect(JSON.parse(source.npmKeys.toString('utf8'))).toEqual(pki.tufKeys());
    } finally {
      await mirror.close();
    }
  });

  it('takes the last verified copy when the mirror is down after a refresh: tuf-cached', async () => {
    const mirror = await new TufMirror(createTufRepo(targets)).start();
    const tufCacheDir = cacheDir();
    mirror.primeCache(tufCacheDir);
    expect((await load(mirror, tufCacheDir)).trustedRootOrigin).toBe('tuf-refreshed');
    await mirror.close();
    const source = await load(mirror, tufCacheDir);
    expect([source.trustedRootOrigin, source.npmKeysOrigin]).toEqual(['tuf-cached', 'tuf-cached']);
    expect(source.refreshError).toBeTruthy();
    expect(JSON.parse(source.trustedRoot.toString('utf8'))).toEqual(pki.trustedRoot());
  });

  it('falls back to the embedded copy when the cache holds only the starting root: tuf-embedded', async () => {
    const mirror = await downMirror(createTufRepo(targets));
    const tufCacheDir = cacheDir();
    mirror.primeCache(tufCacheDir);
    // Even with the targets lying in the cache: no timestamp, snapshot or targets metadata vouch for them.
    const repoDir = join(tufCacheDir, 'tuf', encodeURIComponent(new URL(mirror.url).host));
    for (const [path, bytes] of createTufRepo(targets).targets) writeFileSync(join(repoDir, 'targets', encodeURIComponent(path)), bytes);
    const source = await load(mirror, tufCacheDir);
    expect([source.trustedRootOrigin, source.npmKeysOrigin]).toEqual(['tuf-embedded', 'tuf-embedded']);
    expect(source.refreshError).toBeTruthy();
  });

  it('does not take a cache whose timestamp has expired: tuf-embedded', async () => {
    const expired = createTufRepo(targets, { timestampExpires: new Date(Date.now() - 86_400_000) });
    const mirror = await downMirror(expired);
    const tufCacheDir = cacheDir();
    writeRefreshedCache(mirror, tufCacheDir, expired);
    expect((await load(mirror, tufCacheDir)).trustedRootOrigin).toBe('tuf-embedded');
    // The same cache unexpired is taken: the expiry alone decided.
    const fresh = createTufRepo(targets);
    const other = await downMirror(fresh);
    const freshDir = cacheDir();
    writeRefreshedCache(other, freshDir, fresh);
    expect((await load(other, freshDir)).trustedRootOrigin).toBe('tuf-cached');
  });
});

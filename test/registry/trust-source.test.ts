// The order trust material is taken in: a TUF refresh, else the last copy a refresh verified
// (unexpired), else the copy embedded in @sigstore/tuf. Against a TUF mirror on 127.0.0.1.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadNpmSettings } from '../../src/registry/npm-config.js';
import { loadTrustSource, SIGSTORE_TUF_MIRROR } from '../../src/registry/trust-source.js';
import { createTlsServerIdentity } from '../bench/tls-ca.js';
import { startTufProxy, type TufProxy } from '../bench/tuf-proxy.js';
import { createTestPki } from '../support/index.js';
import { makeTempDir } from '../support/fixture-project.js';
import { createTufRepo, SIGSTORE_TUF_HOST, type TufRepo } from '../support/tuf-repo.js';
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

// The refresh of Sigstore's own repository (https://tuf-repo-cdn.sigstore.dev) goes where npm's
// fetches go: through .npmrc's https-proxy, trusting its cafile. The proxy on 127.0.0.1 answers
// CONNECT for that host only and terminates TLS with a certificate of a test CA: the run can
// reach the repository through it alone (the test process may not leave 127.0.0.1).
describe("loadTrustSource with .npmrc's proxy and CA", () => {
  const pki = createTestPki();
  const repo = createTufRepo({ 'trusted_root.json': pki.trustedRoot(), 'registry.npmjs.org/keys.json': pki.tufKeys() });
  const identity = createTlsServerIdentity(SIGSTORE_TUF_HOST);
  const saved = { ...process.env };
  let proxy: TufProxy;
  let dir: string;
  let cleanup: () => Promise<void>;
  let count = 0;

  beforeAll(async () => {
    ({ dir, cleanup } = await makeTempDir());
    proxy = await startTufProxy(SIGSTORE_TUF_HOST, repo, identity);
    writeFileSync(join(dir, 'ca.pem'), identity.caPem);
  });
  // Only the project's .npmrc speaks; npm's loader exports what it read into the environment.
  beforeEach(() => {
    process.env = { ...saved, npm_config_userconfig: join(dir, 'no-user-npmrc'), npm_config_globalconfig: join(dir, 'no-global-npmrc') };
    for (const name of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy']) delete process.env[name];
    proxy.resetLog();
  });
  afterAll(async () => {
    process.env = saved;
    await proxy.close();
    await cleanup();
  });

  // A project with this .npmrc and a cache that starts from the test repository's root.
  const refresh = async (npmrc: string[]) => {
    const project = join(dir, `project-${++count}`);
    const repoDir = join(project, 'cache', 'tuf', encodeURIComponent(SIGSTORE_TUF_HOST));
    mkdirSync(repoDir, { recursive: true });
    writeFileSync(join(repoDir, 'root.json'), repo.metadata.get('root.json') as Buffer);
    writeFileSync(join(project, '.npmrc'), npmrc.map((line) => `${line}\n`).join(''));
    const settings = await loadNpmSettings(project);
    return loadTrustSource({ refresh: true, tufCacheDir: join(project, 'cache'), refreshTimeoutMs: 5_000, npm: settings.flat });
  };

  it('refreshes through https-proxy, trusting cafile, and sends no registry token to the TUF host', async () => {
    const source = await refresh([`https-proxy=${proxy.url}/`, `cafile=${join(dir, 'ca.pem')}`, `//${SIGSTORE_TUF_HOST}/:_authToken=never-sent`, '_authToken=never-sent']);
    expect([source.trustedRootOrigin, source.npmKeysOrigin, source.refreshError]).toEqual(['tuf-refreshed', 'tuf-refreshed', undefined]);
    expect(JSON.parse(source.npmKeys.toString('utf8'))).toEqual(pki.tufKeys());
    expect(proxy.served).toEqual(expect.arrayContaining(['/timestamp.json', '/snapshot.json', '/targets.json']));
    expect(proxy.authorizations).toEqual([]);
    expect(SIGSTORE_TUF_MIRROR).toBe(`https://${SIGSTORE_TUF_HOST}`);
  });

  it("does not trust the proxied host without the cafile (strict-ssl is npm's default)", async () => {
    const source = await refresh([`https-proxy=${proxy.url}/`]);
    expect(source.trustedRootOrigin).toBe('tuf-embedded');
    expect(proxy.served).toEqual([]);
  });

  it('takes strict-ssl=false from .npmrc when the user set it', async () => {
    const source = await refresh([`https-proxy=${proxy.url}/`, 'strict-ssl=false']);
    expect(source.trustedRootOrigin).toBe('tuf-refreshed');
  });
});

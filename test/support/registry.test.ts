import crypto from 'node:crypto';
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { httpGet } from './http-get.js';
import { createTestPki } from './pki.js';
import { documentKind, type FixtureRegistry, startFixtureRegistry } from './registry.js';
import { syntheticScenario } from './scenario.js';

const pki = createTestPki();
const scenario = syntheticScenario(
  pki,
  [
    { name: '@acme/widget', version: '1.0.0', manifest: { dependencies: { lodash: '^4.0.0' }, description: 'full only' } },
    { name: '@acme/widget', version: '1.1.0' },
    { name: 'plain-pkg', version: '2.0.0' },
  ],
  { provenanceShare: 1 },
);

let registry: FixtureRegistry;
beforeAll(async () => {
  registry = await startFixtureRegistry(scenario);
});
afterAll(() => registry.close());
afterEach(() => registry.clearFaults());

// Reads a response for up to waitMs: status, declared length, bytes received, and whether it ended.
function partialRead(url: string, waitMs: number): Promise<{ status: number; declared: number; got: number; complete: boolean }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false }, (res) => {
      let got = 0;
      let complete = false;
      const done = () => resolve({ status: res.statusCode ?? 0, declared: Number(res.headers['content-length']), got, complete });
      const timer = setTimeout(() => {
        req.destroy();
        done();
      }, waitMs);
      res.on('data', (c: Buffer) => (got += c.length));
      res.on('error', () => {});
      res.on('end', () => (complete = res.complete));
      res.on('close', () => {
        clearTimeout(timer);
        done();
      });
    });
    req.on('error', (e) => (e.message === 'socket hang up' ? undefined : reject(e)));
  });
}

type Packument = { name: string; 'dist-tags': { latest: string }; versions: Record<string, { description?: string; dependencies?: object; dist: Record<string, unknown> }> };

describe('fixture registry documents', () => {
  test('full and abbreviated packuments, scoped names encoded or not', async () => {
    const full = await httpGet(`${registry.url}/@acme%2fwidget`, { accept: 'application/json' });
    expect(full.headers['content-type']).toBe('application/json');
    const fullDoc = full.json<Packument>();
    expect(fullDoc['dist-tags'].latest).toBe('1.1.0');
    expect(fullDoc.versions['1.0.0']?.description).toBe('full only');
    const abbr = await httpGet(`${registry.url}/@acme/widget`, { accept: 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8' });
    expect(abbr.headers['content-type']).toBe('application/vnd.npm.install-v1+json');
    const abbrDoc = abbr.json<Packument>();
    expect(abbrDoc.versions['1.0.0']?.description).toBeUndefined();
    expect(abbrDoc.versions['1.0.0']?.dependencies).toEqual({ lodash: '^4.0.0' });
    const dist = abbrDoc.versions['1.0.0']?.dist;
    expect(dist?.attestations).toEqual({
      url: `${registry.url}/-/npm/v1/attestations/@acme%2fwidget@1.0.0`,
      provenance: { predicateType: 'https://slsa.dev/provenance/v1' },
    });
    expect(dist?.signatures).toEqual([expect.objectContaining({ keyid: pki.registryKey.keyid })]);
  });

  test('version manifests, tarballs with their real integrity, keys and attestations', async () => {
    const manifest = (await httpGet(`${registry.url}/plain-pkg/2.0.0`)).json<{ dist: { tarball: string; integrity: string } }>();
    const tgz = await httpGet(manifest.dist.tarball, { 'accept-encoding': 'gzip' });
    expect(tgz.headers['content-encoding']).toBeUndefined();
    expect(`sha512-${crypto.createHash('sha512').update(tgz.body).digest('base64')}`).toBe(manifest.dist.integrity);
    expect(gunzipSync(tgz.body).subarray(0, 20).toString()).toBe('package/package.json');
    expect((await httpGet(`${registry.url}/plain-pkg/latest`)).json<{ version: string }>().version).toBe('2.0.0');
    expect((await httpGet(`${registry.url}/-/npm/v1/keys`)).json()).toEqual(pki.npmKeys());
    const att = await httpGet(`${registry.url}/-/npm/v1/attestations/@acme/widget@1.1.0`);
    expect(att.json<{ attestations: unknown[] }>().attestations).toHaveLength(2);
    expect((await httpGet(`${registry.url}/-/npm/v1/attestations/plain-pkg@9.9.9`)).status).toBe(404);
    expect((await httpGet(`${registry.url}/no-such-package`)).status).toBe(404);
  });

  test('gzip on request, ETag / If-None-Match 304', async () => {
    const gz = await httpGet(`${registry.url}/plain-pkg`, { 'accept-encoding': 'gzip, deflate' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.json<Packument>().name).toBe('plain-pkg');
    const etag = gz.headers.etag ?? '';
    expect(etag).toMatch(/^"[0-9a-f]{40}"$/);
    const again = await httpGet(`${registry.url}/plain-pkg`, { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body).toHaveLength(0);
  });

  test('records requests, counts and concurrency', async () => {
    registry.resetLog();
    registry.addFault('/plain-pkg', { latencyMs: 100 });
    await Promise.all([1, 2, 3, 4].map(() => httpGet(`${registry.url}/plain-pkg`, { 'user-agent': 'verify-deps-test' })));
    expect(registry.count('/plain-pkg')).toBe(4);
    expect(registry.maxInFlight).toBe(4);
    expect(registry.requestsFor('/plain-pkg')[0]?.headers['user-agent']).toBe('verify-deps-test');
    expect(registry.requestsFor('/plain-pkg')[0]?.status).toBe(200);
  });
});

describe('fixture registry faults', () => {
  test('latency: a request with latency N takes at least N ms (jitter adds on top)', async () => {
    registry.addFault('/plain-pkg', { latencyMs: 150, jitterMs: 20 });
    const t0 = performance.now();
    expect((await httpGet(`${registry.url}/plain-pkg`)).status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(149);
  });

  test('status: a 503 is a 503 with Retry-After when asked; `times` limits the fault', async () => {
    registry.addFault('/-/npm/v1/attestations/*', { status: 503, retryAfter: 2, times: 1 });
    const url = `${registry.url}/-/npm/v1/attestations/@acme%2fwidget@1.0.0`;
    const first = await httpGet(url);
    expect(first.status).toBe(503);
    expect(first.headers['retry-after']).toBe('2');
    expect((await httpGet(url)).status).toBe(200);
    registry.addFault(/widget/, { status: 429 });
    const limited = await httpGet(`${registry.url}/@acme%2fwidget`);
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBeUndefined();
  });

  test('reset: the client sees a socket error', async () => {
    registry.addFault('/plain-pkg', { reset: true });
    await expect(httpGet(`${registry.url}/plain-pkg`)).rejects.toMatchObject({ code: 'ECONNRESET' });
  });

  test('truncated body: fewer bytes than Content-Length, then close', async () => {
    registry.addFault('/plain-pkg/2.0.0', { truncateAt: 10 });
    await expect(httpGet(`${registry.url}/plain-pkg/2.0.0`)).rejects.toThrow(/aborted|incomplete|socket hang up|ECONNRESET/);
    const received = await partialRead(`${registry.url}/plain-pkg/2.0.0`, 2000);
    expect(received.complete).toBe(false);
    expect(received.got).toBe(10);
    expect(received.declared).toBeGreaterThan(10);
  });

  test('stalled body: headers and part of the body arrive, then nothing until the client gives up', async () => {
    registry.addFault('/plain-pkg', { stall: true, stallAfterBytes: 20 });
    const partial = await partialRead(`${registry.url}/plain-pkg`, 300);
    expect(partial).toMatchObject({ status: 200, got: 20, complete: false });
    expect(partial.declared).toBeGreaterThan(20);
    const t0 = performance.now();
    await expect(httpGet(`${registry.url}/plain-pkg`, {}, 300)).rejects.toThrow(/timeout after 300 ms/);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
    registry.clearFaults();
    registry.addFault('/plain-pkg', { stall: true, stallMs: 100 });
    expect((await httpGet(`${registry.url}/plain-pkg`)).json<Packument>().name).toBe('plain-pkg');
  });

  test('wrong content type and non-JSON body', async () => {
    registry.addFault('/plain-pkg', { contentType: 'text/html' });
    const wrongType = await httpGet(`${registry.url}/plain-pkg`);
    expect(wrongType.headers['content-type']).toBe('text/html');
    expect(wrongType.json<Packument>().name).toBe('plain-pkg');
    registry.clearFaults();
    registry.addFault('/plain-pkg', { nonJson: true });
    const nonJson = await httpGet(`${registry.url}/plain-pkg`);
    expect(nonJson.headers['content-type']).toBe('application/json');
    expect(() => nonJson.json()).toThrow(SyntaxError);
  });

  test('close() ends stalled responses and leaves no open handles', async () => {
    const servers = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length;
    const before = servers();
    const own = await startFixtureRegistry(scenario);
    expect(servers()).toBe(before + 1);
    own.addFault('*', { stall: true });
    const pending = httpGet(`${own.url}/plain-pkg`, {}, 5000).catch((e: Error) => e);
    await new Promise((r) => setTimeout(r, 50));
    const t0 = performance.now();
    await own.close();
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(await pending).toBeInstanceOf(Error);
    await new Promise((r) => setImmediate(r)); // the handle is released one turn after the close event
    expect(servers()).toBe(before);
    expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length).toBeLessThanOrEqual(1);
  });
});

test('a registry under a sub-path serves there only, and names that path in its URLs', async () => {
  const sub = await startFixtureRegistry(scenario, { pathPrefix: '/npm' });
  try {
    expect(sub.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/npm$/);
    const manifest = await httpGet(`${sub.url}/plain-pkg/2.0.0`);
    expect(manifest.status).toBe(200);
    expect(manifest.json<{ dist: { tarball: string } }>().dist.tarball).toBe(`${sub.url}/plain-pkg/-/plain-pkg-2.0.0.tgz`);
    expect((await httpGet(`${sub.url}/-/npm/v1/keys`)).status).toBe(200);
    const origin = new URL(sub.url).origin;
    expect((await httpGet(`${origin}/plain-pkg/2.0.0`)).status).toBe(404);
    expect((await httpGet(`${origin}/-/npm/v1/keys`)).status).toBe(404);
    expect(sub.count('/plain-pkg/2.0.0')).toBe(2);
  } finally {
    await sub.close();
  }
});

describe('the request log counts requests and bytes by kind of document', () => {
  test('each path is one kind; the abbreviated packument is told apart by its Accept header', () => {
    const abbreviated = 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*';
    expect(documentKind('/-/npm/v1/keys', '')).toBe('keys');
    expect(documentKind('/-/npm/v1/attestations/@acme/widget@1.0.0', '')).toBe('attestations');
    expect(documentKind('/@acme/widget', 'application/json')).toBe('packument');
    expect(documentKind('/plain-pkg', abbreviated)).toBe('abbreviated packument');
    expect(documentKind('/@acme/widget/1.0.0', '')).toBe('version manifest');
    expect(documentKind('/plain-pkg/-/plain-pkg-2.0.0.tgz', '')).toBe('tarball');
    expect(documentKind('/-/whoami', '')).toBe('other');
  });

  test('a served body is logged with the bytes sent (gzipped when asked)', async () => {
    registry.resetLog();
    const plain = await httpGet(`${registry.url}/plain-pkg`);
    await httpGet(`${registry.url}/plain-pkg`, { 'accept-encoding': 'gzip' });
    const [first, second] = registry.requests;
    expect(first?.kind).toBe('packument');
    expect(first?.bytes).toBe(plain.body.length);
    expect(second?.bytes).toBeGreaterThan(0);
    expect(second?.bytes).not.toBe(first?.bytes);
  });
});

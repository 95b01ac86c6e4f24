// The registry transport on its own, against a scripted server on 127.0.0.1: encodings, the
// decoded-size limit, redirects (credentials stay with the registry's origin), retries.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import npmFetch from 'npm-registry-fetch';
import { afterEach, describe, expect, it } from 'vitest';
import { FetchError } from '../../src/registry/fetch-error.js';
import { pickRegistry, RegistryHttp } from '../../src/registry/http.js';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;
const servers: Server[] = [];

async function serve(handler: Handler): Promise<{ url: string; seen: IncomingMessage[] }> {
  const seen: IncomingMessage[] = [];
  const server = createServer((request, response) => {
    seen.push(request);
    handler(request, response);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

function client(registry: string, extra: Record<string, unknown> = {}, retries = 0): RegistryHttp {
  return new RegistryHttp({ npm: { registry: `${registry}/`, ...extra }, concurrency: 4, timeoutMs: 5_000, retries });
}

const failure = (promise: Promise<unknown>): Promise<FetchError> =>
  promise.then(
    () => {
      throw new Error('expected the request to fail');
    },
    (error: unknown) => error as FetchError,
  );

describe('RegistryHttp', () => {
  it('decodes a gzip body and sends the registry token from .npmrc settings', async () => {
    const { url, seen } = await serve((_, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      response.end(gzipSync(JSON.stringify({ ok: true })));
    });
    const host = new URL(url).host;
    const result = await client(url, { [`//${host}/:_authToken`]: 'sekrit' }).getJson('/alpha/1.0.0');
    expect(result).toMatchObject({ status: 200, body: { ok: true } });
    expect(seen[0]?.headers.authorization).toBe('Bearer sekrit');
    expect(seen[0]?.headers['accept-encoding']).toContain('gzip');
  });

  it('picks the credentials of the longest configured path prefix, request by request', async () => {
    const { url, seen } = await serve((_, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{}');
    });
    const host = new URL(url).host;
    const http = client(url, { [`//${host}/:_authToken`]: 'root', [`//${host}/team/:_authToken`]: 'team', [`//${host}/ab:_authToken`]: 'ab' });
    for (const path of ['/team/x/1.0.0', '/other/1.0.0', '/team/y/1.0.0', '/teams/z', '/ab/c', '/abc/d']) await http.getJson(path);
    expect(seen.map((request) => `${request.url} ${request.headers.authorization}`)).toEqual([
      '/team/x/1.0.0 Bearer team',
      '/other/1.0.0 Bearer root',
      '/team/y/1.0.0 Bearer team',
      '/teams/z Bearer root',
      '/ab/c Bearer ab',
      '/abc/d Bearer root',
    ]);
  });

  it('counts the decoded bytes against the limit (a small gzip body that inflates past it)', async () => {
    const { url } = await serve((_, response) => {
      response.writeHead(200, { 'content-encoding': 'gzip' });
      response.end(gzipSync(Buffer.alloc(2 * 1024 * 1024, 0x20)));
    });
    const error = await failure(client(url).getJson('/alpha/1.0.0', { maxBytes: 1024 * 1024 }));
    expect(error.kind).toBe('too-large');
    expect(error.message).toContain('INPUT_TOO_LARGE');
  });

  it('follows a redirect to another origin without the credentials of the registry', async () => {
    const other = await serve((_, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"moved":true}');
    });
    const registry = await serve((_, response) => {
      response.writeHead(302, { location: `${other.url}/elsewhere` });
      response.end();
    });
    const host = new URL(registry.url).host;
    const result = await client(registry.url, { [`//${host}/:_authToken`]: 'sekrit' }).getJson('/alpha/1.0.0');
    expect(result.body).toEqual({ moved: true });
    expect(registry.seen[0]?.headers.authorization).toBe('Bearer sekrit');
    expect(other.seen[0]?.headers.authorization).toBeUndefined();
  });

  it('retries a 503 and a body cut off, then returns what the registry finally serves', async () => {
    let calls = 0;
    const { url } = await serve((_, response) => {
      calls++;
      if (calls === 1) {
        response.writeHead(503, { 'retry-after': '0' });
        response.end();
      } else if (calls === 2) {
        response.writeHead(200, { 'content-length': '100' });
        response.write('{"cut":');
        response.socket?.destroy();
      } else {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"ok":true}');
      }
    });
    const http = client(url, {}, 2);
    await expect(http.getJson('/alpha/1.0.0')).resolves.toMatchObject({ body: { ok: true } });
    expect(calls).toBe(3);
    expect(http.stats.requests).toBe(3);
  });

  it('fails closed after the retries: the last status is named, 404 is an answer', async () => {
    const { url } = await serve((request, response) => {
      response.writeHead(request.url === '/missing' ? 404 : 500);
      response.end();
    });
    const error = await failure(client(url, {}, 1).getJson('/alpha/1.0.0'));
    expect(error).toMatchObject({ kind: 'unreachable', status: 500 });
    expect(error.message).toContain('HTTP 500');
    await expect(client(url).getJson('/missing')).resolves.toMatchObject({ status: 404, body: undefined });
  });

  it('refuses a redirect to a non-http scheme', async () => {
    const { url } = await serve((_, response) => {
      response.writeHead(301, { location: 'file:///etc/passwd' });
      response.end();
    });
    const error = await failure(client(url).getJson('/alpha/1.0.0'));
    expect(error.message).toContain('redirected to a file: URL');
  });
});

// npm's choice of registry for a package, as npm-registry-fetch's pickRegistry makes it.
describe('pickRegistry', () => {
  const settings: Record<string, unknown>[] = [
    { registry: 'https://main.example/' },
    { registry: 'https://main.example/', '@corp:registry': 'https://corp.example/' },
    { registry: 'https://main.example/', '@corp:registry': '' },
    { registry: 'https://main.example/', scope: '@corp', '@corp:registry': 'https://corp.example/' },
    { registry: 'https://main.example/', scope: 'corp', '@corp:registry': 'https://corp.example/', '@other:registry': 'https://other.example/' },
    { registry: 'https://main.example/', scope: '@missing' },
    { registry: '' },
    {},
  ];
  const names = ['lodash', '@corp/tool', '@other/tool', '@missing/x'];

  it('picks what npm picks: the scope\'s registry, else that of the `scope` setting, else `registry`, else the public one', () => {
    for (const npm of settings) {
      for (const name of names) {
        const scope = name.startsWith('@') ? name.slice(0, name.indexOf('/')) : '';
        expect(pickRegistry(scope, npm), `${name} with ${JSON.stringify(npm)}`).toBe(npmFetch.pickRegistry(name, npm));
      }
    }
  });
});

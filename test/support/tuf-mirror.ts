// A Sigstore TUF mirror on 127.0.0.1 serving a test repository (tuf-repo.ts), whose targets are
// the test PKI's trusted root and "npm's keys" (registry.npmjs.org/keys.json). A run pointed at it
// with --tuf-mirror, whose cache was seeded with the repository's root, takes the test PKI's keys
// as npm's exactly as a real run takes npm's from Sigstore's TUF repository (origin tuf-refreshed).
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { TestPki } from './pki.js';
import { ServerSockets } from './server-sockets.js';
import { createTufRepo, type TufRepo } from './tuf-repo.js';

// The mirror server; primeCache makes a run trust its root.
export class TufMirror {
  readonly #sockets = new ServerSockets();
  #server: http.Server | null = null;
  #url = '';

  constructor(readonly repo: TufRepo) {}

  get url(): string {
    return this.#url;
  }

  async start(): Promise<this> {
    const server = http.createServer((req, res) => {
      const name = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/').slice(1);
      // Only the first root exists: `2.root.json` answers 404, as a repository never rotated does.
      const body = name.startsWith('targets/') ? this.repo.targets.get(name.slice('targets/'.length)) : this.repo.metadata.get(name === '1.root.json' ? 'root.json' : name);
      if (body === undefined) res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      else res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length }).end(body);
    });
    server.on('connection', (socket) => this.#sockets.track(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.#server = server;
    this.#url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this;
  }

  // Seeds a verify-deps cache directory (--cache) with the repository's root, as @sigstore/tuf
  // lays out a mirror's cache: CACHE/tuf/<encoded host>/root.json. Trust starts from that root.
  primeCache(cacheDir: string): void {
    const dir = join(cacheDir, 'tuf', encodeURIComponent(new URL(this.#url).host));
    mkdirSync(join(dir, 'targets'), { recursive: true });
    writeFileSync(join(dir, 'root.json'), this.repo.metadata.get('root.json') as Buffer);
  }

  async close(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    if (server) await this.#sockets.close(server);
  }
}

// Starts a mirror whose npm keys are the test PKI's (its registry key signs the fixture
// registries' packages) and whose trusted root is the test PKI's.
export function startTestTufMirror(pki: TestPki): Promise<TufMirror> {
  return new TufMirror(createTufRepo({ 'trusted_root.json': pki.trustedRoot(), 'registry.npmjs.org/keys.json': pki.tufKeys() })).start();
}

// An HTTPS proxy on 127.0.0.1 that answers CONNECT for ONE host (Sigstore's TUF CDN) only: it
// terminates TLS with the bench CA's leaf and serves the bench's TUF repository (`/N.root.json`
// beyond the first is 404, as a repository without root rotations answers). Every other host
// is refused (403) and recorded, so a child process can never reach beyond 127.0.0.1 through it.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import tls from 'node:tls';
import { ServerSockets } from '../support/server-sockets.js';
import type { TlsServerIdentity } from './tls-ca.js';
import type { TufRepo } from '../support/tuf-repo.js';

export class TufProxy {
  // Paths served (e.g. /timestamp.json) and CONNECT targets refused, since the last resetLog().
  readonly served: string[] = [];
  readonly refused: string[] = [];
  // Authorization headers received on the TUF host (none is expected: it is no registry).
  readonly authorizations: string[] = [];
  private readonly sockets = new ServerSockets();
  private server: http.Server | null = null;
  private port = 0;

  constructor(
    private readonly host: string,
    private readonly repo: TufRepo,
    private readonly identity: TlsServerIdentity,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    const context = tls.createSecureContext({ cert: this.identity.certPem, key: this.identity.keyPem });
    const inner = http.createServer((req, res) => this.serve(req, res));
    const outer = http.createServer((req, res) => {
      // Plain-HTTP proxying is not offered: this proxy exists only for the one HTTPS host.
      this.refused.push(`${req.method} ${req.url}`);
      res.writeHead(403, { 'content-type': 'text/plain' }).end('bench proxy: only CONNECT to the TUF host\n');
    });
    outer.on('connection', (s: Socket) => this.sockets.track(s));
    outer.on('connect', (req: http.IncomingMessage, socket: Socket, head: Buffer) => {
      if (req.url !== `${this.host}:443`) {
        this.refused.push(`CONNECT ${req.url}`);
        socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
        return;
      }
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) socket.unshift(head);
      const secure = new tls.TLSSocket(socket, { isServer: true, secureContext: context });
      secure.on('error', () => socket.destroy());
      this.sockets.track(secure);
      inner.emit('connection', secure);
    });
    await new Promise<void>((resolve) => outer.listen(0, '127.0.0.1', resolve));
    this.server = outer;
    this.port = (outer.address() as AddressInfo).port;
    return this;
  }

  resetLog(): void {
    this.served.length = 0;
    this.refused.length = 0;
    this.authorizations.length = 0;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    await this.sockets.close(server);
  }

  private serve(req: http.IncomingMessage, res: http.ServerResponse): void {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');
    this.served.push(path);
    if (req.headers.authorization !== undefined) this.authorizations.push(req.headers.authorization);
    const name = path.slice(1);
    const body = name.startsWith('targets/') ? this.repo.targets.get(name.slice('targets/'.length)) : name === '1.root.json' ? this.repo.metadata.get('root.json') : this.repo.metadata.get(name);
    if (!body) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length }).end(body);
  }
}

// Starts a proxy for `host` serving `repo`.
export function startTufProxy(host: string, repo: TufRepo, identity: TlsServerIdentity): Promise<TufProxy> {
  return new TufProxy(host, repo, identity).start();
}

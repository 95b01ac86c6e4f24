// A fixture npm registry on 127.0.0.1 (port 0) serving a scenario: packuments (full and
// abbreviated), version manifests, tarballs, /-/npm/v1/keys and attestations, with gzip, ETag/304,
// a request log for assertions and per-path fault injection. close() leaves no open handles.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { abbreviatedPackument, fullPackument, tarballFileName, versionManifest } from './registry-documents.js';
import { ServerSockets } from './server-sockets.js';
import { type Fault, type FaultRule, NON_JSON_BODY, takeFault } from './registry-faults.js';
import type { RegistryScenario, ScenarioPackage } from './scenario-types.js';

// One request as the registry saw it.
export interface RecordedRequest {
  method: string;
  rawPath: string; // as sent (e.g. /@scope%2fname), less the pathPrefix of a registry under a sub-path
  path: string; // percent-decoded
  headers: Record<string, string | undefined>;
  status?: number;
  at: number;
  // What was asked for, and the body bytes sent (as on the wire: gzipped when the client asked).
  kind: DocumentKind;
  bytes?: number;
}

// The kinds of document a registry serves, for counting requests and bytes per kind.
export type DocumentKind = 'keys' | 'attestations' | 'packument' | 'abbreviated packument' | 'version manifest' | 'tarball' | 'other';

// The kind of document a GET of `path` (decoded, registry-relative) with this Accept header asks for.
export function documentKind(path: string, accept: string): DocumentKind {
  if (path === '/-/npm/v1/keys') return 'keys';
  if (path.startsWith('/-/npm/v1/attestations/')) return 'attestations';
  if (path.startsWith('/-/')) return 'other';
  const segments = path.split('/').filter(Boolean);
  const rest = segments.slice(segments[0]?.startsWith('@') ? 2 : 1);
  if (rest.length === 0) return accept.includes(ABBREVIATED) ? 'abbreviated packument' : 'packument';
  if (rest.length === 1) return 'version manifest';
  return rest[0] === '-' && rest.length === 2 ? 'tarball' : 'other';
}

const HEADERS_OF_INTEREST = ['accept', 'accept-encoding', 'if-none-match', 'user-agent', 'authorization', 'npm-command', 'npm-session'];
const ABBREVIATED = 'application/vnd.npm.install-v1+json';

interface Reply {
  status: number;
  body: Buffer;
  contentType: string;
  compressible: boolean;
}

const json = (status: number, value: unknown, contentType = 'application/json'): Reply => ({
  status,
  body: Buffer.from(JSON.stringify(value)),
  contentType,
  compressible: true,
});
const notFound = (): Reply => json(404, { error: 'Not found' });

// The fixture registry server.
export class FixtureRegistry {
  readonly requests: RecordedRequest[] = [];
  maxInFlight = 0;
  private inFlight = 0;
  private server: http.Server | null = null;
  private readonly sockets = new ServerSockets();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly faults: FaultRule[] = [];
  private baseUrl = '';

  // Packages by name, built on first use (rebuilt if the scenario's list is replaced or grows).
  private byName: { source: ScenarioPackage[]; length: number; map: Map<string, ScenarioPackage[]> } | null = null;
  // With cacheReplies (the bench, whose scenario never changes): each reply built, hashed and
  // compressed once, so that the server's own CPU does not weigh on the tools it serves.
  private readonly replies = new Map<string, Reply>();
  private readonly encoded = new WeakMap<Reply, { etag: string; gzipped?: Buffer }>();

  constructor(
    public scenario: RegistryScenario,
    private readonly options: FixtureRegistryOptions = {},
  ) {}

  // Base URL, e.g. http://127.0.0.1:41234 or, with a pathPrefix, http://127.0.0.1:41234/npm (no
  // trailing slash); valid after start().
  get url(): string {
    if (!this.baseUrl) throw new Error('registry not started');
    return `${this.baseUrl}${this.options.pathPrefix ?? ''}`;
  }

  // Starts listening on 127.0.0.1 with an ephemeral port.
  async start(): Promise<this> {
    const server = http.createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`fixture registry bug: ${String(error)}`);
      });
    });
    server.on('connection', (socket) => this.sockets.track(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this;
  }

  // Stops the server, ending stalled responses and pending delays.
  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    const server = this.server;
    this.server = null;
    if (!server) return;
    await this.sockets.close(server);
  }

  // Injects a fault for paths matching a glob (`*`) or RegExp (tested against raw and decoded path).
  // Returns a function that removes it.
  addFault(pattern: string | RegExp, fault: Fault): () => void {
    const rule: FaultRule = { pattern, fault, remaining: fault.times ?? Number.POSITIVE_INFINITY };
    this.faults.push(rule);
    return () => {
      const i = this.faults.indexOf(rule);
      if (i >= 0) this.faults.splice(i, 1);
    };
  }

  // Removes all faults.
  clearFaults(): void {
    this.faults.length = 0;
  }

  // Requests whose decoded path matches (exact string, or RegExp).
  requestsFor(path: string | RegExp): RecordedRequest[] {
    return this.requests.filter((r) => (typeof path === 'string' ? r.path === path : path.test(r.path)));
  }

  // Number of requests for a path.
  count(path: string | RegExp): number {
    return this.requestsFor(path).length;
  }

  // Forgets recorded requests and the in-flight maximum.
  resetLog(): void {
    this.requests.length = 0;
    this.maxInFlight = this.inFlight;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const requested = (req.url ?? '/').split('?')[0] ?? '/';
    // A registry under a sub-path serves nothing outside it.
    const prefix = this.options.pathPrefix ?? '';
    const outside = prefix !== '' && !requested.startsWith(`${prefix}/`);
    const rawPath = prefix === '' || outside ? requested : requested.slice(prefix.length);
    let path = rawPath;
    try {
      path = decodeURIComponent(rawPath);
    } catch {
      // keep raw
    }
    const headers = Object.fromEntries(HEADERS_OF_INTEREST.map((h) => [h, req.headers[h] as string | undefined]));
    const record: RecordedRequest = { method: req.method ?? 'GET', rawPath, path, headers, at: Date.now(), kind: documentKind(path, req.headers.accept ?? '') };
    this.requests.push(record);
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    res.on('close', () => {
      this.inFlight -= 1;
    });

    const fault = takeFault(this.faults, [rawPath, path]);
    const delay = (fault?.latencyMs ?? 0) + (fault?.jitterMs ? Math.random() * fault.jitterMs : 0);
    if (delay > 0) await this.sleep(delay);
    if (!this.server) return;
    if (fault?.reset) {
      req.socket.resetAndDestroy();
      return;
    }
    let reply = outside ? notFound() : this.cachedRoute(req, path, fault);
    if (fault?.status !== undefined) reply = json(fault.status, { error: `injected ${fault.status}` });
    if (fault?.nonJson) reply = { ...reply, body: Buffer.from(NON_JSON_BODY) };
    if (fault?.contentType) reply = { ...reply, contentType: fault.contentType };
    record.status = reply.status;
    this.send(req, res, reply, fault, record);
  }

  private cachedRoute(req: http.IncomingMessage, path: string, fault: Fault | undefined): Reply {
    const altersReply = fault !== undefined && (fault.status !== undefined || fault.nonJson === true || fault.contentType !== undefined);
    if (!this.options.cacheReplies || altersReply) return this.route(req, path);
    const key = replyKey(req.method ?? 'GET', path, req.headers.accept ?? '');
    let reply = this.replies.get(key);
    if (reply === undefined) {
      reply = this.route(req, path);
      this.replies.set(key, reply);
    }
    return reply;
  }

  // Builds, hashes and compresses the replies of every document of the scenario ahead of the
  // runs (cacheReplies only), so that no measured run pays for the server's first encoding.
  prewarm(): void {
    if (!this.options.cacheReplies) return;
    for (const pkg of this.scenario.packages) {
      const paths = [`/${pkg.name}`, `/${pkg.name}/${pkg.version}`, `/-/npm/v1/attestations/${pkg.name}@${pkg.version}`];
      for (const path of paths) {
        for (const accept of ['application/json', ABBREVIATED]) {
          const req = { method: 'GET', headers: { accept, 'accept-encoding': 'gzip' } } as unknown as http.IncomingMessage;
          const reply = this.cachedRoute(req, path, undefined);
          this.encode(reply, true);
        }
      }
    }
  }

  private route(req: http.IncomingMessage, path: string): Reply {
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(405, { error: 'method not allowed' });
    if (path === '/-/npm/v1/keys') return this.scenario.keys ? json(200, this.scenario.keys) : notFound();
    const attPrefix = '/-/npm/v1/attestations/';
    if (path.startsWith(attPrefix)) {
      const spec = path.slice(attPrefix.length);
      const at = spec.lastIndexOf('@');
      const pkg = at > 0 ? this.find(spec.slice(0, at), spec.slice(at + 1)) : undefined;
      return pkg?.attestations ? json(200, pkg.attestations) : notFound();
    }
    const segments = path.split('/').filter(Boolean);
    const nameLen = segments[0]?.startsWith('@') ? 2 : 1;
    const name = segments.slice(0, nameLen).join('/');
    const rest = segments.slice(nameLen);
    const versions = this.versionsOf(name);
    if (versions.length === 0) return notFound();
    if (rest.length === 0) {
      const accept = req.headers.accept ?? '';
      return accept.includes(ABBREVIATED)
        ? json(200, abbreviatedPackument(versions, this.url), ABBREVIATED)
        : json(200, fullPackument(versions, this.url));
    }
    if (rest[0] === '-' && rest.length === 2) {
      const pkg = versions.find((p) => tarballFileName(p.name, p.version) === rest[1]);
      if (!pkg?.tarball) return notFound();
      return { status: 200, body: pkg.tarball, contentType: 'application/octet-stream', compressible: false };
    }
    if (rest.length === 1) {
      const wanted = rest[0] === 'latest' ? (fullPackument(versions, this.url)['dist-tags'] as { latest: string }).latest : rest[0];
      const pkg = versions.find((p) => p.version === wanted);
      return pkg ? json(200, versionManifest(pkg, this.url)) : notFound();
    }
    return notFound();
  }

  private find(name: string, version: string): ScenarioPackage | undefined {
    return this.versionsOf(name).find((p) => p.version === version);
  }

  private versionsOf(name: string): ScenarioPackage[] {
    const packages = this.scenario.packages;
    if (this.byName === null || this.byName.source !== packages || this.byName.length !== packages.length) {
      const map = new Map<string, ScenarioPackage[]>();
      for (const p of packages) map.set(p.name, [...(map.get(p.name) ?? []), p]);
      this.byName = { source: packages, length: packages.length, map };
    }
    return (this.byName.map.get(name) ?? []).filter((p) => p.name === name);
  }

  private send(req: http.IncomingMessage, res: http.ServerResponse, reply: Reply, fault: Fault | undefined, record: RecordedRequest): void {
    const gzip = reply.compressible && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
    const encoded = this.encode(reply, gzip);
    const etag = encoded.etag;
    if (reply.status === 200 && req.headers['if-none-match'] === etag) {
      record.status = 304;
      res.writeHead(304, { etag });
      res.end();
      return;
    }
    const body = gzip ? (encoded.gzipped as Buffer) : reply.body;
    record.bytes = body.length;
    const head: http.OutgoingHttpHeaders = { 'content-type': reply.contentType, 'content-length': body.length, etag };
    if (gzip) head['content-encoding'] = 'gzip';
    if (fault?.status !== undefined && fault.retryAfter !== undefined) head['retry-after'] = String(fault.retryAfter);
    if (fault?.declaredLength !== undefined) head['content-length'] = fault.declaredLength;
    res.writeHead(reply.status, head);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    if (fault?.declaredLength !== undefined) {
      // Only the headers: the client refuses the response on its declared length.
      res.flushHeaders();
      return;
    }
    if (fault?.truncateAt !== undefined) {
      res.write(body.subarray(0, Math.min(fault.truncateAt, body.length - 1)), () => req.socket.destroy());
      return;
    }
    if (fault?.stall) {
      const cut = Math.min(fault.stallAfterBytes ?? Math.floor(body.length / 2), body.length - 1);
      res.write(body.subarray(0, cut));
      if (fault.stallMs !== undefined) this.sleep(fault.stallMs).then(() => res.end(body.subarray(cut)), () => {});
      return;
    }
    res.end(body);
  }

  // The reply's etag and (when asked) gzipped body, kept with cacheReplies.
  private encode(reply: Reply, gzip: boolean): { etag: string; gzipped?: Buffer } {
    let encoded = this.encoded.get(reply);
    if (encoded === undefined) {
      encoded = { etag: `"${crypto.createHash('sha1').update(reply.body).digest('hex')}"` };
      if (this.options.cacheReplies) this.encoded.set(reply, encoded);
    }
    if (gzip && reply.compressible) encoded.gzipped ??= gzipSync(reply.body);
    return encoded;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.add(t);
    });
  }
}

// How a fixture registry serves: replies cached (the bench), or under a sub-path (`/npm`, as
// Artifactory or Nexus serve a registry), where `url` ends and outside which every path is 404.
export interface FixtureRegistryOptions {
  cacheReplies?: boolean;
  pathPrefix?: string;
}

// Replies differ by method, path and whether the abbreviated packument was asked for.
function replyKey(method: string, path: string, accept: string): string {
  return `${method}\0${path}\0${accept.includes(ABBREVIATED) ? 'abbreviated' : 'full'}`;
}

// Creates and starts a fixture registry for a scenario.
export async function startFixtureRegistry(scenario: RegistryScenario, options: FixtureRegistryOptions = {}): Promise<FixtureRegistry> {
  return new FixtureRegistry(scenario, options).start();
}

import { createRequire } from 'node:module';
import pLimit, { type LimitFunction } from 'p-limit';
import { getNpmAgent } from './npm-agent.js';
import { assertRegistryUrl, type NpmFlatOptions } from './npm-config.js';
import { FetchError, redactUrl } from './fetch-error.js';
import { getOnce, TransportError, type RawResponse } from './transport.js';

export interface HttpOptions {
  npm: NpmFlatOptions;
  // Requests in flight at once, across every registry.
  concurrency: number;
  // Per request, including reading the body.
  timeoutMs: number;
  // Retries after the first try, on 408/420/429/5xx, on network errors and on bodies cut off.
  retries: number;
  // The whole run's deadline (--timeout): once aborted, every request in flight or queued fails.
  signal?: AbortSignal;
}

// The largest version manifest, attestations or keys document read (real ones are a few KB; the
// largest manifests, ~130 KB).
export const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;
// The largest packument (full or abbreviated) read: the npm registry refuses to grow one past
// 100 MB, so a bigger one is not a real packument.
export const MAX_PACKUMENT_BYTES = 128 * 1024 * 1024;
// The largest tarball read for --rehash.
export const MAX_TARBALL_BYTES = 512 * 1024 * 1024;

export interface JsonResponse {
  status: number;
  body: unknown;
  // The full URL requested, without credentials: safe to print and report.
  url: string;
  // The body's size as read (decoded): 0 for a 404.
  bytes: number;
}

export interface HttpStats {
  requests: number;
}

// npm-registry-fetch's credential picker, from its own module: the package's entry point loads
// its whole HTTP stack (make-fetch-happen, minipass-fetch, an HTTP cache), which the gate does not
// use (see transport.ts).
const getAuth = createRequire(import.meta.url)('npm-registry-fetch/lib/auth.js') as (url: string, opts: Record<string, unknown>) => { token: string | null; auth: string | null; cert: string | null; key: string | null };

// npm settings that hold credentials for a `//host/path` prefix.
const CREDENTIAL_OPTION = /^(\/\/.*):(?:_authToken|_auth|_password|username|certfile|keyfile)$/;

const RETRY_STATUSES = new Set([408, 420, 429]);
const RETRY_ERRORS = new Set(['ECONNRESET', 'ECONNREFUSED', 'EADDRINUSE', 'ETIMEDOUT', 'EPIPE', 'ECONNECTIONTIMEOUT', 'EIDLETIMEOUT', 'ERESPONSETIMEOUT', 'ETRANSFERTIMEOUT']);
const BACKOFF = { factor: 2, minMs: 100, maxMs: 2_000 };
const MAX_REDIRECTS = 5;
// npm-registry-fetch's default registry.
const NPM_PUBLIC_REGISTRY = 'https://registry.npmjs.org/';
const USER_AGENT = `verify-deps (node/${process.version})`;

// A JSON GET against a registry: npm's auth, proxy and CA settings, keep-alive sockets, retries
// with backoff, a per-request timeout, a concurrency cap, and no HTTP cache of npm's (the gate
// wants what the registry says now; verified evidence has its own cache).
export class RegistryHttp {
  readonly stats: HttpStats = { requests: 0 };
  readonly #limit: LimitFunction;
  readonly #options: HttpOptions;
  readonly #registries = new Map<string, string>();
  readonly #agents = new Map<string, ReturnType<typeof getNpmAgent>>();
  readonly #auth = new Map<string, { headers: Record<string, string>; tls: { cert?: unknown; key?: unknown } }>();
  #credentialPrefixes: string[] | undefined;

  constructor(options: HttpOptions) {
    this.#options = options;
    this.#limit = pLimit(options.concurrency);
  }

  // Fetches `pathOrUrl` (a path is resolved against the registry for `spec`) and parses JSON.
  // 404 is returned, not thrown, because for keys it means "this registry publishes none".
  // A body past `spec.maxBytes` (default MAX_DOCUMENT_BYTES) is refused, unread: FetchError
  // 'too-large', which names INPUT_TOO_LARGE.
  getJson(pathOrUrl: string, spec: { name?: string; registry?: string; accept?: string; maxBytes?: number } = {}): Promise<JsonResponse> {
    return this.#limit(async () => {
      const maxBytes = spec.maxBytes ?? MAX_DOCUMENT_BYTES;
      const { response, url } = await this.#get(pathOrUrl, spec, spec.accept ?? 'application/json', maxBytes);
      if (response.status === 404) return { status: 404, body: undefined, url, bytes: 0 };
      try {
        return { status: response.status, body: JSON.parse(response.body.toString('utf8')), url, bytes: response.body.length };
      } catch (cause) {
        throw new FetchError('malformed', url, `${url}: expected JSON, got ${response.body.length} bytes that do not parse`, response.status, cause);
      }
    });
  }

  // Fetches bytes (a tarball) from `pathOrUrl`, resolved like getJson.
  getBytes(pathOrUrl: string, spec: { name?: string; registry?: string } = {}): Promise<Buffer> {
    return this.#limit(async () => {
      const { response, url } = await this.#get(pathOrUrl, spec, 'application/octet-stream', MAX_TARBALL_BYTES);
      if (response.status === 404) throw new FetchError('not-found', url, `${url}: HTTP 404`, 404);
      return response.body;
    });
  }

  // A 2xx or 404 response, after redirects and retries; anything else is a FetchError.
  async #get(pathOrUrl: string, spec: { name?: string; registry?: string }, accept: string, maxBytes: number): Promise<{ response: RawResponse; url: string }> {
    const { npm } = this.#options;
    const registry = spec.registry ?? (spec.name ? this.registryFor(spec.name) : npm.registry);
    let url = new URL(describe(pathOrUrl, registry));
    const safeUrl = redactUrl(url.toString());
    this.#assertTimeLeft(safeUrl);
    // Credentials (token and client certificate) go to the registry's own origin only: a
    // redirect elsewhere drops them.
    const authHeaders = this.#authHeaders(url, registry, spec.name);
    const origin = url.origin;
    for (let redirects = 0; ; redirects++) {
      const sameOrigin = url.origin === origin;
      const headers: Record<string, string> = { accept, 'accept-encoding': 'gzip, deflate, br', 'user-agent': USER_AGENT, ...(sameOrigin ? authHeaders.headers : {}) };
      const response = await this.#getWithRetries(url, headers, sameOrigin ? authHeaders.tls : {}, maxBytes, safeUrl);
      const location = response.headers.location;
      if (response.status >= 300 && response.status < 400 && response.status !== 304 && location !== undefined && redirects < MAX_REDIRECTS) {
        const next = new URL(location, url);
        if (next.protocol !== 'https:' && next.protocol !== 'http:') throw new FetchError('unreachable', safeUrl, `${safeUrl}: redirected to a ${next.protocol} URL`, response.status);
        url = next;
        continue;
      }
      if (response.status === 404 || (response.status >= 200 && response.status < 300)) return { response, url: safeUrl };
      throw new FetchError('unreachable', safeUrl, `${safeUrl}: HTTP ${response.status}`, response.status);
    }
  }

  async #getWithRetries(url: URL, headers: Record<string, string>, tls: { cert?: unknown; key?: unknown }, maxBytes: number, safeUrl: string): Promise<RawResponse> {
    const { retries, timeoutMs, signal } = this.#options;
    for (let attempt = 0; ; attempt++) {
      this.#assertTimeLeft(safeUrl);
      this.stats.requests++;
      let response: RawResponse | undefined;
      let failure: FetchError;
      let retryAfterMs: number | undefined;
      try {
        response = await getOnce(url, { headers, agent: this.#agent(url, tls), timeoutMs, maxBytes, ...(signal ? { signal } : {}) });
        if (!RETRY_STATUSES.has(response.status) && response.status < 500) return response;
        failure = new FetchError('unreachable', safeUrl, `${safeUrl}: HTTP ${response.status}`, response.status);
        retryAfterMs = parseRetryAfter(response.headers['retry-after']);
      } catch (cause) {
        if (!(cause instanceof TransportError)) throw cause;
        failure = toFetchError(cause, safeUrl, maxBytes);
        if (cause.tooLarge || !(cause.bodyFailed || RETRY_ERRORS.has(cause.code))) throw failure;
      }
      if (attempt >= retries || signal?.aborted) {
        if (response !== undefined) return response;
        throw failure;
      }
      await sleep(retryAfterMs ?? backoffMs(attempt), signal);
    }
  }

  // npm's credentials for this URL (`//host/:_authToken`, `_auth`, username and password,
  // certfile and keyfile), picked by npm-registry-fetch. Its answer depends on the URL only
  // through the longest configured credential prefix the URL falls under and its host, so it is
  // asked once per (host, prefix, registry, scope) instead of per request (~0.1 ms each).
  #authHeaders(url: URL, registry: string, name: string | undefined): { headers: Record<string, string>; tls: { cert?: unknown; key?: unknown } } {
    const scope = name?.startsWith('@') ? name.slice(0, name.indexOf('/')) : '';
    const key = `${url.host}\0${this.#credentialPrefixFor(url)}\0${registry}\0${scope}`;
    let cached = this.#auth.get(key);
    if (cached === undefined) {
      // The spec matters to npm's credential picker only through its scope (`@scope:registry`).
      const auth = getAuth(url.toString(), { ...this.#options.npm, registry, ...(scope ? { spec: name } : {}) });
      const headers: Record<string, string> = {};
      if (auth.token) headers.authorization = `Bearer ${auth.token}`;
      else if (auth.auth) headers.authorization = `Basic ${auth.auth}`;
      cached = { headers, tls: { ...(auth.cert ? { cert: auth.cert } : {}), ...(auth.key ? { key: auth.key } : {}) } };
      this.#auth.set(key, cached);
    }
    return cached;
  }

  // The longest `//host/path` prefix with credentials in npm's settings that npm-registry-fetch
  // would reach from this URL (it walks `//host/path` up one segment or slash at a time).
  #credentialPrefixFor(url: URL): string {
    this.#credentialPrefixes ??= [
      ...new Set(Object.keys(this.#options.npm).flatMap((option) => CREDENTIAL_OPTION.exec(option)?.[1] ?? [])),
    ];
    const full = `//${url.host}${url.pathname}`;
    let best = '';
    for (const prefix of this.#credentialPrefixes) {
      const reachable = full === prefix || (full.startsWith(prefix) && (prefix.endsWith('/') || full[prefix.length] === '/'));
      if (reachable && prefix.length > best.length) best = prefix;
    }
    return best;
  }

  // npm's agent for this URL: its proxy, noproxy, CA, client certificate and strict-ssl settings,
  // one keep-alive pool per set of options (getNpmAgent keeps them).
  #agent(url: URL, tls: { cert?: unknown; key?: unknown }) {
    // One lookup per origin and client certificate: the agent's key is derived from every option
    // on each call.
    const key = `${url.origin}\0${String(tls.cert ?? '')}\0${String(tls.key ?? '')}`;
    if (!this.#agents.has(key)) this.#agents.set(key, this.#newAgent(url, tls));
    return this.#agents.get(key);
  }

  #newAgent(url: URL, tls: { cert?: unknown; key?: unknown }) {
    const npm = this.#options.npm;
    return getNpmAgent(url, npm, { cert: tls.cert ?? npm.cert, key: tls.key ?? npm.key, maxSockets: this.#options.concurrency, timeoutMs: this.#options.timeoutMs });
  }

  // npm's registry for a package name (`@scope:registry`, else `registry`); it depends only on
  // the scope, so it is picked once per scope (parsing each name is ~40 µs).
  registryFor(name: string): string {
    const scope = name.startsWith('@') ? name.slice(0, name.indexOf('/') + 1) : '';
    let registry = this.#registries.get(scope);
    if (registry === undefined) {
      registry = pickRegistry(scope.slice(0, -1), this.#options.npm);
      // A scope's registry from .npmrc is checked when first used, as npm does: a bad one is a
      // configuration error, not a failure halfway through the run.
      assertRegistryUrl(registry, scope === '' ? 'registry' : `${scope.slice(0, -1)}:registry`);
      this.#registries.set(scope, registry);
    }
    return registry;
  }

  #assertTimeLeft(url: string): void {
    if (this.#options.signal?.aborted) {
      throw new FetchError('deadline', url, `${url}: not fetched, the run's --timeout expired`);
    }
  }
}

function toFetchError(error: TransportError, url: string, maxBytes: number): FetchError {
  if (error.tooLarge) {
    return new FetchError('too-large', url, `${url}: INPUT_TOO_LARGE: expected a response of at most ${maxBytes} bytes, got ${error.message}`, error.status, error);
  }
  // The run's deadline aborted it (while waiting for the headers or reading the body).
  if (error.code === 'ABORT_ERR') return new FetchError('deadline', url, `${url}: not fetched, the run's --timeout expired`, error.status, error);
  if (error.bodyFailed) {
    const failure = new FetchError('unreachable', url, `${url}: body not received (${error.message})`, error.status, error);
    failure.bodyFailed = true;
    return failure;
  }
  return new FetchError('unreachable', url, `${url}: ${error.message}`, error.status, error);
}

// Retry-After in seconds (or an HTTP date), bounded: a registry cannot park the gate.
function parseRetryAfter(value: string | string[] | undefined): number | undefined {
  if (typeof value !== 'string') return undefined;
  const seconds = /^\d+$/.test(value.trim()) ? Number(value) * 1000 : Date.parse(value) - Date.now();
  return Number.isFinite(seconds) ? Math.min(Math.max(seconds, 0), 10_000) : undefined;
}

function backoffMs(attempt: number): number {
  return Math.min(BACKOFF.maxMs, BACKOFF.minMs * BACKOFF.factor ** attempt) * (1 + Math.random());
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

// npm's registry for a package of this scope ('' when unscoped), picked as npm-registry-fetch's
// pickRegistry does: the scope's `@scope:registry`, else that of npm's `scope` setting, else
// `registry`, else the public registry.
export function pickRegistry(scope: string, npm: Record<string, unknown>): string {
  const scopeRegistry = (name: unknown) => (typeof name === 'string' && name !== '' ? npm[`${name.replace(/^@?/, '@')}:registry`] : undefined);
  return String(scopeRegistry(scope) || scopeRegistry(npm.scope) || npm.registry || NPM_PUBLIC_REGISTRY);
}

function describe(pathOrUrl: string, registry: string): string {
  if (/^https?:\/\//.test(pathOrUrl)) return pathOrUrl;
  return `${registry.replace(/\/?$/, '')}/${pathOrUrl.replace(/^\//, '')}`;
}

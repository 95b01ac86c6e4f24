import npmFetch from 'npm-registry-fetch';
import pLimit, { type LimitFunction } from 'p-limit';
import type { NpmFlatOptions } from './npm-config.js';
import { FetchError, redactUrl } from './fetch-error.js';

export interface HttpOptions {
  npm: NpmFlatOptions;
  // Requests in flight at once, across every registry.
  concurrency: number;
  // Per request, including reading the body.
  timeoutMs: number;
  // Retries after the first try, on 408/420/429/5xx and on network errors.
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

export interface JsonResponse {
  status: number;
  body: unknown;
  // The full URL requested, without credentials: safe to print and report.
  url: string;
}

export interface HttpStats {
  requests: number;
}

// A JSON GET against a registry: npm's auth, proxy and CA settings, keep-alive sockets, retries
// with backoff, a per-request timeout, a concurrency cap, and no HTTP cache of npm's (the gate
// wants what the registry says now; verified evidence has its own cache).
export class RegistryHttp {
  readonly stats: HttpStats = { requests: 0 };
  readonly #limit: LimitFunction;
  readonly #options: HttpOptions;

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
      const opts = this.#requestOptions(spec);
      this.#assertTimeLeft(describe(pathOrUrl, opts.registry as string));
      const url = redactUrl(describe(pathOrUrl, opts.registry as string));
      // npm-registry-fetch retries failed requests, but not a body cut off after the headers
      // arrived: those are retried here, within the same budget.
      for (let attempt = 0; ; attempt++) {
        try {
          return await this.#getOnce(pathOrUrl, opts, url, spec.maxBytes ?? MAX_DOCUMENT_BYTES);
        } catch (error) {
          if (!(error instanceof FetchError) || !error.bodyFailed || attempt >= this.#options.retries) throw error;
        }
      }
    });
  }

  // Fetches bytes (a tarball) from `pathOrUrl`, resolved like getJson.
  getBytes(pathOrUrl: string, spec: { name?: string; registry?: string } = {}): Promise<Buffer> {
    return this.#limit(async () => {
      const opts = this.#requestOptions({ ...spec, accept: 'application/octet-stream' });
      this.#assertTimeLeft(describe(pathOrUrl, opts.registry as string));
      const url = redactUrl(describe(pathOrUrl, opts.registry as string));
      this.stats.requests++;
      try {
        const response = await npmFetch(pathOrUrl, opts);
        return Buffer.from(await response.arrayBuffer());
      } catch (cause) {
        const error = cause as Error & { statusCode?: number; code?: string };
        const kind = error.statusCode === 404 ? 'not-found' : 'unreachable';
        throw new FetchError(kind, url, `${url}: ${error.statusCode ? `HTTP ${error.statusCode}` : (error.code ?? error.message.split('\n')[0])}`, error.statusCode, cause);
      }
    });
  }

  async #getOnce(pathOrUrl: string, opts: Record<string, unknown>, url: string, maxBytes: number): Promise<JsonResponse> {
    this.stats.requests++;
    let response;
    try {
      response = await npmFetch(pathOrUrl, opts);
    } catch (cause) {
      const error = cause as Error & { statusCode?: number; code?: string };
      if (error.statusCode === 404) return { status: 404, body: undefined, url };
      const reason = error.statusCode ? `HTTP ${error.statusCode}` : (error.code ?? error.message.split('\n')[0]);
      throw new FetchError('unreachable', url, `${url}: ${reason}`, error.statusCode, cause);
    }
    let text: string;
    try {
      text = await readBody(response, maxBytes, this.#options.timeoutMs);
    } catch (cause) {
      if (cause instanceof BodyTooLargeError) {
        throw new FetchError('too-large', url, `${url}: INPUT_TOO_LARGE: expected a response of at most ${maxBytes} bytes, got ${cause.received}`, response.status, cause);
      }
      const error = new FetchError('unreachable', url, `${url}: body not received (${(cause as Error).message.split('\n')[0]})`, response.status, cause);
      error.bodyFailed = true;
      throw error;
    }
    try {
      return { status: response.status, body: JSON.parse(text), url };
    } catch (cause) {
      throw new FetchError('malformed', url, `${url}: expected JSON, got ${Buffer.byteLength(text)} bytes that do not parse`, response.status, cause);
    }
  }

  #assertTimeLeft(url: string): void {
    if (this.#options.signal?.aborted) {
      throw new FetchError('unreachable', redactUrl(url), `${redactUrl(url)}: not fetched, the run's --timeout expired`);
    }
  }

  #requestOptions(spec: { name?: string; registry?: string; accept?: string }): Record<string, unknown> {
    const { npm, timeoutMs, retries, concurrency } = this.#options;
    const opts: Record<string, unknown> = {
      ...npm,
      // npm's HTTP cache would let a stale copy stand in for the registry's answer.
      cache: undefined,
      preferOnline: true,
      timeout: timeoutMs,
      maxSockets: concurrency,
      retry: { retries, factor: 2, minTimeout: 100, maxTimeout: 2_000, randomize: true },
      headers: { accept: spec.accept ?? 'application/json' },
      ...(this.#options.signal === undefined ? {} : { signal: this.#options.signal }),
    };
    if (spec.registry) opts.registry = spec.registry;
    if (spec.name) opts.spec = spec.name;
    opts.registry = spec.registry ?? (spec.name ? npmFetch.pickRegistry(spec.name, npm) : npm.registry);
    return opts;
  }
}

// A body that passed its limit; `received` counts the bytes read before giving up (or the
// declared content-length).
class BodyTooLargeError extends Error {
  constructor(readonly received: string) {
    super(`response body over the limit (${received})`);
    this.name = 'BodyTooLargeError';
  }
}

interface StreamingResponse {
  headers: { get(name: string): string | null };
  body: (NodeJS.ReadableStream & { destroy?: (error?: Error) => void }) | null;
}

// Reads a response body as UTF-8, counting the (decompressed) bytes as they arrive and giving up
// past `maxBytes`, so that an endless or huge body costs at most maxBytes of memory. `timeoutMs`
// bounds the whole body, as npm-registry-fetch's own body timeout did.
function readBody(response: StreamingResponse, maxBytes: number, timeoutMs: number): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  const body = response.body;
  if (body === null) return Promise.resolve('');
  if (Number.isFinite(declared) && declared > maxBytes) {
    body.destroy?.();
    return Promise.reject(new BodyTooLargeError(`content-length ${declared}`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (error: Error | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      body.removeListener('data', onData);
      if (error === null) {
        resolve(Buffer.concat(chunks, size).toString('utf8'));
        return;
      }
      chunks.length = 0;
      body.destroy?.();
      reject(error);
    };
    const onData = (chunk: Buffer | string): void => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += bytes.length;
      if (size > maxBytes) finish(new BodyTooLargeError(`more than ${maxBytes} bytes`));
      else chunks.push(bytes);
    };
    const timer = setTimeout(() => finish(new Error(`body not received within ${timeoutMs} ms`)), timeoutMs);
    timer.unref?.();
    body.on('data', onData);
    body.once('end', () => finish(null));
    body.once('error', (error: Error) => finish(error));
  });
}

function describe(pathOrUrl: string, registry: string): string {
  if (/^https?:\/\//.test(pathOrUrl)) return pathOrUrl;
  return `${registry.replace(/\/?$/, '')}/${pathOrUrl.replace(/^\//, '')}`;
}

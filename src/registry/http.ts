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
}

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
  getJson(pathOrUrl: string, spec: { name?: string; registry?: string; accept?: string } = {}): Promise<JsonResponse> {
    return this.#limit(async () => {
      const opts = this.#requestOptions(spec);
      const url = redactUrl(describe(pathOrUrl, opts.registry as string));
      // npm-registry-fetch retries failed requests, but not a body cut off after the headers
      // arrived: those are retried here, within the same budget.
      for (let attempt = 0; ; attempt++) {
        try {
          return await this.#getOnce(pathOrUrl, opts, url);
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

  async #getOnce(pathOrUrl: string, opts: Record<string, unknown>, url: string): Promise<JsonResponse> {
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
      text = await response.text();
    } catch (cause) {
      const error = new FetchError('unreachable', url, `${url}: body not received (${(cause as Error).message.split('\n')[0]})`, response.status, cause);
      error.bodyFailed = true;
      throw error;
    }
    try {
      return { status: response.status, body: JSON.parse(text), url };
    } catch (cause) {
      throw new FetchError('malformed', url, `${url}: expected JSON, got ${text.length} bytes that do not parse`, response.status, cause);
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
    };
    if (spec.registry) opts.registry = spec.registry;
    if (spec.name) opts.spec = spec.name;
    opts.registry = spec.registry ?? (spec.name ? npmFetch.pickRegistry(spec.name, npm) : npm.registry);
    return opts;
  }
}

function describe(pathOrUrl: string, registry: string): string {
  if (/^https?:\/\//.test(pathOrUrl)) return pathOrUrl;
  return `${registry.replace(/\/?$/, '')}/${pathOrUrl.replace(/^\//, '')}`;
}

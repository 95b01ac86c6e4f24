import { BaseFetcher } from 'tuf-js';
import { getNpmAgent } from './npm-agent.js';
import type { NpmFlatOptions } from './npm-config.js';
import { getOnce } from './transport.js';

// The largest TUF document or target read (Sigstore's are a few KB; tuf-js checks each file's
// own limit as it reads the bytes handed over).
const MAX_TUF_BYTES = 4 * 1024 * 1024;
const MAX_REDIRECTS = 5;
const USER_AGENT = `verify-deps (node/${process.version})`;

// Fetches TUF metadata and targets over npm's agent (.npmrc's proxy, noproxy, cafile/ca and
// strict-ssl), with no credentials: npm's tokens and client certificates belong to registries,
// never to the TUF host. The bytes are only trusted once tuf-js has verified them.
export class NpmTufFetcher extends BaseFetcher {
  constructor(
    readonly npm: NpmFlatOptions,
    readonly timeoutMs: number,
  ) {
    super();
  }

  // The status of a GET, and its body when 200 (redirects followed, as a browser's fetch does).
  async get(url: string): Promise<{ status: number; body: Buffer }> {
    let target = new URL(url);
    for (let hop = 0; ; hop++) {
      const response = await getOnce(target, {
        headers: { 'user-agent': USER_AGENT, accept: 'application/json, application/octet-stream' },
        agent: getNpmAgent(target, this.npm, { maxSockets: 4, timeoutMs: this.timeoutMs }),
        timeoutMs: this.timeoutMs,
        maxBytes: MAX_TUF_BYTES,
      });
      const location = response.headers.location;
      if (response.status >= 300 && response.status < 400 && location && hop < MAX_REDIRECTS) {
        target = new URL(location, target);
        continue;
      }
      return { status: response.status, body: response.body };
    }
  }

  async fetch(url: string): Promise<ReadableStream<Uint8Array<ArrayBuffer>>> {
    const { status, body } = await this.get(url);
    if (status !== 200) throw new Error(`${url}: expected HTTP 200, got ${status}`);
    return new Blob([new Uint8Array(body)]).stream() as ReadableStream<Uint8Array<ArrayBuffer>>;
  }
}

// A fetcher that never goes to the network: a run on the cached TUF metadata alone.
export class NoNetworkFetcher extends BaseFetcher {
  fetch(url: string): Promise<ReadableStream<Uint8Array<ArrayBuffer>>> {
    return Promise.reject(new Error(`${url}: not fetched (cached TUF metadata only)`));
  }
}

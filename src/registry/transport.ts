// One HTTP GET over the agent npm-agent.ts picks (npm's @npmcli/agent when a proxy is set, else
// node's with npm's TLS settings), with the body read under a byte limit and a deadline. This is
// the transport npm-registry-fetch uses underneath make-fetch-happen and minipass-fetch; those two
// layers cost ~0.6 ms of CPU per request (a third of a cold run on 1,700 packages) and bring an
// HTTP cache the gate does not want, so they are left out.
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface RequestOptions {
  headers: Record<string, string>;
  agent: http.Agent | false | undefined;
  // Connect, headers and body together.
  timeoutMs: number;
  maxBytes: number;
  signal?: AbortSignal;
}

// Why a request failed, in the words a report can use. `bodyFailed`: headers arrived, the body
// did not (cut off, stalled, undecodable); `tooLarge`: the body passed its limit.
export class TransportError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status?: number,
    readonly bodyFailed = false,
    readonly tooLarge = false,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

// GETs `url`; resolves with any status (redirects are the caller's), rejects with TransportError.
export function getOnce(url: URL, options: RequestOptions): Promise<RawResponse> {
  const send = url.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (error: TransportError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      reject(error);
    };
    const timer = setTimeout(() => fail(new TransportError(`no complete response within ${options.timeoutMs} ms`, 'ETIMEDOUT', status, status !== undefined)), options.timeoutMs);
    timer.unref?.();
    let status: number | undefined;
    const request = send(url, {
      method: 'GET',
      headers: options.headers,
      ...(options.agent === undefined ? {} : { agent: options.agent }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    request.on('error', (error: NodeJS.ErrnoException) => fail(new TransportError(error.code ?? error.message.split('\n')[0] ?? 'request failed', error.code ?? 'EREQUEST', status, status !== undefined)));
    request.on('response', (response: IncomingMessage) => {
      status = response.statusCode ?? 0;
      readBody(response, options.maxBytes).then(
        (body) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({ status: status as number, headers: response.headers, body });
        },
        (error: TransportError) => fail(error),
      );
    });
    request.end();
  });
}

// The decoded body. The bytes on the wire are counted as they arrive and the decoded size is
// bounded too (zlib's maxOutputLength), so an endless, huge or inflating body costs at most
// maxBytes of memory. Registry documents are small: decoding them in one call is cheaper than a
// zlib stream per response.
function readBody(response: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const status = response.statusCode;
  const declared = Number(response.headers['content-length']);
  const encoding = String(response.headers['content-encoding'] ?? 'identity').toLowerCase();
  const decode = DECODERS[encoding];
  if (decode === undefined) {
    response.destroy();
    return Promise.reject(new TransportError(`unsupported content-encoding ${encoding}`, 'EENCODING', status, true));
  }
  if (Number.isFinite(declared) && declared > maxBytes) {
    response.destroy();
    return Promise.reject(new TransportError(`content-length ${declared}`, 'ETOOLARGE', status, false, true));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (error?: TransportError): void => {
      if (done) return;
      done = true;
      if (error !== undefined) {
        chunks.length = 0;
        response.destroy();
        reject(error);
        return;
      }
      const raw = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
      try {
        resolve(decode(raw, maxBytes));
      } catch (cause) {
        const tooLarge = (cause as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
        reject(new TransportError(tooLarge ? `more than ${maxBytes} bytes once decoded` : `body not decodable as ${encoding}`, tooLarge ? 'ETOOLARGE' : 'EENCODING', status, !tooLarge, tooLarge));
      }
    };
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) finish(new TransportError(`more than ${maxBytes} bytes`, 'ETOOLARGE', status, false, true));
      else chunks.push(chunk);
    });
    response.once('end', () => (response.complete ? finish() : finish(new TransportError('body cut off', 'ECONNRESET', status, true))));
    response.once('aborted', () => finish(new TransportError('body cut off', 'ECONNRESET', status, true)));
    response.once('error', (error: NodeJS.ErrnoException) => finish(new TransportError(`body not received (${error.code ?? error.message})`, error.code ?? 'EBODY', status, true)));
  });
}

const DECODERS: Record<string, ((raw: Buffer, maxBytes: number) => Buffer) | undefined> = {
  identity: (raw) => raw,
  gzip: (raw, maxBytes) => gunzipSync(raw, { maxOutputLength: maxBytes }),
  'x-gzip': (raw, maxBytes) => gunzipSync(raw, { maxOutputLength: maxBytes }),
  deflate: (raw, maxBytes) => inflateSync(raw, { maxOutputLength: maxBytes }),
  br: (raw, maxBytes) => brotliDecompressSync(raw, { maxOutputLength: maxBytes }),
};

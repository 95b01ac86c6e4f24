// One HTTP GET over npm's own agent (@npmcli/agent: keep-alive pool, proxy, noproxy, CA, client
// certificates, strict-ssl), with the body read under a byte limit and a deadline. This is the
// transport npm-registry-fetch uses underneath make-fetch-happen and minipass-fetch; those two
// layers cost ~0.6 ms of CPU per request (a third of a cold run on 1,700 packages) and bring an
// HTTP cache the gate does not want, so they are left out.
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Readable } from 'node:stream';

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
    const request = send(url, { method: 'GET', headers: options.headers, ...(options.agent === undefined ? {} : { agent: options.agent }), ...(options.signal ? { signal: options.signal } : {}) });
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

// The (decoded) body, counted as it arrives: past `maxBytes` the response is abandoned, so an
// endless or huge body costs at most maxBytes of memory.
function readBody(response: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const status = response.statusCode;
  const declared = Number(response.headers['content-length']);
  const encoding = String(response.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding === 'identity' && Number.isFinite(declared) && declared > maxBytes) {
    response.destroy();
    return Promise.reject(new TransportError(`content-length ${declared}`, 'ETOOLARGE', status, false, true));
  }
  let stream: Readable = response;
  if (encoding === 'gzip' || encoding === 'x-gzip') stream = response.pipe(createGunzip());
  else if (encoding === 'deflate') stream = response.pipe(createInflate());
  else if (encoding === 'br') stream = response.pipe(createBrotliDecompress());
  else if (encoding !== 'identity') {
    response.destroy();
    return Promise.reject(new TransportError(`unsupported content-encoding ${encoding}`, 'EENCODING', status, true));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (error?: TransportError): void => {
      if (done) return;
      done = true;
      if (error === undefined) return resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
      chunks.length = 0;
      response.destroy();
      if (stream !== response) stream.destroy();
      reject(error);
    };
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) finish(new TransportError(`more than ${maxBytes} bytes`, 'ETOOLARGE', status, false, true));
      else chunks.push(chunk);
    });
    stream.once('end', () => (response.complete ? finish() : finish(new TransportError('body cut off', 'ECONNRESET', status, true))));
    stream.once('error', (error: NodeJS.ErrnoException) => finish(new TransportError(`body not received (${error.code ?? error.message})`, error.code ?? 'EBODY', status, true)));
    response.once('aborted', () => finish(new TransportError('body cut off', 'ECONNRESET', status, true)));
    response.once('error', (error: NodeJS.ErrnoException) => finish(new TransportError(`body not received (${error.code ?? error.message})`, error.code ?? 'EBODY', status, true)));
  });
}

// A raw HTTP GET for tests (node:http, no automatic decompression or retries), so tests see exactly
// what the fixture registry sent: status, headers, raw bytes, and socket errors as rejections.
import http from 'node:http';
import { gunzipSync } from 'node:zlib';

// What came back.
export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer; // raw bytes as received (still gzip-encoded if content-encoding: gzip)
  // JSON of the (gunzipped) body.
  json<T = unknown>(): T;
}

// GETs a URL; rejects on socket errors, resets, premature close, or after timeoutMs.
export function httpGet(url: string, headers: Record<string, string> = {}, timeoutMs = 5000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('aborted', () => reject(new Error('response aborted')));
      res.on('end', () => {
        if (!res.complete) return reject(new Error('response incomplete'));
        const body = Buffer.concat(chunks);
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body,
          json: <T>() => JSON.parse((res.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body).toString('utf8')) as T,
        });
      });
    });
    req.on('error', reject);
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
  });
}

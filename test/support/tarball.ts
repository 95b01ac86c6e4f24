// Small real npm tarballs (gzip of a ustar archive holding package/package.json) and their SRI.
import crypto from 'node:crypto';
import { gzipSync } from 'node:zlib';

function tarHeader(path: string, size: number): Buffer {
  const h = Buffer.alloc(512, 0);
  const put = (text: string, offset: number, length: number) => h.write(text, offset, length, 'ascii');
  put(path, 0, 100);
  put('0000644\0', 100, 8);
  put('0000000\0', 108, 8);
  put('0000000\0', 116, 8);
  put(`${size.toString(8).padStart(11, '0')}\0`, 124, 12);
  put(`${(499162500).toString(8).padStart(11, '0')}\0`, 136, 12); // 1985-10-26, as npm pack does
  put('        ', 148, 8);
  put('0', 156, 1);
  put('ustar\0', 257, 6);
  put('00', 263, 2);
  let sum = 0;
  for (const b of h) sum += b;
  put(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  return h;
}

// A .tgz whose only file is package/package.json with the given manifest (plus any extra files).
export function makeTarball(manifest: Record<string, unknown>, extraFiles: Record<string, string> = {}): Buffer {
  const files: Array<[string, Buffer]> = [
    ['package/package.json', Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`)],
    ...Object.entries(extraFiles).map(([p, c]): [string, Buffer] => [`package/${p}`, Buffer.from(c)]),
  ];
  const parts: Buffer[] = [];
  for (const [path, content] of files) {
    parts.push(tarHeader(path, content.length), content, Buffer.alloc((512 - (content.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(parts));
}

// sha512 SRI string of some bytes (what npm writes to dist.integrity).
export const sha512Integrity = (bytes: Buffer): string =>
  `sha512-${crypto.createHash('sha512').update(bytes).digest('base64')}`;

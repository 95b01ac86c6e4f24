// The files a registry tarball puts on disk when npm installs it, each with the sha256 of its
// bytes: what node_modules must hold for the package. Read with node-tar's parser, the library
// npm (pacote) extracts with, following the rules pacote gives it.

import { createHash } from 'node:crypto';
import { basename, posix } from 'node:path';
import { createGunzip } from 'node:zlib';
import type { ReadEntry } from 'tar';

// Package-relative posix path → FILE_DIGEST (hex) of the bytes npm writes there.
export type TarballFiles = Map<string, string>;

// The digest both sides of the comparison are computed with, this run: the tarball's own bytes
// are bound to the lockfile by their sha512, and sha256 is as binding for a file of them
// (collision resistance 2^128) at about half the cost of sha512 where the CPU has SHA extensions.
export const FILE_DIGEST = 'sha256';

// Output chunks of the gunzip: fewer, larger round trips through the thread pool.
const GUNZIP_CHUNK_BYTES = 256 * 1024;

// Hashes every file a tarball installs, streaming each entry through FILE_DIGEST. Mirrors pacote's
// extraction (lib/fetcher.js #tarxOptions): the first path component ("package/") is stripped,
// links are not extracted, only regular files are written, a `.gitignore` becomes `.npmignore`
// unless an `.npmignore` beside it came first, a path with `..` is refused and a leading `/`
// dropped, and a later entry for the same path replaces an earlier one. Where this model and
// npm could differ, the installed file is reported, never accepted unseen. Entries npm would
// skip with a warning are skipped; rejects when the bytes are not a gzipped (or plain) tar archive.
export async function readTarballFiles(bytes: Uint8Array): Promise<TarballFiles> {
  // tar loads only when a tarball is read (--installed): most runs never read one.
  const { Parser } = await import('tar');
  const files: TarballFiles = new Map();
  const sawIgnores = new Set<string>();
  return new Promise((resolve, reject) => {
    const parser = new Parser({
      onReadEntry: (entry: ReadEntry) => {
        const path = toInstalledPath(entry, sawIgnores);
        if (path === undefined) {
          entry.resume();
          return;
        }
        const hash = createHash(FILE_DIGEST);
        entry.on('data', (chunk: Buffer) => hash.update(chunk));
        entry.on('end', () => files.set(path, hash.digest('hex')));
      },
    });
    parser.on('error', reject);
    parser.on('end', () => resolve(files));
    const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (input[0] !== 0x1f || input[1] !== 0x8b) {
      parser.end(input);
      return;
    }
    // Gunzipped on the thread pool, beside the main thread's reading of installed files, in
    // chunks the parser takes as they come (the unpacked archive is never held whole).
    const gunzip = createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES });
    gunzip.on('error', reject);
    gunzip.on('data', (chunk: Buffer) => parser.write(chunk));
    gunzip.on('end', () => parser.end());
    gunzip.end(input);
  });
}

// Where npm writes an entry, relative to the package directory; undefined when it writes none.
function toInstalledPath(entry: ReadEntry, sawIgnores: Set<string>): string | undefined {
  if (!/File$/.test(entry.type)) return undefined;
  let path = entry.path;
  const base = basename(path);
  if (base === '.npmignore') sawIgnores.add(path);
  else if (base === '.gitignore') {
    const renamed = path.replace(/\.gitignore$/, '.npmignore');
    if (sawIgnores.has(renamed)) return undefined;
    path = renamed;
  }
  const parts = path.split('/').slice(1);
  if (parts.includes('..')) return undefined;
  const stripped = parts.join('/').replace(/^\/+/, '');
  const normal = posix.normalize(stripped);
  return normal === '' || normal === '.' || normal.endsWith('/') ? undefined : normal;
}

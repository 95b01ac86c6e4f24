// The digest of one file that must be a regular file inside an untrusted directory: opened with
// O_NOFOLLOW, so that an entry swapped for a symlink after it was looked at is not followed out
// of its directory, and O_NONBLOCK, so that a FIFO swapped in cannot hang the run. Only reads.
import { createHash } from 'node:crypto';
import { closeSync, constants, createReadStream, fstatSync, openSync, readSync } from 'node:fs';

export type RegularFileDigest =
  | { kind: 'file'; digest: Buffer }
  // Opened, but no regular file (a FIFO, a socket or a device swapped in).
  | { kind: 'not-a-regular-file' }
  // Could not be opened (ELOOP: a symlink now; ENOENT: gone): the caller says what that means.
  | { kind: 'unopened'; error: NodeJS.ErrnoException };

export type DigestAlgorithm = 'sha256' | 'sha384' | 'sha512';

// Files this large or larger are hashed as a stream off the event loop; smaller ones are read
// synchronously: for a file of a package (most are a few KB, already in the page cache) the four
// system calls take microseconds, far less than four thread-pool round trips and their promises,
// which made most of the cost of `check --installed`.
const STREAM_FROM_BYTES = 1024 * 1024;

// Every synchronous read goes through this one buffer (nothing else runs during it).
const scratch = Buffer.allocUnsafe(64 * 1024);

const FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

// Digests the file at `path` with `algorithm`. Errors after the file was opened are thrown.
export async function digestRegularFile(path: string, algorithm: DigestAlgorithm): Promise<RegularFileDigest> {
  const opened = openRegularFile(path);
  if ('kind' in opened) return opened;
  if (opened.size < STREAM_FROM_BYTES) return readAndClose(opened.fd, algorithm);
  let streaming = false;
  try {
    const hash = createHash(algorithm);
    streaming = true;
    for await (const chunk of createReadStream('', { fd: opened.fd, autoClose: true })) hash.update(chunk as Buffer);
    return { kind: 'file', digest: hash.digest() };
  } finally {
    if (!streaming) closeSync(opened.fd);
  }
}

// The same, synchronously, for a file under STREAM_FROM_BYTES; `large` (nothing read) for a
// larger one, which digestRegularFile streams. Lets a caller read many small files without a
// promise each.
export function digestSmallRegularFile(path: string, algorithm: DigestAlgorithm): RegularFileDigest | { kind: 'large' } {
  const opened = openRegularFile(path);
  if ('kind' in opened) return opened;
  if (opened.size < STREAM_FROM_BYTES) return readAndClose(opened.fd, algorithm);
  closeSync(opened.fd);
  return { kind: 'large' };
}

// The file opened, with its size, when it is a regular file; otherwise what it is (closed).
function openRegularFile(path: string): { fd: number; size: number } | Exclude<RegularFileDigest, { kind: 'file' }> {
  let fd: number;
  try {
    fd = openSync(path, FLAGS);
  } catch (error) {
    return { kind: 'unopened', error: error as NodeJS.ErrnoException };
  }
  try {
    // Looked at once opened: the entry may have been swapped since it was listed.
    const info = fstatSync(fd);
    if (info.isFile()) return { fd, size: info.size };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  closeSync(fd);
  return { kind: 'not-a-regular-file' };
}

function readAndClose(fd: number, algorithm: DigestAlgorithm): RegularFileDigest {
  try {
    const hash = createHash(algorithm);
    // Read to the end, not to the size fstat saw: the bytes hashed are the bytes there.
    for (let n = readSync(fd, scratch); n > 0; n = readSync(fd, scratch)) hash.update(scratch.subarray(0, n));
    return { kind: 'file', digest: hash.digest() };
  } finally {
    closeSync(fd);
  }
}

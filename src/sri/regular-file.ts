// The digest of one file that must be a regular file inside an untrusted directory: opened with
// O_NOFOLLOW, so that an entry swapped for a symlink after it was looked at is not followed out
// of its directory, and O_NONBLOCK, so that a FIFO swapped in cannot hang the run. Only reads.
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

export type RegularFileDigest =
  | { kind: 'file'; digest: Buffer }
  // Opened, but no regular file (a FIFO, a socket or a device swapped in).
  | { kind: 'not-a-regular-file' }
  // Could not be opened (ELOOP: a symlink now; ENOENT: gone): the caller says what that means.
  | { kind: 'unopened'; error: NodeJS.ErrnoException };

// Files this large or larger are hashed as a stream, smaller ones read whole (fewer calls).
const STREAM_FROM_BYTES = 1024 * 1024;

// Digests the file at `path` with `algorithm`. Errors after the file was opened are thrown.
export async function digestRegularFile(path: string, algorithm: 'sha384' | 'sha512'): Promise<RegularFileDigest> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    return { kind: 'unopened', error: error as NodeJS.ErrnoException };
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { kind: 'not-a-regular-file' };
    const hash = createHash(algorithm);
    if (info.size < STREAM_FROM_BYTES) hash.update(await handle.readFile());
    else for await (const chunk of handle.createReadStream({ autoClose: false })) hash.update(chunk as Buffer);
    return { kind: 'file', digest: hash.digest() };
  } finally {
    await handle.close();
  }
}

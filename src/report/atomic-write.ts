// Writes files so that a reader never sees half of one: the bytes go to a temporary file in the
// same directory, are fsynced, and only then take the target's name. npm's `write-file-atomic`
// does the same but is not a dependency; these few lines are all this project needs of it.

import { randomBytes } from 'node:crypto';
import { link, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { EXIT, VerifyDepsError, type ErrorDetails } from '../errors.js';

export type OutputErrorCode = 'OUTPUT_UNWRITABLE';

// An output file (manifest, report, ledger record) could not be written.
export class OutputError extends VerifyDepsError<OutputErrorCode> {
  constructor(code: OutputErrorCode, message: string, details: ErrorDetails = {}, cause?: unknown) {
    super(code, message, EXIT.badInput, details, cause);
  }
}

export interface ExclusiveWriteOptions {
  // Where the temporary file goes (default: the target's directory). It must be on the same
  // filesystem; a separate directory lets the target's directory be append-only (`chattr +a`).
  tempDir?: string;
}

// Text given in pieces (an iterable of strings) is written as it is produced, never held whole.
export type FileData = string | Uint8Array | Iterable<string>;

// Replaces `path` with `data` atomically: readers see the old file or the new one, never a mix.
export async function writeFileAtomic(path: string, data: FileData): Promise<void> {
  const temp = await writeTempFile(dirname(path), basename(path), data, path);
  try {
    await rename(temp, path);
  } catch (err) {
    await removeIfExists(temp);
    throw toOutputError(path, err);
  }
  await syncDirectory(dirname(path));
}

// Creates `path` with `data` atomically and never overwrites: false when `path` already exists.
// link(2) publishes the complete, fsynced file under the new name and fails if the name is
// taken, which rename(2) would silently replace.
export async function writeFileExclusive(path: string, data: string | Uint8Array, options: ExclusiveWriteOptions = {}): Promise<boolean> {
  const temp = await writeTempFile(options.tempDir ?? dirname(path), basename(path), data, path);
  try {
    await link(temp, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      return false;
    }
    throw toOutputError(path, err);
  } finally {
    await removeIfExists(temp);
  }
  await syncDirectory(dirname(path));
  return true;
}

// Removes a file if it is there; a missing file is not an error, nor is a path through a file
// (ENOTDIR: nothing can be there).
export async function removeIfExists(path: string): Promise<void> {
  await rm(path, { force: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOTDIR') throw error;
  });
}

// Writes and fsyncs a uniquely named temporary file (pid + random: two processes or two calls in
// one process never share one) and returns its path; on failure nothing is left behind.
async function writeTempFile(dir: string, name: string, data: FileData, target: string): Promise<string> {
  const temp = join(dir, `.${name}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let handle: FileHandle | undefined;
  try {
    // `wx`: refuse to open a file someone else planted under the temporary name.
    handle = await open(temp, 'wx', 0o644);
    await writeInPieces(handle, data);
    await handle.sync();
    await handle.close();
    return temp;
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await removeIfExists(temp);
    throw toOutputError(target, err);
  }
}

// Makes the new directory entry durable. Best effort: some platforms cannot fsync a directory.
async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Not supported here (Windows, some network filesystems): the rename itself is still atomic.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

function toOutputError(path: string, err: unknown): OutputError {
  if (err instanceof OutputError) {
    return err;
  }
  const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
  return new OutputError('OUTPUT_UNWRITABLE', `cannot write ${path}: ${reason}`, {
    file: path,
    hint: 'Check that the directory exists, is writable and has free space.',
  }, err);
}

// Writes a string a slice at a time, and text in pieces as it comes: handle.writeFile would
// first copy all of it into one Buffer (a report at 10,000 packages is tens of MB, and that copy
// was the run's peak memory).
async function writeInPieces(handle: FileHandle, data: FileData): Promise<void> {
  if (data instanceof Uint8Array) await handle.writeFile(data);
  else await writeEachPiece(handle, typeof data === 'string' ? inSlices(data) : data);
}

// A string in slices that each fit the write buffer once encoded, never cut between the two
// halves of a surrogate pair (each would be written as a replacement character).
function* inSlices(text: string): Generator<string> {
  for (let start = 0; start < text.length; ) {
    let end = Math.min(start + SLICE_CHARS, text.length);
    if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end--;
    yield text.slice(start, end);
    start = end;
  }
}

// Encodes the pieces one after another into one reused buffer, written out whenever the next
// piece might not fit: joining them into strings first and encoding those copied every byte twice.
async function writeEachPiece(handle: FileHandle, pieces: Iterable<string>): Promise<void> {
  const buffer = Buffer.allocUnsafe(WRITE_BUFFER_BYTES);
  let used = 0;
  for (const piece of pieces) {
    // A UTF-16 code unit is at most 3 bytes of UTF-8 (a surrogate pair, two units, is 4).
    const most = piece.length * 3;
    if (most > buffer.length - used) {
      // The buffer is handed to the file before it is filled again: each write is awaited.
      if (used > 0) await writeAll(handle, buffer.subarray(0, used));
      used = 0;
      if (most > buffer.length) {
        await writeAll(handle, Buffer.from(piece, 'utf8'));
        continue;
      }
    }
    used += buffer.write(piece, used, 'utf8');
  }
  if (used > 0) await writeAll(handle, buffer.subarray(0, used));
}

async function writeAll(handle: FileHandle, bytes: Buffer): Promise<void> {
  for (let offset = 0; offset < bytes.length; ) offset += (await handle.write(bytes, offset)).bytesWritten;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

const WRITE_BUFFER_BYTES = 1024 * 1024;
// At most 3 bytes of UTF-8 a UTF-16 code unit: a slice this long always fits the buffer.
const SLICE_CHARS = WRITE_BUFFER_BYTES / 4;

// The files of one installed package directory, each with the sha512 of its bytes, read without
// following a symlink. Only reads.

import { constants } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import pLimit, { type LimitFunction } from 'p-limit';

// What is at a package-relative posix path: a regular file and its sha512 (hex), or something
// npm never extracts from a tarball (a symlink, a FIFO, a socket, a device).
export type InstalledEntry = { kind: 'file'; sha512: string } | { kind: 'other' };

export interface InstalledWalk {
  // Whether the directory at this package-relative path belongs to another lockfile entry (a
  // nested dependency) or to npm (node_modules/.bin), and is not this package's content.
  isForeign: (relDir: string) => boolean;
  // Told after each file is hashed (the bench counts them).
  onFileHashed?: () => void;
  // Bounds the files read at once across the run (every package in flight shares it); default
  // FILES_IN_FLIGHT for this package alone.
  limit?: LimitFunction;
}

// Files this large or larger are hashed as a stream, smaller ones read whole (fewer calls).
const STREAM_FROM_BYTES = 1024 * 1024;

// Files read at once: most are small, and each read waits on the disk, not the CPU.
export const FILES_IN_FLIGHT = 16;

// Hashes every entry below a package directory, keyed by its package-relative posix path, except
// the directories `isForeign` names. Throws when the directory cannot be read.
export async function hashInstalledPackage(packageDir: string, walk: InstalledWalk): Promise<Map<string, InstalledEntry>> {
  const entries = new Map<string, InstalledEntry>();
  await walkDirectory(packageDir, '', { ...walk, entries, limit: walk.limit ?? pLimit(FILES_IN_FLIGHT) });
  return entries;
}

interface Walk extends Omit<InstalledWalk, 'limit'> {
  entries: Map<string, InstalledEntry>;
  limit: LimitFunction;
}

async function walkDirectory(absDir: string, relDir: string, walk: Walk): Promise<void> {
  const pending: Array<Promise<void>> = [];
  for (const entry of await readdir(absDir, { withFileTypes: true })) {
    const rel = relDir === '' ? entry.name : `${relDir}/${entry.name}`;
    const abs = join(absDir, entry.name);
    if (entry.isDirectory()) {
      if (!walk.isForeign(rel)) pending.push(walkDirectory(abs, rel, walk));
    } else if (entry.isFile()) {
      pending.push(walk.limit(async () => {
        walk.entries.set(rel, await hashFile(abs));
        walk.onFileHashed?.();
      }));
    } else {
      walk.entries.set(rel, { kind: 'other' });
    }
  }
  await Promise.all(pending);
}

// Opened with O_NOFOLLOW: a file swapped for a symlink after readdir is not followed out of the
// package; O_NONBLOCK: a FIFO swapped in cannot hang the run. Either is reported as 'other'.
async function hashFile(abs: string): Promise<InstalledEntry> {
  let handle;
  try {
    handle = await open(abs, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') return { kind: 'other' };
    throw error;
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { kind: 'other' };
    const hash = createHash('sha512');
    if (info.size < STREAM_FROM_BYTES) hash.update(await handle.readFile());
    else for await (const chunk of handle.createReadStream({ autoClose: false })) hash.update(chunk as Buffer);
    return { kind: 'file', sha512: hash.digest('hex') };
  } finally {
    await handle.close();
  }
}

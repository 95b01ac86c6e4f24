// The files of one installed package directory, each with the digest of its bytes, read without
// following a symlink. Only reads.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import pLimit, { type LimitFunction } from 'p-limit';
import { digestRegularFile, digestSmallRegularFile, type RegularFileDigest } from '../sri/regular-file.js';
import { FILE_DIGEST } from './tarball-files.js';

// What is at a package-relative posix path: a regular file and its FILE_DIGEST (hex), or something
// npm never extracts from a tarball (a symlink, a FIFO, a socket, a device).
export type InstalledEntry = { kind: 'file'; digest: string } | { kind: 'other' };

export interface InstalledWalk {
  // Whether the directory at this package-relative path belongs to another lockfile entry (a
  // nested dependency) or to npm (node_modules/.bin), and is not this package's content.
  isForeign: (relDir: string) => boolean;
  // Told after each file is hashed (the bench counts them).
  onFileHashed?: () => void;
  // Bounds the large files streamed at once across the run (every package in flight shares it);
  // default FILES_IN_FLIGHT for this package alone. Small files are read one at a time.
  limit?: LimitFunction;
}

// Large files streamed at once (src/sri/regular-file.ts): each read waits on the disk, not the CPU.
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
  // Listed synchronously, like the small files read (src/sri/regular-file.ts): one system call,
  // cheaper than its round trip through the thread pool.
  for (const entry of readdirSync(absDir, { withFileTypes: true })) {
    const rel = relDir === '' ? entry.name : `${relDir}/${entry.name}`;
    const abs = join(absDir, entry.name);
    if (entry.isDirectory()) {
      if (!walk.isForeign(rel)) pending.push(walkDirectory(abs, rel, walk));
    } else if (entry.isFile()) {
      const small = digestSmallRegularFile(abs, FILE_DIGEST);
      if (small.kind !== 'large') {
        walk.entries.set(rel, toInstalledEntry(small));
        walk.onFileHashed?.();
        continue;
      }
      pending.push(walk.limit(async () => {
        walk.entries.set(rel, toInstalledEntry(await digestRegularFile(abs, FILE_DIGEST)));
        walk.onFileHashed?.();
      }));
    } else {
      walk.entries.set(rel, { kind: 'other' });
    }
  }
  await Promise.all(pending);
}

// Read as a regular file only (src/sri/regular-file.ts): an entry that became a symlink after
// readdir, or a FIFO swapped in, is reported as 'other'.
function toInstalledEntry(read: RegularFileDigest): InstalledEntry {
  if (read.kind === 'unopened') {
    if (read.error.code === 'ELOOP') return { kind: 'other' };
    throw read.error;
  }
  return read.kind === 'file' ? { kind: 'file', digest: read.digest.toString('hex') } : { kind: 'other' };
}

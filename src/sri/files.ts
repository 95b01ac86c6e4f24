// sha384 SRI digests of an installed package's files, for the SRI manifest's `files`. The only
// SRI module that touches the filesystem (it reads; it never writes).
//
// The package directory is untrusted content (it came out of a tarball): a symlink in it may point
// anywhere on this machine. Nothing outside the package directory is ever read or hashed: a
// symlink that resolves outside is skipped and reported, never followed.

import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { Minimatch } from 'minimatch';
import ssri from 'ssri';
import { SriError } from './errors.js';
import { compareCodePoints, isPackageRelativePath } from './manifest.js';
import { digestRegularFile } from './regular-file.js';

export type SkipReason =
  // A symlink whose target is outside the package directory (never read).
  | 'symlink-outside-package'
  // A symlink whose target does not exist.
  | 'dangling-symlink'
  // A symlink to a directory inside the package: not walked (no cycles, no double counting).
  | 'symlink-to-directory'
  // A socket, FIFO or device.
  | 'not-a-regular-file'
  // The entry changed between being looked at and being read (it became a symlink, say).
  | 'changed-during-walk'
  // A name no posix manifest key can spell (a backslash): reported, so nothing hides behind it.
  | 'unrepresentable-name';

export interface SkippedFile {
  // Posix path relative to the package directory.
  path: string;
  reason: SkipReason;
}

export interface PackageFileHashes {
  // Posix path relative to the package directory → `sha384-<base64>`, keys in code-point order.
  files: Record<string, string>;
  // Matching entries that were not hashed, and why, in code-point order of path.
  skipped: SkippedFile[];
}

// Hashes every file under `packageDir` whose package-relative posix path matches any of `globs`
// (minimatch, dotfiles included). Throws SriError for an invalid glob or an unreadable directory.
export async function hashPackageFiles(packageDir: string, globs: readonly string[]): Promise<PackageFileHashes> {
  const matchers = globs.map(toMatcher);
  const root = await resolvePackageDir(packageDir);
  const files = new Map<string, string>();
  const skipped: SkippedFile[] = [];
  const walk = { root, matchers, files, skipped };
  if (matchers.length > 0) {
    await walkDirectory(walk, root, '');
  }
  const sortedFiles: Record<string, string> = {};
  for (const path of [...files.keys()].sort(compareCodePoints)) {
    sortedFiles[path] = files.get(path) as string;
  }
  skipped.sort((a, b) => compareCodePoints(a.path, b.path));
  return { files: sortedFiles, skipped };
}

interface Walk {
  root: string;
  matchers: Minimatch[];
  files: Map<string, string>;
  skipped: SkippedFile[];
}

function toMatcher(glob: string): Minimatch {
  // A glob outside the package could only ever match nothing, or invite a future change to look there.
  if (glob.length === 0 || isAbsolute(glob) || glob.startsWith('/') || glob.split('/').includes('..')) {
    throw new SriError('SRI_GLOB_INVALID', `file glob ${JSON.stringify(glob)} must be a relative pattern inside the package`, {
      hint: 'Use patterns such as "**/*.js" or "dist/**", relative to the package directory.',
    });
  }
  return new Minimatch(glob, { dot: true });
}

async function resolvePackageDir(packageDir: string): Promise<string> {
  try {
    const root = await realpath(packageDir);
    if (!(await stat(root)).isDirectory()) {
      throw new Error('not a directory');
    }
    return root;
  } catch (err) {
    throw new SriError('SRI_PACKAGE_DIR_UNREADABLE', `cannot read the package directory ${packageDir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, {
      file: packageDir,
      hint: 'Install the dependencies (npm ci) before hashing their files.',
    }, err);
  }
}

function matchesFile(walk: Walk, path: string): boolean {
  return walk.matchers.some((m) => m.match(path));
}

// True when some glob could match a path below this directory (prunes node_modules and the like).
function mayMatchBelow(walk: Walk, dirPath: string): boolean {
  return dirPath === '' || walk.matchers.some((m) => m.match(dirPath, true));
}

async function walkDirectory(walk: Walk, absDir: string, relDir: string): Promise<void> {
  let entries;
  try {
    entries = await readdir(absDir, { withFileTypes: true });
  } catch (err) {
    throw new SriError('SRI_PACKAGE_DIR_UNREADABLE', `cannot read ${absDir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { file: absDir }, err);
  }
  for (const entry of entries.sort((a, b) => compareCodePoints(a.name, b.name))) {
    const rel = relDir === '' ? entry.name : `${relDir}/${entry.name}`;
    const abs = join(absDir, entry.name);
    if (!isPackageRelativePath(rel)) {
      walk.skipped.push({ path: rel, reason: 'unrepresentable-name' });
      continue;
    }
    if (entry.isDirectory()) {
      if (mayMatchBelow(walk, rel)) {
        await walkDirectory(walk, abs, rel);
      }
    } else if (entry.isSymbolicLink()) {
      await visitSymlink(walk, abs, rel);
    } else if (matchesFile(walk, rel)) {
      if (entry.isFile()) {
        await hashInto(walk, abs, rel);
      } else {
        walk.skipped.push({ path: rel, reason: 'not-a-regular-file' });
      }
    }
  }
}

async function visitSymlink(walk: Walk, abs: string, rel: string): Promise<void> {
  if (!matchesFile(walk, rel) && !mayMatchBelow(walk, rel)) {
    return;
  }
  let target: string;
  try {
    target = await realpath(abs);
  } catch {
    walk.skipped.push({ path: rel, reason: 'dangling-symlink' });
    return;
  }
  const fromRoot = relative(walk.root, target);
  // Security: resolved outside the package (or to the package root itself): never read it.
  if (fromRoot === '' || fromRoot === '..' || fromRoot.startsWith(`..${sep}`) || isAbsolute(fromRoot)) {
    walk.skipped.push({ path: rel, reason: 'symlink-outside-package' });
    return;
  }
  const info = await lstat(target).catch(() => undefined);
  if (info?.isDirectory()) {
    walk.skipped.push({ path: rel, reason: 'symlink-to-directory' });
  } else if (!matchesFile(walk, rel)) {
    return;
  } else if (info?.isFile()) {
    // Hashed under the link's own path: that is the path the package's code uses.
    await hashInto(walk, target, rel);
  } else {
    walk.skipped.push({ path: rel, reason: info === undefined ? 'changed-during-walk' : 'not-a-regular-file' });
  }
}

// Read as a regular file only (see regular-file.ts): an entry that became a symlink or vanished
// after the walk looked at it is skipped as changed.
async function hashInto(walk: Walk, abs: string, rel: string): Promise<void> {
  const read = await digestRegularFile(abs, 'sha384');
  if (read.kind === 'unopened') {
    const err = read.error;
    if (['ELOOP', 'ENOENT', 'EMLINK'].includes(err.code ?? '')) {
      walk.skipped.push({ path: rel, reason: 'changed-during-walk' });
      return;
    }
    throw new SriError('SRI_PACKAGE_DIR_UNREADABLE', `cannot read ${abs}: ${err.code ?? err.message}`, { file: abs }, err);
  }
  if (read.kind === 'not-a-regular-file') {
    walk.skipped.push({ path: rel, reason: 'not-a-regular-file' });
    return;
  }
  walk.files.set(rel, ssri.fromHex(read.digest.toString('hex'), 'sha384').toString());
}

// The build under measurement, frozen: dist/ (with policies/, schema/ and package.json, which the
// CLI reads relative to itself) is copied to .bench/verify-deps/ when the bench starts, so a
// rebuild of dist/ during the run cannot change what is measured. Modules still resolve from the
// repository's node_modules (Node walks up from .bench/verify-deps/dist/).
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import { cpSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface BuildSnapshot {
  cliBin: string;
  // sha256 over dist/**/*.js (path and content), to tell builds apart.
  distSha256: string;
  gitHead: string;
  // Files of src/ that differ from HEAD (uncommitted) when the bench started.
  dirtySrcFiles: number;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.js'))
    .map((e) => join(e.parentPath ?? (e as unknown as { path: string }).path, e.name))
    .sort();
}

export function distDigest(dist: string): string {
  const hash = crypto.createHash('sha256');
  for (const file of filesUnder(dist)) hash.update(relative(dist, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

export function snapshotBuild(repo: string): BuildSnapshot {
  const target = join(repo, '.bench', 'verify-deps');
  rmSync(target, { recursive: true, force: true });
  for (const part of ['dist', 'policies', 'schema', 'package.json']) cpSync(join(repo, part), join(target, part), { recursive: true });
  const git = (...args: string[]): string => {
    try {
      return execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();
    } catch {
      return '';
    }
  };
  return {
    cliBin: join(target, 'dist', 'cli', 'bin.js'),
    distSha256: distDigest(join(target, 'dist')),
    gitHead: git('rev-parse', '--short', 'HEAD') || 'unknown',
    dirtySrcFiles: git('status', '--porcelain', '--', 'src').split('\n').filter(Boolean).length,
  };
}

// package-lock.json read without arborist: a lockfile npm wrote is read without loading arborist
// (and the libraries it loads), and what the linear reader cannot take is still arborist's.
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { walkTree } from '../../src/walk/index.js';
import { loadLockfileNodes } from '../../src/walk/lockfile-tree.js';
import { copyFixtureProject } from '../support/fixture-project.js';

const WALK = fileURLToPath(new URL('../../dist/walk/index.js', import.meta.url));

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

// Walks `dir` with the built walk in a fresh process: the packages found, and whether arborist
// was loaded for it.
async function walkInFreshProcess(dir: string): Promise<{ packages: number; arboristLoaded: boolean }> {
  const script = `
    import { createRequire } from 'node:module';
    const { walkTree } = await import(${JSON.stringify(WALK)});
    const inventory = await walkTree(${JSON.stringify(dir)});
    const loaded = Object.keys(createRequire(import.meta.url).cache);
    console.log(JSON.stringify({ packages: inventory.packages.length, arboristLoaded: loaded.some((file) => file.includes('/@npmcli/arborist/')) }));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script]);
  return JSON.parse(stdout) as { packages: number; arboristLoaded: boolean };
}

describe('reading package-lock.json', () => {
  it('a lockfile v3 npm wrote: the whole tree, without loading arborist', async () => {
    const { dir, cleanup } = await copyFixtureProject('axios-1.7.9');
    cleanups.push(cleanup);
    const walked = await walkInFreshProcess(dir);
    expect(walked.arboristLoaded).toBe(false);
    expect(walked.packages).toBe((await walkTree(dir)).packages.length);
    expect(walked.packages).toBeGreaterThan(100);
  });

  it('a lockfile v1: read by arborist, as before', async () => {
    const { dir, cleanup } = await copyFixtureProject('mocha-8.3.2-v1');
    cleanups.push(cleanup);
    const walked = await walkInFreshProcess(dir);
    expect(walked.arboristLoaded).toBe(true);
    expect(walked.packages).toBeGreaterThan(100);
  });

  it('a byte order mark before the JSON: read as arborist reads it', async () => {
    const { dir, cleanup } = await copyFixtureProject('axios-1.7.9');
    cleanups.push(cleanup);
    const plain = await loadLockfileNodes(dir);
    const lockfile = join(dir, 'package-lock.json');
    await writeFile(lockfile, `\uFEFF${await readFile(lockfile, 'utf8')}`);
    const marked = await loadLockfileNodes(dir);
    expect(marked?.nodes.length).toBeGreaterThan(100);
    expect(marked?.nodes.map((node) => node.location)).toEqual(plain?.nodes.map((node) => node.location));
  });
});

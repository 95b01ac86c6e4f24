// writeFileAtomic: a reader sees one complete payload or another, never a mix, even with
// concurrent writers in this process and in other processes; no temporary file is left behind.

import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OutputError, removeIfExists, writeFileAtomic, writeFileExclusive } from '../../src/report/atomic-write.js';

// The built modules (npm test builds dist/ first), plain ESM a child `node` can import.
const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'verify-deps-atomic-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

// Distinct payloads, large enough that a non-atomic write would be observable half-done.
function payload(id: number, size = 256 * 1024): Buffer {
  return Buffer.alloc(size, `writer-${id};`);
}

describe('writeFileAtomic', () => {
  it('writes text given in pieces, in order', async () => {
    const target = join(dir, 'pieces.json');
    const pieces = Array.from({ length: 5000 }, (_, i) => `piece ${i} é 😀;`);
    await writeFileAtomic(target, pieces.values());
    expect(await readFile(target, 'utf8')).toBe(pieces.join(''));
  });

  it('writes pieces of several MB byte for byte: many small ones, multi-byte ones, and ones too big for one write', async () => {
    // Pieces are encoded into a 1 MiB buffer, written out whenever the next one might not fit; a
    // piece that could exceed the buffer by itself is written alone.
    const pieces: string[] = [];
    // Pieces of every length up to 97 characters of two bytes each: at some boundary one has more
    // bytes than room left, though fewer characters.
    for (let i = 0; i < 40_000; i++) pieces.push(`{"n":${i},"é":"😀"}`, 'é'.repeat(1 + (i % 97)));
    pieces.push('é'.repeat(400 * 1024), 'x', '😀'.repeat(200 * 1024), 'y'.repeat(349_525), 'z'.repeat(349_526));
    for (let i = 0; i < 40_000; i++) pieces.push(`[${i}]`);
    const target = join(dir, 'many-pieces.json');
    await writeFileAtomic(target, pieces.values());
    expect((await readFile(target)).equals(Buffer.from(pieces.join(''), 'utf8'))).toBe(true);
  });

  it('writes a string of several MB byte for byte, multi-byte characters on every slice boundary included', async () => {
    // A string is written a slice (1 Mi characters) at a time: an emoji, a pair of UTF-16 halves,
    // sits across each boundary, and accented letters (two UTF-8 bytes) fill the rest.
    const slice = 1024 * 1024;
    const text = ['é'.repeat(slice - 1), '😀', 'x'.repeat(slice - 2), '😀', 'tail'].join('');
    const target = join(dir, 'report.json');
    await writeFileAtomic(target, text);
    expect((await readFile(target)).equals(Buffer.from(text, 'utf8'))).toBe(true);
  });

  it('creates, then replaces, a file and leaves only that file', async () => {
    const target = join(dir, 'report.json');
    await writeFileAtomic(target, '{"a":1}');
    await writeFileAtomic(target, Buffer.from('{"a":2}'));
    expect(await readFile(target, 'utf8')).toBe('{"a":2}');
    expect(await readdir(dir)).toEqual(['report.json']);
  });

  it('concurrent writers in one process: every read is one complete payload, no temp files left', async () => {
    const target = join(dir, 'manifest.json');
    const payloads = Array.from({ length: 24 }, (_, i) => payload(i));
    const known = new Set(payloads.map((p) => p.toString('latin1')));
    let writing = true;
    const reader = (async () => {
      let reads = 0;
      while (writing || reads === 0) {
        const seen = await readFile(target).catch(() => undefined);
        if (seen !== undefined) {
          expect(known.has(seen.toString('latin1'))).toBe(true);
          reads++;
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
      return reads;
    })();
    await Promise.all(payloads.map((p) => writeFileAtomic(target, p)));
    writing = false;
    expect(await reader).toBeGreaterThan(0);
    expect(known.has((await readFile(target)).toString('latin1'))).toBe(true);
    expect(await readdir(dir)).toEqual(['manifest.json']);
  });

  it('concurrent writers in several processes: the final file is one complete payload', async () => {
    const moduleUrl = pathToFileURL(join(DIST, 'report/atomic-write.js')).href;
    const outDir = join(dir, 'out');
    await mkdir(outDir);
    const target = join(outDir, 'report.json');
    const script = `
      import { writeFileAtomic } from ${JSON.stringify(moduleUrl)};
      const id = Number(process.argv[1]);
      for (let i = 0; i < 15; i++) await writeFileAtomic(${JSON.stringify(target)}, Buffer.alloc(200000, 'p' + id + '-' + i + ';'));
    `;
    const children = [0, 1, 2, 3].map((id) => promisify(execFile)(process.execPath, ['--input-type=module', '-e', script, String(id)]));
    const known = new Set<string>();
    for (let id = 0; id < 4; id++) for (let i = 0; i < 15; i++) known.add(Buffer.alloc(200000, `p${id}-${i};`).toString('latin1'));
    let done = false;
    const all = Promise.all(children).finally(() => {
      done = true;
    });
    while (!done) {
      const seen = await readFile(target).catch(() => undefined);
      if (seen !== undefined) expect(known.has(seen.toString('latin1'))).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await all;
    expect(known.has((await readFile(target)).toString('latin1'))).toBe(true);
    expect(await readdir(outDir)).toEqual(['report.json']);
  });

  it('removes its temp file when the rename fails, and throws OUTPUT_UNWRITABLE', async () => {
    const target = join(dir, 'taken');
    await mkdir(join(target, 'child'), { recursive: true });
    const error = await writeFileAtomic(target, 'x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutputError);
    expect((error as OutputError).code).toBe('OUTPUT_UNWRITABLE');
    expect((error as OutputError).file).toBe(target);
    expect(await readdir(dir)).toEqual(['taken']);
  });

  it('throws OUTPUT_UNWRITABLE for a missing directory', async () => {
    await expect(writeFileAtomic(join(dir, 'nope', 'x.json'), 'x')).rejects.toMatchObject({ code: 'OUTPUT_UNWRITABLE' });
  });
});

describe('writeFileExclusive', () => {
  it('never overwrites: false when the file exists, which keeps its content', async () => {
    const target = join(dir, 'record.json');
    expect(await writeFileExclusive(target, 'first')).toBe(true);
    expect(await writeFileExclusive(target, 'second')).toBe(false);
    expect(await readFile(target, 'utf8')).toBe('first');
    expect(await readdir(dir)).toEqual(['record.json']);
  });

  it('of many concurrent writers exactly one wins, with its complete payload', async () => {
    const target = join(dir, 'claim');
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => writeFileExclusive(target, payload(i, 64 * 1024))));
    const winner = results.indexOf(true);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await readFile(target)).equals(payload(winner, 64 * 1024))).toBe(true);
    expect(await readdir(dir)).toEqual(['claim']);
  });

  it('puts its temp file in tempDir when asked, and cleans it up', async () => {
    const staging = join(dir, '.staging');
    await mkdir(staging);
    expect(await writeFileExclusive(join(dir, 'a'), 'x', { tempDir: staging })).toBe(true);
    expect(await readdir(staging)).toEqual([]);
  });
});

describe('removeIfExists', () => {
  it('removes a file, and a missing file is not an error', async () => {
    const target = join(dir, 'x');
    await writeFile(target, 'x');
    await removeIfExists(target);
    await removeIfExists(target);
    expect(await readdir(dir)).toEqual([]);
  });
});

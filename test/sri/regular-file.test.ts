// digestRegularFile: the one reader of a file that must be a regular file inside an untrusted
// directory (the SRI manifest's file hashes, the installed-tree check): the same digest as the
// bytes', read whole or as a stream, and never through a symlink or into a FIFO.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssri from 'ssri';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestRegularFile, digestSmallRegularFile } from '../../src/sri/regular-file.js';

let dir: string;
const SMALL = Buffer.from('module.exports = 1;\n');
// Past the size from which files are read as a stream.
const LARGE = Buffer.alloc(3 * 1024 * 1024 + 7, 'ab');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'verify-deps-regular-file-'));
  await writeFile(join(dir, 'small.js'), SMALL);
  await writeFile(join(dir, 'large.bin'), LARGE);
  await symlink('small.js', join(dir, 'link.js'));
  execFileSync('mkfifo', [join(dir, 'pipe')]);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('digestRegularFile', () => {
  for (const [name, bytes] of [['small.js', SMALL], ['large.bin', LARGE]] as const) {
    for (const algorithm of ['sha256', 'sha384', 'sha512'] as const) {
      it(`${name}: the ${algorithm} of its bytes, and the same SRI string ssri makes from them`, async () => {
        const read = await digestRegularFile(join(dir, name), algorithm);
        expect(read).toEqual({ kind: 'file', digest: createHash(algorithm).update(bytes).digest() });
        const digest = (read as { digest: Buffer }).digest;
        expect(ssri.fromHex(digest.toString('hex'), algorithm).toString()).toBe(ssri.fromData(bytes, { algorithms: [algorithm] }).toString());
      });
    }
  }

  it('digestSmallRegularFile reads a small file synchronously and leaves a large one to the stream', () => {
    expect(digestSmallRegularFile(join(dir, 'small.js'), 'sha256')).toEqual({ kind: 'file', digest: createHash('sha256').update(SMALL).digest() });
    expect(digestSmallRegularFile(join(dir, 'large.bin'), 'sha256')).toEqual({ kind: 'large' });
    expect(digestSmallRegularFile(join(dir, 'link.js'), 'sha256')).toMatchObject({ kind: 'unopened', error: { code: 'ELOOP' } });
    expect(digestSmallRegularFile(join(dir, 'pipe'), 'sha256')).toEqual({ kind: 'not-a-regular-file' });
  });

  it('a symlink is not followed: unopened, ELOOP', async () => {
    expect(await digestRegularFile(join(dir, 'link.js'), 'sha512')).toMatchObject({ kind: 'unopened', error: { code: 'ELOOP' } });
  });

  it('a file that is gone: unopened, ENOENT', async () => {
    expect(await digestRegularFile(join(dir, 'missing.js'), 'sha512')).toMatchObject({ kind: 'unopened', error: { code: 'ENOENT' } });
  });

  it('a FIFO is opened without waiting for a writer and is no regular file', async () => {
    expect(await digestRegularFile(join(dir, 'pipe'), 'sha384')).toEqual({ kind: 'not-a-regular-file' });
  });
});

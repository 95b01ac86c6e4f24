import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readTarballFiles } from '../../src/check/tarball-files.js';

type Entry = { path: string; content?: string; type?: '0' | '1' | '2' | '5'; linkpath?: string };

// A gzipped ustar archive of exactly these entries, in this order.
function tarball(entries: Entry[]): Buffer {
  const parts: Buffer[] = [];
  for (const { path, content = '', type = '0', linkpath = '' } of entries) {
    const body = Buffer.from(type === '0' ? content : '');
    const h = Buffer.alloc(512, 0);
    const put = (text: string, offset: number, length: number) => h.write(text, offset, length, 'utf8');
    put(path, 0, 100);
    put('0000644\0', 100, 8);
    put('0000000\0', 108, 8);
    put('0000000\0', 116, 8);
    put(`${body.length.toString(8).padStart(11, '0')}\0`, 124, 12);
    put(`${(499162500).toString(8).padStart(11, '0')}\0`, 136, 12);
    put('        ', 148, 8);
    put(type, 156, 1);
    put(linkpath, 157, 100);
    put('ustar\0', 257, 6);
    put('00', 263, 2);
    let sum = 0;
    for (const b of h) sum += b;
    put(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
    parts.push(h, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(parts));
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

// What npm (pacote) writes to node_modules from a tarball: the files the comparison expects.
describe('readTarballFiles', () => {
  it('strips the first path component, whatever it is named, and hashes each file', async () => {
    const files = await readTarballFiles(tarball([{ path: 'package/index.js', content: 'a' }, { path: 'other/lib/b.js', content: 'b' }]));
    expect(Object.fromEntries(files)).toEqual({ 'index.js': sha256('a'), 'lib/b.js': sha256('b') });
  });

  it('skips symlinks, hard links and directories (pacote extracts no links)', async () => {
    const files = await readTarballFiles(tarball([
      { path: 'package/lib/', type: '5' },
      { path: 'package/link.js', type: '2', linkpath: '/etc/passwd' },
      { path: 'package/hard.js', type: '1', linkpath: 'package/lib/a.js' },
      { path: 'package/lib/a.js', content: 'a' },
    ]));
    expect([...files.keys()]).toEqual(['lib/a.js']);
  });

  it('renames .gitignore to .npmignore, unless an .npmignore beside it came first (then it is dropped)', async () => {
    const renamed = await readTarballFiles(tarball([{ path: 'package/lib/.gitignore', content: 'g' }]));
    expect(Object.fromEntries(renamed)).toEqual({ 'lib/.npmignore': sha256('g') });
    const dropped = await readTarballFiles(tarball([{ path: 'package/.npmignore', content: 'n' }, { path: 'package/.gitignore', content: 'g' }]));
    expect(Object.fromEntries(dropped)).toEqual({ '.npmignore': sha256('n') });
  });

  it('refuses a path with "..", drops a leading "/", and lets a later entry for a path replace an earlier one', async () => {
    const files = await readTarballFiles(tarball([
      { path: 'package/../escape.js', content: 'x' },
      { path: 'package//abs.js', content: 'abs' },
      { path: 'package/dup.js', content: 'first' },
      { path: 'package/dup.js', content: 'second' },
      { path: 'package', content: 'root' },
    ]));
    expect(Object.fromEntries(files)).toEqual({ 'abs.js': sha256('abs'), 'dup.js': sha256('second') });
  });

  it('reads a plain (not gzipped) tar archive and a gzipped one alike', async () => {
    const gzipped = tarball([{ path: 'package/index.js', content: 'a' }]);
    expect(Object.fromEntries(await readTarballFiles(gunzipSync(gzipped)))).toEqual({ 'index.js': sha256('a') });
    expect(Object.fromEntries(await readTarballFiles(gzipped))).toEqual({ 'index.js': sha256('a') });
  });

  it('rejects bytes that are not a tar archive', async () => {
    await expect(readTarballFiles(gzipSync(Buffer.from('not a tar')).subarray(0, 10))).rejects.toThrow();
  });
});

// An evidence pack written member by member: the stored bytes are those of the pack stringified
// as one object (the cache reads it back with one JSON.parse), whatever the pieces it went out in.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import cacache from 'cacache';
import { describe, expect, it } from 'vitest';
import { EvidencePackWriter } from '../../src/registry/evidence-pack.js';
import { useTempDirs } from '../support/temp-dirs.js';

const REGISTRY = 'http://127.0.0.1:1/';
const newDir = useTempDirs('verify-deps-pack-');

describe('EvidencePackWriter', () => {
  it('stores the text of JSON.stringify of the whole pack, across many pieces, under its key and digest', async () => {
    const dir = newDir();
    const members: Record<string, unknown> = {};
    // ~1.5 MB: many pieces; keys and values that need escaping.
    for (let i = 0; i < 300; i++) members[`${REGISTRY}\0p"${i}@1.0.0:sha512-${i}`] = { name: `p${i}`, text: `x\n"\u2028`.repeat(1000 + i), n: i };
    const pack = new EvidencePackWriter(dir, REGISTRY);
    for (const [key, value] of Object.entries(members)) pack.add(key, JSON.stringify(value));
    expect(pack.size).toBe(300);
    const integrity = await pack.close();
    const expected = JSON.stringify(members);
    expect((await cacache.get.byDigest(dir, integrity)).toString('utf8')).toBe(expected);
    expect((await cacache.get(dir, pack.key)).data.toString('utf8')).toBe(expected);
  });

  it('stores an empty object for a pack closed without members', async () => {
    const dir = newDir();
    const pack = new EvidencePackWriter(dir, REGISTRY);
    expect((await cacache.get.byDigest(dir, await pack.close())).toString('utf8')).toBe('{}');
  });

  it('rejects on close when the pack could not be written', async () => {
    const dir = newDir();
    // The cache folder is a file: nothing can be written under it.
    const blocked = join(dir, 'cache');
    writeFileSync(blocked, '');
    const pack = new EvidencePackWriter(blocked, REGISTRY);
    pack.add('k', '{"a":1}');
    await expect(pack.close()).rejects.toThrow();
  });
});

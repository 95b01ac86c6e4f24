// putJson: the cache index is written a piece at a time; what is stored must be exactly the
// JSON.stringify text (a warm run parses it, and its integrity is what cacache checks).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import cacache from 'cacache';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { putJson } from '../../src/registry/json-put.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'verify-deps-json-put-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('putJson', () => {
  it('stores the JSON.stringify text and returns its integrity, over many chunks', async () => {
    const packages = Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`p${i}@1.0.0:sha512-x`, { value: { facts: { n: i, text: 'é'.repeat(100) }, skipped: undefined }, used: '2026-01-01' }]));
    const value = { version: 3, packages, empty: {}, list: [1, undefined, 'two'], '12': 'a number-like key comes first', gone: undefined };
    const integrity = await putJson(dir, 'k', value, 2);
    const stored = await cacache.get(dir, 'k');
    expect(stored.data.toString('utf8')).toBe(JSON.stringify(value));
    expect(String(stored.integrity)).toBe(integrity);
  });
});

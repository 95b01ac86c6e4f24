// toJsonPieces: the cache index and the report are written a piece at a time; joined, the pieces
// must be exactly the JSON.stringify text, indented or not, at every depth.
import { describe, expect, it } from 'vitest';
import { inChunks, toJsonPieces } from '../src/json-pieces.js';

const value = {
  schemaVersion: 1,
  packages: [
    { name: 'a', findings: [], facts: { integrity: { lockfile: null }, list: [1, 'two', { three: 3 }] } },
    { name: 'b', skipped: undefined, method: () => 1, nested: [[], {}, [undefined, () => 1, null]] },
  ],
  empty: {},
  emptyList: [],
  when: new Date(0),
  '12': 'a key that looks like a number comes first',
  text: 'line\nbreak "quoted" é 😀',
  gone: undefined,
};

describe('toJsonPieces', () => {
  it('joins to JSON.stringify(value) at every depth', () => {
    for (const depth of [0, 1, 2, 3, 6]) expect([...toJsonPieces(value, depth)].join('')).toBe(JSON.stringify(value));
  });

  it('joins to JSON.stringify(value, null, 2) at every depth', () => {
    for (const depth of [0, 1, 2, 3, 6]) expect([...toJsonPieces(value, depth, 2)].join('')).toBe(JSON.stringify(value, null, 2));
  });

  it('indents text cut at any depth as deep as it sits, whatever the indent', () => {
    const deep = { a: [{ b: { c: [1, { d: 'x' }] } }, [[{ e: [] }]]], f: { g: { h: { i: 'j' } } } };
    for (const indent of [1, 4]) for (const depth of [1, 2, 3, 4, 5]) expect([...toJsonPieces(deep, depth, indent)].join('')).toBe(JSON.stringify(deep, null, indent));
  });

  it('writes a top-level array, empty or not, and a scalar', () => {
    for (const top of [[], [1, [2, { a: [] }]], 'text', null, 3]) expect([...toJsonPieces(top, 3, 2)].join('')).toBe(JSON.stringify(top, null, 2));
  });
});

describe('inChunks', () => {
  it('keeps every piece in order, in chunks of at least the size but the last', () => {
    const chunks = [...inChunks(['ab', 'c', 'def', 'g', 'hi'], 3)];
    expect(chunks).toEqual(['abc', 'def', 'ghi']);
  });
});

// The registry's attestations document narrowed to its entries: its shape only, each refusal with
// the entry it is about, and the entry count bounded before any entry is looked at.

import { describe, expect, it } from 'vitest';
import { MAX_ATTESTATIONS, toAttestationEntries } from '../../src/verify/attestation/document.js';

const BUNDLE = { mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.2' };
const entry = (predicateType: string) => ({ predicateType, bundle: { ...BUNDLE } });

describe('toAttestationEntries', () => {
  it('returns each entry as its predicateType and bundle, in order, and nothing else of it', () => {
    const doc = { attestations: [{ ...entry('https://slsa.dev/provenance/v1'), extra: 1 }, entry('https://github.com/npm/attestation/tree/main/specs/publish/v0.1')] };
    expect(toAttestationEntries(doc)).toStrictEqual({
      entries: [
        { predicateType: 'https://slsa.dev/provenance/v1', bundle: BUNDLE },
        { predicateType: 'https://github.com/npm/attestation/tree/main/specs/publish/v0.1', bundle: BUNDLE },
      ],
    });
  });

  it('an empty list is no entries, not a refusal', () => {
    expect(toAttestationEntries({ attestations: [] })).toStrictEqual({ entries: [] });
  });

  it.each([
    ['null', null],
    ['an array', [entry('p')]],
    ['a string', 'x'],
    ['an object without "attestations"', { other: [] }],
    ['"attestations" that is an object', { attestations: { 0: entry('p') } }],
    ['"attestations" that is null', { attestations: null }],
  ])('refuses a document that is %s (ATTESTATIONS_MALFORMED, about the whole document)', (_label, doc) => {
    const result = toAttestationEntries(doc);
    expect(result).toStrictEqual({ finding: { code: 'ATTESTATIONS_MALFORMED', message: expect.any(String) } });
  });

  it.each([
    ['a number', 1],
    ['null', null],
    ['an array', [entry('p')]],
    ['without a predicateType', { bundle: BUNDLE }],
    ['with a predicateType that is not a string', { predicateType: 1, bundle: BUNDLE }],
    ['without a bundle', { predicateType: 'p' }],
    ['with a bundle that is null', { predicateType: 'p', bundle: null }],
    ['with a bundle that is an array', { predicateType: 'p', bundle: [BUNDLE] }],
    ['with a bundle that is a string', { predicateType: 'p', bundle: JSON.stringify(BUNDLE) }],
  ])('refuses an entry that is %s, naming its index (ATTESTATIONS_MALFORMED)', (_label, bad) => {
    const result = toAttestationEntries({ attestations: [entry('a'), entry('b'), bad, entry('c')] });
    expect(result).toStrictEqual({ finding: { code: 'ATTESTATIONS_MALFORMED', message: expect.any(String), details: { index: 2 } } });
  });

  it('names the first bad entry when there are several', () => {
    const result = toAttestationEntries({ attestations: [1, entry('a'), 2] });
    expect(result).toMatchObject({ finding: { code: 'ATTESTATIONS_MALFORMED', details: { index: 0 } } });
  });

  it(`accepts ${MAX_ATTESTATIONS} entries and refuses ${MAX_ATTESTATIONS + 1} (INPUT_TOO_LARGE with the limit and the count)`, () => {
    const list = (n: number) => Array.from({ length: n }, (_, i) => entry(`https://example.com/p${i}`));
    const atLimit = toAttestationEntries({ attestations: list(MAX_ATTESTATIONS) });
    expect('entries' in atLimit && atLimit.entries).toHaveLength(MAX_ATTESTATIONS);
    expect(toAttestationEntries({ attestations: list(MAX_ATTESTATIONS + 1) })).toStrictEqual({
      finding: { code: 'INPUT_TOO_LARGE', message: expect.any(String), details: { limit: MAX_ATTESTATIONS, actual: MAX_ATTESTATIONS + 1 } },
    });
  });

  it('counts before it looks at any entry: too many malformed entries are INPUT_TOO_LARGE', () => {
    const result = toAttestationEntries({ attestations: Array.from({ length: MAX_ATTESTATIONS + 1 }, () => null) });
    expect(result).toMatchObject({ finding: { code: 'INPUT_TOO_LARGE' } });
  });
});

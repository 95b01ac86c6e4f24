// isAnchored: whether a sanRegex can only match a whole subject alternative name (the loader warns
// about one that can match a part of it, where `…/repo` also matches `…/repo-evil`).

import { describe, expect, it } from 'vitest';
import { isAnchored, patternRegExp } from '../../src/policy/patterns.js';

describe('isAnchored', () => {
  it.each([
    ['^a$', true],
    ['^a$|^b$', true],
    ['^(a|b)$', true],
    ['^[|]$', true],
    ['^[a|]$', true],
    ['^a\\|b$', true],
    ['a$', false],
    ['^a', false],
    ['^a\\$', false],
    ['^a|b$', false],
    ['^a|^b$', false],
    ['^a$|b$', false],
    ['^(a)|b$', false],
    ['^[a]|b$', false],
  ])('%s → %s', (source, expected) => {
    expect(isAnchored(source)).toBe(expected);
  });
});

describe('patternRegExp', () => {
  it('compiles a pattern once and matches each string on its own', () => {
    const pattern = '^(?:@scope/[^/]*)$';
    expect(patternRegExp(pattern)).toBe(patternRegExp(pattern));
    // No lastIndex carried from one test to the next (a global RegExp would alternate).
    expect([1, 2, 3].map(() => patternRegExp(pattern).test('@scope/a'))).toEqual([true, true, true]);
    expect(patternRegExp(pattern).test('@other/a')).toBe(false);
  });

  it('throws on a pattern that does not compile, as new RegExp does', () => {
    expect(() => patternRegExp('(')).toThrow(SyntaxError);
  });
});

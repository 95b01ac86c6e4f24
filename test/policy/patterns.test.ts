// isAnchored: whether a sanRegex can only match a whole subject alternative name (the loader warns
// about one that can match a part of it, where `…/repo` also matches `…/repo-evil`).

import { describe, expect, it } from 'vitest';
import { isAnchored } from '../../src/policy/patterns.js';

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

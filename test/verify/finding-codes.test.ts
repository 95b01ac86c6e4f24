// The runtime list of verification finding codes: what tests and tools tell a known code by.

import { describe, expect, it } from 'vitest';
import { FINDING_CODES, isFindingCode } from '../../src/verify/finding-codes.js';

describe('isFindingCode', () => {
  it('knows every listed code', () => {
    for (const code of FINDING_CODES) {
      expect(isFindingCode(code), code).toBe(true);
    }
  });

  it.each([['SUBJECT_NAME_MISMATCH ', 'a trailing space'], ['subject_name_mismatch', 'another case'], ['', 'the empty string'], ['toString', 'an inherited name']])(
    'refuses %j (%s)',
    (code) => {
      expect(isFindingCode(code)).toBe(false);
    },
  );

  it.each([[undefined], [null], [1], [['SUBJECT_NAME_MISMATCH']], [{ code: 'SUBJECT_NAME_MISMATCH' }]])('refuses a value that is not a string (%j)', (value) => {
    expect(isFindingCode(value)).toBe(false);
  });
});

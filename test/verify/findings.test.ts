// Every finding has one shape: code and message, and details only when there are some.

import { describe, expect, it } from 'vitest';
import { toFinding } from '../../src/verify/findings.js';

describe('toFinding', () => {
  it('leaves details out when none are given, not as an undefined key', () => {
    const finding = toFinding('INTEGRITY_MISSING', 'expected a pin, got none');
    expect(finding).toStrictEqual({ code: 'INTEGRITY_MISSING', message: 'expected a pin, got none' });
    expect(Object.keys(finding)).toEqual(['code', 'message']);
  });

  it('keeps the details given, even empty ones', () => {
    expect(toFinding('INPUT_TOO_LARGE', 'm', { limit: 8, actual: 9 })).toStrictEqual({ code: 'INPUT_TOO_LARGE', message: 'm', details: { limit: 8, actual: 9 } });
    expect(toFinding('INPUT_TOO_LARGE', 'm', {})).toStrictEqual({ code: 'INPUT_TOO_LARGE', message: 'm', details: {} });
  });
});

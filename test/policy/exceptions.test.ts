// Exceptions, one module at a time: which exception waives a finding, when it stops, and what the
// ledger of uses counts (the policy-wide behaviour: evaluate-policy.test.ts "exceptions").

import { describe, expect, it } from 'vitest';
import { applyExceptions, expiredExceptions, type ExceptionLedger } from '../../src/policy/exceptions.js';
import type { NormalizedException, PolicyFinding } from '../../src/policy/index.js';

const NOW = new Date('2026-06-01T00:00:00.000Z');
const exception = (over: Partial<NormalizedException> = {}): NormalizedException => ({
  package: 'a@^1.0.0',
  name: 'a',
  range: '^1.0.0',
  waive: ['SIGNATURE_INVALID'],
  reason: 'vendor fix pending',
  approvedBy: 'sec@example.com',
  expires: '2026-12-31',
  expiresAt: '2026-12-31T00:00:00.000Z',
  ...over,
});
const finding = (code: PolicyFinding['code']): PolicyFinding => ({ code, message: code, package: 'a@1.2.0', rule: 'r', enforcement: 'strict' });

describe('expiredExceptions', () => {
  it('an exception expires at its instant: one millisecond before it is in date', () => {
    const at = exception({ expires: '2026-06-01', expiresAt: NOW.toISOString() });
    expect(expiredExceptions('a', '1.2.0', [at], NOW).map((f) => f.code)).toEqual(['EXCEPTION_EXPIRED']);
    expect(expiredExceptions('a', '1.2.0', [at], new Date(NOW.getTime() - 1))).toEqual([]);
  });

  it('names the exception as written, and only for the packages it names', () => {
    const old = exception({ waive: ['SIGNATURE_INVALID', 'INTEGRITY_MISMATCH'], expires: '2026-01-01', expiresAt: '2026-01-01T00:00:00.000Z' });
    expect(expiredExceptions('a', '1.2.0', [old, exception()], NOW).map((f) => f.details)).toEqual([
      { package: 'a@^1.0.0', waive: ['SIGNATURE_INVALID', 'INTEGRITY_MISMATCH'], expires: '2026-01-01', approvedBy: 'sec@example.com' },
    ]);
    expect(expiredExceptions('a', '2.0.0', [old], NOW)).toEqual([]);
    expect(expiredExceptions('b', '1.2.0', [old], NOW)).toEqual([]);
  });
});

describe('applyExceptions', () => {
  it('an exception is in date until its instant, and waives nothing from it on', () => {
    const at = exception({ expiresAt: NOW.toISOString() });
    expect(applyExceptions('a', '1.2.0', [finding('SIGNATURE_INVALID')], [at], NOW, new Map()).waived).toEqual([]);
    expect(applyExceptions('a', '1.2.0', [finding('SIGNATURE_INVALID')], [at], new Date(NOW.getTime() - 1), new Map()).waived.map((f) => f.code)).toEqual(['SIGNATURE_INVALID']);
  });

  it('the first exception in policy order that lists the code waives it, and is named on the finding', () => {
    const first = exception({ package: 'a@1.2.0', range: '1.2.0', waive: ['INTEGRITY_MISMATCH'] });
    const second = exception({ package: 'a@^1.0.0', waive: ['SIGNATURE_INVALID', 'INTEGRITY_MISMATCH'] });
    const ledger: ExceptionLedger = new Map();
    const out = applyExceptions('a', '1.2.0', [finding('SIGNATURE_INVALID'), finding('INTEGRITY_MISMATCH'), finding('SIGNATURE_MISSING')], [first, second], NOW, ledger);
    expect(out.findings.map((f) => f.code)).toEqual(['SIGNATURE_MISSING']);
    expect(out.waived.map((f) => [f.code, f.exception])).toEqual([
      ['SIGNATURE_INVALID', 'a@^1.0.0'],
      ['INTEGRITY_MISMATCH', 'a@1.2.0'],
    ]);
    expect([...ledger.values()].map((u) => [u.package, u.waived])).toEqual([
      ['a@1.2.0', 1],
      ['a@^1.0.0', 1],
    ]);
  });

  it('the ledger counts across packages, and records an exception that matched but waived nothing', () => {
    const e = exception();
    const idle = exception({ package: 'a@1.2.0', range: '1.2.0', waive: ['SIGNATURE_MISSING'] });
    const ledger: ExceptionLedger = new Map();
    applyExceptions('a', '1.2.0', [finding('SIGNATURE_INVALID')], [e, idle], NOW, ledger);
    applyExceptions('a', '1.3.0', [finding('SIGNATURE_INVALID'), finding('SIGNATURE_INVALID')], [e, idle], NOW, ledger);
    expect(ledger.get(e)).toEqual({ package: 'a@^1.0.0', waive: ['SIGNATURE_INVALID'], reason: 'vendor fix pending', approvedBy: 'sec@example.com', expires: '2026-12-31', waived: 3 });
    expect(ledger.get(idle)?.waived).toBe(0);
    expect(ledger.size).toBe(2);
  });

  it('EXCEPTION_EXPIRED is never waived, even by an exception that lists it', () => {
    const all = exception({ waive: ['EXCEPTION_EXPIRED' as NormalizedException['waive'][number]] });
    const out = applyExceptions('a', '1.2.0', [finding('EXCEPTION_EXPIRED')], [all], NOW, new Map());
    expect(out).toEqual({ findings: [finding('EXCEPTION_EXPIRED')], waived: [] });
  });
});

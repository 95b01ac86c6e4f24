// How surely the policy will read a package's history, asked before its facts are known: it
// decides whether the packument replaces the version manifest. Never `never` where the rules
// that read history (trust downgrade, release cooldown) may apply.
import { describe, expect, it } from 'vitest';
import { getHistoryNeed } from '../../src/policy/index.js';
import { oneRule, ref } from './_helpers.js';

describe('getHistoryNeed', () => {
  it('the trust-downgrade rule without an ignore window: always, for a registry package', () => {
    expect(getHistoryNeed(ref('a', '1.0.0'), oneRule({}, { downgrade: 'fail' }), undefined)).toBe('always');
    expect(getHistoryNeed(ref('a', '1.0.0'), oneRule({}, { downgrade: 'warn' }), { days: 3, exclude: [] })).toBe('always');
  });

  it('with an ignore window, or a release cooldown alone: maybe (a signed publish time decides)', () => {
    expect(getHistoryNeed(ref('a', '1.0.0'), oneRule({}, { downgrade: 'fail', downgradeIgnoreAfterMinutes: 60 }), undefined)).toBe('maybe');
    expect(getHistoryNeed(ref('a', '1.0.0'), oneRule({}, { downgrade: 'off', minReleaseAgeDays: 2 }), undefined)).toBe('maybe');
    expect(getHistoryNeed(ref('a', '1.0.0'), oneRule({}, { downgrade: 'off' }), { days: 2, exclude: [] })).toBe('maybe');
  });

  it('neither rule, an exempt package, or a package not from a registry: never', () => {
    expect(getHistoryNeed(ref('a', '1.0.0'), oneRule({}, { downgrade: 'off' }), undefined)).toBe('never');
    expect(getHistoryNeed(ref('a', '1.0.0'), oneRule({}, { downgrade: 'off', minReleaseAgeDays: 2, minReleaseAgeExclude: ['a'] }), undefined)).toBe('never');
    expect(getHistoryNeed(ref('a', '1.0.0', { source: 'git' }), oneRule({}, { downgrade: 'fail' }), undefined)).toBe('never');
    expect(getHistoryNeed(ref('a', '1.0.0', { bundled: true }), oneRule({}, { downgrade: 'fail', minReleaseAgeDays: 2 }), undefined)).toBe('never');
  });
});

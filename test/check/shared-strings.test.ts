// SharedStrings: the facts a worker sends back keep every value; only the copies of their short
// strings are shared.
import { describe, expect, it } from 'vitest';
import { SharedStrings } from '../../src/check/shared-strings.js';

describe('SharedStrings', () => {
  it('gives back equal facts, nested arrays, long strings and non-strings included', () => {
    const strings = new SharedStrings();
    const facts = () => ({
      name: 'a',
      integrity: { lockfile: null, registry: 'sha512-abc' },
      registrySignature: { status: 'verified', keyids: ['SHA256:k1', 'SHA256:k1'] },
      attestationsAdvertised: true,
      attestations: [{ certificate: 'x'.repeat(5000), count: 3, nested: [[{ deep: 'verified' }]] }],
      findings: [],
    });
    const first = strings.share(facts());
    const second = strings.share(facts());
    expect(first).toEqual(facts());
    expect(second).toEqual(facts());
    expect(strings.share('plain')).toBe('plain');
    expect(strings.share(undefined)).toBeUndefined();
  });
});

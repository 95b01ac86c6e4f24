// PolicyError: every problem of a policy or identity lock in one error, with where to look first
// and what to do.

import { describe, expect, it } from 'vitest';
import { EXIT, VerifyDepsError } from '../../src/errors.js';
import { PolicyError } from '../../src/policy/errors.js';

describe('PolicyError', () => {
  const problems = [
    { path: '/rules/0/name', message: 'must be a string' },
    { path: '/', message: 'must have required property enforcement' },
  ];

  it('carries the code, exit 2, the file, the first problem\'s path and one `path: message` line per problem', () => {
    const error = new PolicyError('POLICY_INVALID', 'p.json is not a valid verify-deps policy (2 problems)', problems, 'p.json');
    expect(error).toBeInstanceOf(VerifyDepsError);
    expect(error).toMatchObject({ name: 'PolicyError', code: 'POLICY_INVALID', exitCode: EXIT.badInput, file: 'p.json', field: '/rules/0/name', problems });
    expect(error.details).toBe('/rules/0/name: must be a string\n/: must have required property enforcement');
  });

  it('without a file or a problem: no file and no field', () => {
    const error = new PolicyError('IDENTITY_LOCK_INVALID', 'lock', []);
    expect(error.file).toBeUndefined();
    expect(error.field).toBeUndefined();
    expect(error.details).toBe('');
  });

  it('a missing identity lock points to the command that writes one; an invalid policy to the schema', () => {
    const missing = new PolicyError('IDENTITY_LOCK_MISSING', 'no lock', [{ path: '/identityLock', message: 'not loaded' }]);
    expect(missing.hint).toContain('verify-deps policy learn');
    const invalid = new PolicyError('POLICY_INVALID', 'bad', problems);
    expect(invalid.hint).toContain('schema/policy.schema.json');
    expect(invalid.hint).not.toContain('policy learn');
  });

  it('an invalid identity lock points to the command that writes it again, not to the policy schema (the lock has its own format)', () => {
    const lock = new PolicyError('IDENTITY_LOCK_INVALID', 'bad lock', [{ path: '/packages', message: 'must be an object' }]);
    expect(lock.hint).toContain('verify-deps policy learn');
    expect(lock.hint).not.toContain('policy.schema.json');
  });
});

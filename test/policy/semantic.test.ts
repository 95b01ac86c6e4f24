// checkRulesSemantics on its own, on documents the schema may reject too: what it checks, and
// that a field of the wrong shape is left to the schema instead of crashing or being misread.

import { describe, expect, it } from 'vitest';
import type { PolicyProblem } from '../../src/policy/errors.js';
import { checkRulesSemantics } from '../../src/policy/semantic.js';

const CATCH_ALL = { name: 'all', match: { package: '*' } };
const EXCEPTION = { package: 'a@1.0.0', waive: ['SIGNATURE_MISSING'], reason: 'vendor fix pending', approvedBy: 'sec@example.com', expires: '2026-12-31' };
const paths = (problems: PolicyProblem[]) => problems.map((p) => p.path);
const withRule = (rule: object) => checkRulesSemantics({ rules: [rule, CATCH_ALL] });
const withException = (exception: object) => checkRulesSemantics({ rules: [CATCH_ALL], exceptions: [exception] });

describe('checkRulesSemantics', () => {
  it('rules that are not objects, or have no match, are skipped and match no package', () => {
    const result = checkRulesSemantics({ rules: [null, 5, 'rule', { name: 'r' }] });
    expect(result.problems).toEqual([]);
    expect(paths(result.warnings)).toEqual(['/rules']);
  });

  it('rules without a name are not duplicates of each other', () => {
    expect(checkRulesSemantics({ rules: [{ match: { package: 'a' } }, { match: { package: 'b' } }, { name: 7, match: { package: 'c' } }, { name: 7, match: { package: 'd' } }, CATCH_ALL] }).problems).toEqual([]);
  });

  describe('exceptions', () => {
    it.each([
      ['no range', 'a'],
      ['a range that does not parse', 'a@latest'],
      ['no name before the @', '@1.0.0'],
      ['a scope but no range', '@scope/a'],
    ])('a package without a valid name@range (%s) is a problem at its package', (_, pkg) => {
      expect(paths(withException({ ...EXCEPTION, package: pkg }).problems)).toEqual(['/exceptions/0/package']);
    });

    it('a scoped name@range is accepted', () => {
      expect(withException({ ...EXCEPTION, package: '@scope/a@^1.2.0' }).problems).toEqual([]);
    });

    it('an exception listing SCRIPT_APPROVAL_STALE is warned about: no exception waives it', () => {
      const result = withException({ ...EXCEPTION, waive: ['SIGNATURE_MISSING', 'SCRIPT_APPROVAL_STALE'] });
      expect(result.problems).toEqual([]);
      expect(result.warnings).toEqual([{ path: '/exceptions/0/waive', message: expect.stringContaining('SCRIPT_APPROVAL_STALE is not waived by an exception') }]);
      expect(withException(EXCEPTION).warnings).toEqual([]);
    });

    it('exceptions that are not objects are left to the schema', () => {
      expect(checkRulesSemantics({ rules: [CATCH_ALL], exceptions: [null, 5, 'a@1'] }).problems).toEqual([]);
    });

    it('a package or expiry of the wrong type is left to the schema', () => {
      expect(withException({ ...EXCEPTION, package: 5, expires: 20261231 }).problems).toEqual([]);
    });
  });

  describe('sourceRepository', () => {
    it('a value that is not a repository URL is a problem at it; package-json and a URL are accepted', () => {
      expect(paths(withRule({ name: 'r', match: { package: 'a' }, sourceRepository: 'not a url' }).problems)).toEqual(['/rules/0/sourceRepository']);
      expect(withRule({ name: 'r', match: { package: 'a' }, sourceRepository: 'package-json' }).problems).toEqual([]);
      expect(withRule({ name: 'r', match: { package: 'a' }, sourceRepository: 'https://github.com/org/repo' }).problems).toEqual([]);
    });

    it('a value of the wrong type is left to the schema', () => {
      expect(withRule({ name: 'r', match: { package: 'a' }, sourceRepository: 5 }).problems).toEqual([]);
    });
  });

  describe('require.provenance false', () => {
    it('is allowed on a rule that pins nothing of the signer', () => {
      expect(withRule({ name: 'r', match: { package: 'a' }, require: { provenance: false } }).problems).toEqual([]);
    });

    it.each([['signer', [{ oidcIssuer: 'https://issuer.example', san: 'https://ci.example/x' }]], ['sourceRepository', 'package-json'], ['builder', 'https://ci.example/build'], ['runnerEnvironment', 'github-hosted'], ['buildTrigger', 'push']])(
      'is a problem beside %s',
      (key, value) => {
        expect(paths(withRule({ name: 'r', match: { package: 'a' }, [key]: value, require: { provenance: false } }).problems)).toEqual(['/rules/0/require/provenance']);
      },
    );
  });

  it('an empty sanRegex is left to the schema: no warning that it is unanchored', () => {
    expect(withRule({ name: 'r', match: { package: 'a' }, signer: [{ oidcIssuer: 'https://issuer.example', sanRegex: '' }] })).toEqual({ problems: [], warnings: [] });
  });
});

// validatePolicySchema on its own: every problem once, at its JSON path, and for a union
// (`oneOf`) only the problems of the branch the author meant, or one problem when none is meant.

import { describe, expect, it } from 'vitest';
import type { PolicyProblem } from '../../src/policy/errors.js';
import { validatePolicySchema } from '../../src/policy/schema.js';

const BASE = { version: 1, enforcement: 'strict', rules: [{ name: 'r', match: { package: '*' } }] };
const ruleWith = (fields: object) => ({ ...BASE, rules: [{ name: 'r', match: { package: '*' }, ...fields }] });
const paths = (problems: PolicyProblem[]) => problems.map((p) => p.path);

describe('validatePolicySchema', () => {
  it('a valid policy has no problems', () => {
    expect(validatePolicySchema(BASE)).toEqual([]);
  });

  it.each([
    ['null', null],
    ['an array', []],
    ['a string', 'policy'],
  ])('a document that is not an object (%s) is one problem at / naming both formats', (_, doc) => {
    const problems = validatePolicySchema(doc);
    expect(paths(problems)).toEqual(['/']);
    expect(problems[0]?.message).toMatch(/^must be an object: a policy in the rules format/);
  });

  it('an object with neither `version` nor `policy` is read as the rules format', () => {
    expect(paths(validatePolicySchema({}))).toEqual(['/version', '/enforcement', '/rules']);
  });

  it('an object with `policy` and no `version` is read as the identities format', () => {
    expect(paths(validatePolicySchema({ policy: {} }))).toEqual(['/policy/identities', '/policy/enforcement']);
  });

  it('an object with both `policy` and `version` is read as the rules format, and `policy` is not allowed there', () => {
    expect(paths(validatePolicySchema({ version: 1, policy: {} }))).toEqual(['/enforcement', '/rules', '/policy']);
  });

  it('only the meant format is reported: a broken rule inside an identities-format document is not analysed', () => {
    const doc = {
      policy: { identities: [{ subject: 'npm:registry.npmjs.org/*', issuer: 'https://token.actions.githubusercontent.com' }], enforcement: 'strict' },
      rules: [{ name: 'r', match: { package: 7 }, signer: [{}] }],
    };
    expect(paths(validatePolicySchema(doc))).toEqual(['/rules']);
  });

  it('an unknown key holding `/` or `~` is named by its escaped JSON pointer', () => {
    expect(paths(validatePolicySchema({ ...BASE, 'a/b~c': 1 }))).toEqual(['/a~1b~0c']);
  });

  it('signer identities are told apart by their keys: a gitlab, san or sanRegex identity of the wrong type is reported at that key', () => {
    expect(paths(validatePolicySchema(ruleWith({ signer: [{ oidcIssuer: 'https://issuer.example', sanRegex: 5 }] })))).toEqual(['/rules/0/signer/0/sanRegex']);
    expect(paths(validatePolicySchema(ruleWith({ signer: [{ oidcIssuer: 'https://issuer.example', san: 5 }] })))).toEqual(['/rules/0/signer/0/san']);
    expect(paths(validatePolicySchema(ruleWith({ signer: [{ gitlab: {} }] })))).toEqual(['/rules/0/signer/0/gitlab/project', '/rules/0/signer/0/gitlab/ref']);
  });

  it('a signer identity of no recognisable form is one problem at the identity', () => {
    const problems = validatePolicySchema(ruleWith({ signer: [[], { oidcIssuer: 'https://issuer.example' }] }));
    expect(paths(problems)).toEqual(['/rules/0/signer/0', '/rules/0/signer/1']);
    expect(problems.every((p) => p.message.startsWith('must be one identity'))).toBe(true);
  });

  it('a package glob that is a string is checked as a glob; a number is neither a glob nor a list', () => {
    const empty = validatePolicySchema({ ...BASE, rules: [{ name: 'r', match: { package: '' } }] });
    // Both string checks (length and pattern) fail, each said once.
    expect(paths(empty)).toEqual(['/rules/0/match/package', '/rules/0/match/package']);
    expect(empty.some((p) => p.message.startsWith('must be a package-name glob'))).toBe(false);
    const number = validatePolicySchema({ ...BASE, rules: [{ name: 'r', match: { package: 7 } }] });
    expect(paths(number)).toEqual(['/rules/0/match/package']);
    expect(number[0]?.message).toMatch(/^must be a package-name glob or a non-empty list/);
  });

  it('a runner environment that is a string is checked against the list of environments; a number is neither', () => {
    expect(paths(validatePolicySchema(ruleWith({ runnerEnvironment: ['github-hosted', 'my-laptop'] })))).toEqual(['/rules/0/runnerEnvironment/1']);
    const number = validatePolicySchema(ruleWith({ runnerEnvironment: 5 }));
    expect(paths(number)).toEqual(['/rules/0/runnerEnvironment']);
    expect(number[0]?.message).toMatch(/^must be a runner environment or a non-empty list/);
  });
});

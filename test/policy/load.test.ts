// parsePolicy: the shipped policies validate; broken ones are rejected with every problem at its
// JSON path; the identities format is accepted as written and normalised.

import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../src/errors.js';
import { parsePolicy, PolicyError } from '../../src/policy/index.js';
import { REKOR_URL } from '../support/public-urls.js';

const POLICIES = new URL('../../policies/', import.meta.url);
const BASE = { version: 1, enforcement: 'strict', rules: [{ name: 'r', match: { package: '*' } }] };
const EXCEPTION = { package: 'a@1.0.0', waive: ['SIGNATURE_MISSING'], reason: 'vendor fix pending', approvedBy: 'sec@example.com', expires: '2026-12-31' };

function rejection(doc: unknown): PolicyError {
  try {
    parsePolicy(typeof doc === 'string' ? doc : JSON.stringify(doc), 'broken.json');
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyError);
    return error as PolicyError;
  }
  throw new Error('expected the policy to be rejected');
}

function problemPaths(doc: unknown): string[] {
  return [...new Set(rejection(doc).problems.map((p) => p.path))].sort();
}

describe('the policies shipped in policies/', () => {
  const files = readdirSync(POLICIES).filter((f) => f.endsWith('.json'));

  it('are the four documented ones', () => {
    expect(files.sort()).toEqual(['audit.json', 'default.json', 'example-sigstore.json', 'strict.json']);
  });

  it.each(files)('%s validates, without warnings, and names the schema', (file) => {
    const text = readFileSync(new URL(file, POLICIES), 'utf8');
    const { policy, warnings } = parsePolicy(text, file);
    expect(warnings).toEqual([]);
    expect(policy.format).toBe('rules');
    expect(JSON.parse(text).$schema).toBe('../schema/policy.schema.json');
  });

  it('strict.json pins hosted GitHub or GitLab CI with anchored patterns', () => {
    const { policy } = parsePolicy(readFileSync(new URL('strict.json', POLICIES), 'utf8'), 'strict.json');
    const rule = policy.rules[0];
    expect(rule?.require.provenance).toBe(true);
    expect(rule?.signers?.map((s) => s.issuer)).toEqual(['https://token.actions.githubusercontent.com', 'https://gitlab.com']);
    expect(rule?.runnerEnvironments).toEqual(['github-hosted', 'gitlab-hosted']);
    const github = new RegExp(rule?.signers?.[0]?.sanPattern ?? '');
    expect(github.test('https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main')).toBe(true);
    expect(github.test('https://github.com.evil.example/org/repo/.github/workflows/release.yml@refs/heads/main')).toBe(false);
    expect(github.test('x https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main')).toBe(false);
  });

  it('strict.json and audit.json hold releases to a 2-day cooldown; default.json leaves it to npm\'s min-release-age', () => {
    const cooldownOf = (file: string) => parsePolicy(readFileSync(new URL(file, POLICIES), 'utf8'), file).policy.minReleaseAgeDays;
    expect(cooldownOf('strict.json')).toBe(2);
    expect(cooldownOf('audit.json')).toBe(2);
    expect(cooldownOf('default.json')).toBeNull();
  });
});

describe('install scripts in the shipped policies', () => {
  it('default.json and audit.json report what install scripts lack (warn); strict.json fails on it', () => {
    const read = (file: string) => parsePolicy(readFileSync(new URL(file, POLICIES), 'utf8'), file).policy.installScripts;
    expect([read('default.json'), read('audit.json'), read('strict.json')]).toEqual(['warn', 'warn', 'fail']);
  });
});

describe('broken policies: every problem, at its JSON path', () => {
  it('is one PolicyError (POLICY_INVALID, exit 2) with a summary naming the file and one `path: message` line per problem', () => {
    const error = rejection({ ...BASE, enforcement: 'lenient', extra: true });
    expect(error.code).toBe('POLICY_INVALID');
    expect(error.exitCode).toBe(EXIT.badInput);
    expect(error.file).toBe('broken.json');
    expect(error.message).toMatch(/^broken\.json .*\(2 problems\)$/);
    expect(error.details.split('\n').map((line) => line.split(': ')[0]).sort()).toEqual(['/enforcement', '/extra']);
  });

  it('a negative or non-numeric release cooldown, an empty exclusion glob', () => {
    expect(problemPaths({ ...BASE, minReleaseAgeDays: -1, minReleaseAgeExclude: [''], rules: [{ name: 'r', match: { package: '*' }, minReleaseAgeDays: '2' }] })).toEqual([
      '/minReleaseAgeDays',
      '/minReleaseAgeExclude/0',
      '/rules/0/minReleaseAgeDays',
    ]);
  });

  it('wrong types', () => {
    expect(problemPaths({ version: '1', enforcement: 'strict', downgrade: true, rules: {}, registries: { allowed: 'registry.npmjs.org' } })).toEqual([
      '/downgrade',
      '/registries/allowed',
      '/rules',
      '/version',
    ]);
  });

  it('unknown keys, at every level', () => {
    expect(problemPaths({ ...BASE, enforce: 'strict', rules: [{ name: 'r', match: { package: '*', scope: 'x' }, requires: {} }] })).toEqual([
      '/enforce',
      '/rules/0/match/scope',
      '/rules/0/requires',
    ]);
  });

  it('a github identity\'s repository or owner id that is not a string of digits', () => {
    const github = (ids: Record<string, unknown>) => ({ github: { repo: 'org/a', workflow: '.github/workflows/release.yml', ref: 'refs/heads/main', ...ids } });
    const doc = { ...BASE, rules: [{ name: 'r', match: { package: '*' }, signer: [github({ repositoryId: '12a' }), github({ ownerId: 12 }), github({ repositoryId: '' }), github({ repositoryId: '1', ownerId: '2' })] }] };
    expect(problemPaths(doc)).toEqual(['/rules/0/signer/0/github/repositoryId', '/rules/0/signer/1/github/ownerId', '/rules/0/signer/2/github/repositoryId']);
  });

  it('a sanRegex that does not compile', () => {
    const doc = { ...BASE, rules: [{ name: 'r', match: { package: '*' }, signer: [{ oidcIssuer: 'https://issuer.example', sanRegex: '^https://(unclosed$' }] }] };
    expect(problemPaths(doc)).toEqual(['/rules/0/signer/0/sanRegex']);
    expect(rejection(doc).details).toMatch(/invalid regular expression/);
  });

  it('dates: not a calendar date, not a date at all', () => {
    const doc = { ...BASE, exceptions: [{ ...EXCEPTION, expires: '2026-02-30' }, { ...EXCEPTION, expires: 'next week' }, { ...EXCEPTION, expires: '2026-06-01T24:00Z' }, EXCEPTION] };
    expect(problemPaths(doc)).toEqual(['/exceptions/0/expires', '/exceptions/1/expires', '/exceptions/2/expires']);
  });

  it('empty identities', () => {
    const doc = { ...BASE, rules: [{ name: 'r', match: { package: '*' }, signer: [{}, { github: {} }, { oidcIssuer: 'https://issuer.example', san: '' }, { oidcIssuer: 'https://issuer.example' }] }] };
    expect(problemPaths(doc)).toEqual([
      '/rules/0/signer/0',
      '/rules/0/signer/1/github/ref',
      '/rules/0/signer/1/github/repo',
      '/rules/0/signer/1/github/workflow',
      '/rules/0/signer/2/san',
      '/rules/0/signer/3',
    ]);
  });

  it('an exception without reason, approver or expiry', () => {
    expect(problemPaths({ ...BASE, exceptions: [{ package: 'a@1.0.0', waive: ['SIGNATURE_MISSING'] }] })).toEqual([
      '/exceptions/0/approvedBy',
      '/exceptions/0/expires',
      '/exceptions/0/reason',
    ]);
  });

  it('registries naming neither allowed nor unsigned hosts, an empty unsigned list, a host that is a URL', () => {
    expect(problemPaths({ ...BASE, registries: {} })).toEqual(['/registries']);
    expect(problemPaths({ ...BASE, registries: { unsigned: [] } })).toEqual(['/registries/unsigned']);
    expect(problemPaths({ ...BASE, registries: { unsigned: ['https://npm.internal.example/'] } })).toEqual(['/registries/unsigned/0']);
  });

  it('semver ranges that do not parse, in a rule and in an exception', () => {
    expect(problemPaths({ ...BASE, rules: [{ name: 'r', match: { package: 'a', version: 'not a range' } }], exceptions: [{ ...EXCEPTION, package: 'a@latest' }] })).toEqual([
      '/exceptions/0/package',
      '/rules/0/match/version',
    ]);
  });

  it('values outside their enums', () => {
    const doc = {
      version: 1,
      enforcement: 'lenient',
      downgrade: 'maybe',
      sources: { git: 'block' },
      rules: [{ name: 'r', match: { package: '*' }, runnerEnvironment: 'my-laptop' }],
      exceptions: [{ ...EXCEPTION, waive: ['NOT_A_CODE'] }],
    };
    expect(problemPaths(doc)).toEqual(['/downgrade', '/enforcement', '/exceptions/0/waive/0', '/rules/0/runnerEnvironment', '/sources/git']);
  });

  it('empty package globs, alone and in lists', () => {
    const doc = { ...BASE, rules: [{ name: 'r', match: { package: '' } }, { name: 's', match: { package: [] } }, { name: 't', match: { package: ['a', ''] } }] };
    expect(problemPaths(doc)).toEqual(['/rules/0/match/package', '/rules/1/match/package', '/rules/2/match/package/1']);
  });

  it('the identities format with a wrong field', () => {
    const doc = {
      policy: {
        identities: [{ subject: 'registry.npmjs.org/*', issuer: 'https://token.actions.githubusercontent.com', san: 'x' }],
        transparency: { url: REKOR_URL },
        enforcement: 'strict',
      },
    };
    expect(problemPaths(doc)).toEqual(['/policy/identities/0/san', '/policy/identities/0/subject', '/policy/transparency/log', '/policy/transparency/url']);
  });

  it('duplicate rule names, and require.provenance false beside a pinned signer', () => {
    const signer = [{ github: { repo: 'o/r', workflow: '.github/workflows/release.yml', ref: 'refs/heads/main' } }];
    const doc = { ...BASE, rules: [{ name: 'r', match: { package: 'a' }, signer, require: { provenance: false } }, { name: 'r', match: { package: '*' } }] };
    expect(problemPaths(doc)).toEqual(['/rules/0/require/provenance', '/rules/1/name']);
  });

  it('schema and semantic problems in one report', () => {
    expect(problemPaths({ ...BASE, downgrade: 'sometimes', exceptions: [{ ...EXCEPTION, expires: '2026-13-01' }] })).toEqual(['/downgrade', '/exceptions/0/expires']);
  });

  it('text that is not JSON, and JSON that is not an object', () => {
    const error = rejection('{"version": 1,\n  ');
    expect(error.problems.map((p) => p.path)).toEqual(['/']);
    expect(error.details).toMatch(/line 2/);
    expect(problemPaths([])).toEqual(['/']);
  });
});

describe('the identities format, as written', () => {
  const IDENTITIES = `{
"policy": {
"identities": [{"subject": "npm:registry.npmjs.org/*", "issuer": "https://token.actions.githubusercontent.com"}],
"transparency": {"log": "${REKOR_URL}"},
"enforcement": "strict"
}
}`;

  it('is accepted and normalised into one rule requiring provenance under the issuer, with the log pinned', () => {
    const { policy, warnings } = parsePolicy(IDENTITIES, 'identities.json');
    expect(warnings).toEqual([]);
    expect(policy).toMatchObject({ format: 'identities', enforcement: 'strict', transparencyLogs: [REKOR_URL], registriesAllowed: ['registry.npmjs.org'], exceptions: [] });
    expect(policy.rules).toHaveLength(1);
    expect(policy.rules[0]).toMatchObject({
      name: 'npm:registry.npmjs.org/*',
      match: { packages: [{ glob: '*' }], version: null, registry: 'registry.npmjs.org' },
      require: { provenance: true, registrySignature: false, publishAttestation: false },
      signers: [{ form: 'issuer', issuer: 'https://token.actions.githubusercontent.com', sanPattern: null }],
      enforcement: 'strict',
    });
  });

  it('registries.unsigned, alone or beside allowed, in either shape: lower-cased hosts; none by default', () => {
    expect(parsePolicy(JSON.stringify({ ...BASE, registries: { unsigned: ['NPM.Internal.example:8443'] } }), 'p.json').policy).toMatchObject({ registriesAllowed: null, registriesUnsigned: ['npm.internal.example:8443'] });
    expect(parsePolicy(JSON.stringify({ ...BASE, registries: { allowed: ['a.example'], unsigned: ['b.example'] } }), 'p.json').policy).toMatchObject({ registriesAllowed: ['a.example'], registriesUnsigned: ['b.example'] });
    expect(parsePolicy(JSON.stringify(BASE), 'p.json').policy.registriesUnsigned).toEqual([]);
    const compact = JSON.parse(IDENTITIES) as { policy: Record<string, unknown> };
    compact.policy.registries = { unsigned: ['B.example'] };
    expect(parsePolicy(JSON.stringify(compact), 'identities.json').policy.registriesUnsigned).toEqual(['b.example']);
    expect(parsePolicy(IDENTITIES, 'identities.json').policy.registriesUnsigned).toEqual([]);
  });

  it('groups identities of one subject into one rule with alternative issuers', () => {
    const doc = {
      policy: {
        identities: [
          { subject: 'npm:registry.npmjs.org/@scope/*', issuer: 'https://token.actions.githubusercontent.com' },
          { subject: 'npm:registry.npmjs.org/@scope/*', issuer: 'https://gitlab.com' },
        ],
        enforcement: 'audit',
      },
    };
    const { policy } = parsePolicy(JSON.stringify(doc), 'identities.json');
    expect(policy.transparencyLogs).toBeNull();
    expect(policy.rules.map((r) => r.signers?.map((s) => s.issuer))).toEqual([['https://token.actions.githubusercontent.com', 'https://gitlab.com']]);
    expect(policy.rules[0]?.match.packages[0]?.glob).toBe('@scope/*');
  });

  it('allows only the registries its subjects name, hosts normalised (case, trailing dot, https port)', () => {
    const identity = (subject: string) => ({ subject, issuer: 'https://token.actions.githubusercontent.com' });
    const doc = { policy: { identities: [identity('npm:REGISTRY.NPMJS.ORG./*'), identity('npm:npm.corp.example:443/@corp/*'), identity('npm:npm.corp.example:8443/*')], enforcement: 'strict' } };
    const { policy } = parsePolicy(JSON.stringify(doc), 'identities.json');
    expect(policy.rules.map((r) => r.match.registry)).toEqual(['registry.npmjs.org', 'npm.corp.example', 'npm.corp.example:8443']);
    expect(policy.registriesAllowed).toEqual(['registry.npmjs.org', 'npm.corp.example', 'npm.corp.example:8443']);
  });
});

describe('rules-format hosts and rule coverage', () => {
  it('registries.allowed and match.registry are normalised as lockfile hosts are', () => {
    const { policy } = parsePolicy(JSON.stringify({ ...BASE, registries: { allowed: ['Registry.NPMJS.org', 'npm.corp.example:443', 'npm.corp.example:8443'] }, rules: [{ name: 'r', match: { package: '*', registry: 'NPM.corp.example:443' } }, ...BASE.rules.map((r) => ({ ...r, name: 'all' }))] }), 'p.json');
    expect(policy.registriesAllowed).toEqual(['registry.npmjs.org', 'npm.corp.example', 'npm.corp.example:8443']);
    expect(policy.rules[0]?.match.registry).toBe('npm.corp.example');
  });

  it.each([
    ['no rules', []],
    ['only named packages', [{ name: 'a', match: { package: ['a', '@scope/*'] } }]],
    ['`*` only for one version range', [{ name: 'v', match: { package: '*', version: '>=1' } }]],
    ['`*` only for one registry', [{ name: 'h', match: { package: '*', registry: 'registry.npmjs.org' } }]],
  ])('a rules-format policy without a catch-all rule (%s) is warned about at /rules', (_, rules) => {
    const { warnings } = parsePolicy(JSON.stringify({ ...BASE, rules }), 'p.json');
    expect(warnings).toEqual([expect.stringMatching(/^p\.json: \/rules: expected a catch-all rule .*NO_MATCHING_RULE/)]);
  });

  it.each([
    ['`*`', { package: '*' }],
    ['a list holding `*`', { package: ['a', '*'] }],
  ])('a catch-all rule (%s) anywhere in the list satisfies it', (_, match) => {
    const { warnings } = parsePolicy(JSON.stringify({ ...BASE, rules: [{ name: 'c', match }, { name: 'a', match: { package: 'a' } }] }), 'p.json');
    expect(warnings).toEqual([]);
  });
});

describe('identity forms', () => {
  const signerOf = (identity: object) => parsePolicy(JSON.stringify({ ...BASE, rules: [{ name: 'r', match: { package: '*' }, signer: [identity] }] }), 'p.json');

  it('github expands to the Actions issuer and the escaped, anchored SAN; a ref glob stays within the ref', () => {
    const { policy } = signerOf({ github: { repo: 'sigstore/sigstore-js', workflow: '.github/workflows/release.yml', ref: 'refs/tags/v*' } });
    const signer = policy.rules[0]?.signers?.[0];
    expect(signer).toMatchObject({ form: 'github', issuer: 'https://token.actions.githubusercontent.com' });
    expect(signer?.sanPattern).toBe('^https://github\\.com/sigstore/sigstore-js/\\.github/workflows/release\\.yml@refs/tags/v[^@]*$');
    expect(policy.rules[0]?.require.provenance).toBe(true);
  });

  it('gitlab expands to https://gitlab.com and Fulcio\'s https://{ci_config_ref_uri} SAN (two slashes before the config path)', () => {
    const { policy } = signerOf({ gitlab: { project: 'group/sub/project', ref: 'refs/heads/main' } });
    expect(policy.rules[0]?.signers?.[0]).toMatchObject({ issuer: 'https://gitlab.com', expected: 'https://gitlab.com/group/sub/project//.gitlab-ci.yml@refs/heads/main' });
    expect(policy.rules[0]?.signers?.[0]?.sanPattern).toBe('^https://gitlab\\.com/group/sub/project//\\.gitlab-ci\\.yml@refs/heads/main$');
  });

  it('san is escaped and anchored: a plain URI, not a regex', () => {
    const { policy } = signerOf({ oidcIssuer: 'https://issuer.example', san: 'https://ci.example/a+b(c)' });
    expect(policy.rules[0]?.signers?.[0]?.sanPattern).toBe('^https://ci\\.example/a\\+b\\(c\\)$');
  });

  it.each([
    ['https://github\\.com/org/repo/', true],
    ['^https://github\\.com/org/repo/', true],
    ['https://github\\.com/org/repo/.*$', true],
    ['^https://github\\.com/org/a/.*|https://github\\.com/org/b/.*$', true],
    ['^https://github\\.com/org/a/.*$|^https://github\\.com/org/b/.*$', false],
    ['^https://github\\.com/org/repo/.*\\\\$', false],
    ['^https://github\\.com/org/repo/.*\\$', true],
    ['^https://github\\.com/org/(a|b)/.*$', false],
    ['^(?:https://github\\.com/org/a/.*|https://github\\.com/org/b/.*)$', false],
  ])('sanRegex %s warns about substring matching: %s', (sanRegex, warns) => {
    const { warnings } = signerOf({ oidcIssuer: 'https://issuer.example', sanRegex });
    expect(warnings).toEqual(warns ? [expect.stringMatching(/^p\.json: \/rules\/0\/signer\/0\/sanRegex: unanchored pattern is substring-matched/)] : []);
  });
});

describe('reading the text', () => {
  const RULES = { ...BASE, rules: [{ name: 'all', match: { package: '*' } }] };

  it('a leading byte-order mark is skipped; one inside a value is kept', () => {
    expect(parsePolicy(`\uFEFF${JSON.stringify(RULES)}`, 'bom.json').policy.rules[0]?.name).toBe('all');
    const inside = JSON.stringify({ ...RULES, rules: [{ name: '\uFEFFall', match: { package: '*' } }] });
    expect(parsePolicy(inside, 'p.json').policy.rules[0]?.name).toBe('\uFEFFall');
  });

  it('JSON that is not an object, and empty text, are one problem at /, not a crash', () => {
    for (const text of ['null', '"policy"', '5', 'true', '[]', '']) {
      expect(rejection(text).problems.map((p) => p.path)).toEqual(['/']);
    }
  });

  it('text that is not JSON is located by line and column (both from 1); empty text has no position', () => {
    expect(rejection('{\n  "a": 1,\n  "b": [1 2]\n}').details).toMatch(/\(line 3, column 11\)$/);
    expect(rejection('{"version": 1,\n  ').details).toMatch(/\(line 2, column 3\)$/);
    expect(rejection('').details).not.toMatch(/\(line/);
  });

  it('the summary counts the problems: one problem, or N problems', () => {
    expect(rejection({ ...BASE, extra: true }).message).toMatch(/\(1 problem\)$/);
  });

  it('a problem the schema and the checks beyond it both find is reported once', () => {
    const doc = { ...BASE, rules: [{ name: 'r', match: { package: '*' }, sourceRepository: 'not a url' }] };
    expect(rejection(doc).problems.map((p) => p.path)).toEqual(['/rules/0/sourceRepository']);
  });

  it('a document with `version`, or with neither `version` nor `policy`, is checked as the rules format beyond the schema', () => {
    const badRange = [{ name: 'r', match: { package: '*', version: 'not a range' } }];
    expect(problemPaths({ version: 1, policy: {}, enforcement: 'strict', rules: badRange })).toEqual(['/policy', '/rules/0/match/version']);
    expect(problemPaths({ enforcement: 'strict', rules: badRange })).toEqual(['/rules/0/match/version', '/version']);
  });
});

// Which rules judge a package: the first matching rule under each name it is installed as (real
// name and npm: alias name) and each host it comes from (lockfile `resolved` host and fetched
// registry), all of them applying; identity-lock entries under every installed name too.

import { describe, expect, it } from 'vitest';
import { NPMJS_HOST, YARNPKG_HOST } from '../support/public-urls.js';
import { evaluatePolicy, learnIdentityLock } from '../../src/policy/index.js';
import type { IdentityLock, NormalizedPolicy, PolicySubject } from '../../src/policy/index.js';
import { lockfileHost, matchRules } from '../../src/policy/match.js';
import { codes, githubSigner, NOW, OTHER_LOG, policyOf, provenance, publishAttestation, ref, REKOR, subject } from './_helpers.js';

const run = (policy: NormalizedPolicy, subjects: PolicySubject[], identityLock?: IdentityLock) =>
  evaluatePolicy({ subjects, trustedLogs: [REKOR, OTHER_LOG], ...(identityLock === undefined ? {} : { identityLock }) }, policy, NOW);

const PINNED = { github: { repo: 'scope/pinned', workflow: '.github/workflows/release.yml', ref: 'refs/heads/main' } };
const pinnedPolicy = (catchAll = true) =>
  policyOf({
    version: 1,
    enforcement: 'strict',
    downgrade: 'off',
    rules: [{ name: 'pinned', match: { package: '@scope/pinned' }, signer: [PINNED] }, ...(catchAll ? [{ name: 'rest', match: { package: '*' } }] : [])],
  });

// `evil@1.0.0` installed as node_modules/@scope/pinned (`"@scope/pinned": "npm:evil@1.0.0"`).
const aliased = (signer = githubSigner('attacker/evil')) =>
  subject('evil', '1.0.0', [provenance(signer), publishAttestation()], { ref: ref('evil', '1.0.0', { aliases: ['@scope/pinned'], locations: ['node_modules/@scope/pinned'] }) });

describe('rules by every installed name', () => {
  it('an alias over a pinned name meets the pinned name\'s rule: UNTRUSTED_SIGNER, naming the installed name', () => {
    const decision = run(pinnedPolicy(), [aliased()]);
    const [pkg] = decision.packages;
    expect(pkg?.rule).toBe('rest');
    expect(pkg?.findings.map((f) => [f.code, f.rule])).toEqual([['UNTRUSTED_SIGNER', 'pinned']]);
    expect(pkg?.findings[0]?.details).toMatchObject({ rule: 'pinned', installedAs: ['@scope/pinned'] });
    expect(pkg?.findings[0]?.message).toContain('@scope/pinned, the name it is installed as');
    expect(decision.verdict).toBe('fail');
  });

  it('control: the alias signed by the pinned workflow passes; the same package under its own name only meets its own rule', () => {
    expect(codes(run(pinnedPolicy(), [aliased(githubSigner('scope/pinned'))]))).toEqual([]);
    expect(codes(run(pinnedPolicy(), [subject('evil', '1.0.0', [provenance(githubSigner('attacker/evil')), publishAttestation()])]))).toEqual([]);
  });

  it('matchRules lists the first rule under each name and host, real name and lockfile host first', () => {
    const policy = policyOf({
      version: 1,
      enforcement: 'strict',
      rules: [
        { name: 'corp', match: { package: '*', registry: 'npm.corp.example' } },
        { name: 'pinned', match: { package: '@scope/pinned' } },
        { name: 'rest', match: { package: '*' } },
      ],
    });
    const s = subject('evil', '1.0.0', [], { registryHost: 'npm.corp.example', ref: ref('evil', '1.0.0', { aliases: ['@scope/pinned'], registryHost: 'Registry.NPMJS.org.' }) });
    expect(matchRules(s, policy.rules).map((m) => [m.name, m.host, m.rule?.name])).toEqual([
      ['evil', 'registry.npmjs.org', 'rest'],
      ['evil', 'npm.corp.example', 'corp'],
      ['@scope/pinned', 'registry.npmjs.org', 'pinned'],
      ['@scope/pinned', 'npm.corp.example', 'corp'],
    ]);
  });

  it('every rule that applies is enforced: the stricter rule of the fetched registry is not stepped around by the lockfile host', () => {
    const policy = policyOf({
      version: 1,
      enforcement: 'strict',
      downgrade: 'off',
      rules: [
        { name: 'internal', match: { package: '*', registry: 'npm.corp.example' } },
        { name: 'public', match: { package: '*' }, require: { provenance: true } },
      ],
    });
    const resolvedInternally = subject('a', '1.0.0', [], { ref: ref('a', '1.0.0', { registryHost: 'npm.corp.example', resolved: 'https://npm.corp.example/a/-/a-1.0.0.tgz' }) });
    const decision = run(policy, [resolvedInternally]);
    expect(decision.packages[0]?.rule).toBe('internal');
    expect(decision.packages[0]?.findings.map((f) => [f.code, f.rule])).toEqual([['PROVENANCE_MISSING', 'public']]);
  });
});

describe('no rule under a name or host (rules format)', () => {
  it('an alias whose real name no rule matches fails closed, naming the real name', () => {
    const decision = run(pinnedPolicy(false), [aliased(githubSigner('scope/pinned'))]);
    expect(decision.packages[0]?.findings.map((f) => [f.code, f.details])).toEqual([['NO_MATCHING_RULE', { name: 'evil', hosts: ['registry.npmjs.org'] }]]);
  });

  it('a host no rule covers fails closed, naming the host', () => {
    const policy = policyOf({ version: 1, enforcement: 'strict', rules: [{ name: 'npmjs', match: { package: '*', registry: 'registry.npmjs.org' } }] });
    const fromElsewhere = subject('a', '1.0.0', [], { registryHost: 'registry.npmjs.org', ref: ref('a', '1.0.0', { registryHost: 'registry.npmjs.org.', resolved: `https://${NPMJS_HOST}./a/-/a-1.0.0.tgz` }) });
    expect(codes(run(policy, [fromElsewhere]))).toEqual([]);
    const onYarn = subject('a', '1.0.0', [], { ref: ref('a', '1.0.0', { registryHost: 'registry.yarnpkg.com', resolved: `https://${YARNPKG_HOST}/a/-/a-1.0.0.tgz` }) });
    expect(run(policy, [onYarn]).packages[0]?.findings.map((f) => [f.code, f.details])).toEqual([['NO_MATCHING_RULE', { name: 'a', hosts: ['registry.yarnpkg.com'] }]]);
  });

  it('a package from no known host that no rule matches names no host', () => {
    const policy = policyOf({ version: 1, enforcement: 'strict', rules: [{ name: 'only b', match: { package: 'b' } }] });
    const hostless = subject('a', '1.0.0', [], { registryHost: null, ref: ref('a', '1.0.0', { registryHost: null, resolved: null }) });
    expect(run(policy, [hostless]).packages[0]?.findings.map((f) => [f.code, f.details])).toEqual([['NO_MATCHING_RULE', { name: 'a', hosts: [] }]]);
  });

  it('the identities format has no such check: a name its subjects do not match, from a host they name, passes', () => {
    const compact = policyOf({ policy: { identities: [{ subject: 'npm:registry.npmjs.org/@scope/*', issuer: 'https://token.actions.githubusercontent.com' }], enforcement: 'strict' } });
    expect(codes(run(compact, [subject('a', '1.0.0')]))).toEqual([]);
    // …but an alias over a name they match is judged by it.
    expect(codes(run(compact, [subject('evil', '1.0.0', [], { ref: ref('evil', '1.0.0', { aliases: ['@scope/pinned'] }) })]))).toEqual(['PROVENANCE_MISSING']);
  });
});

describe('identity lock under every installed name', () => {
  const policy = policyOf({ version: 1, enforcement: 'strict', downgrade: 'off', identityLock: 'l.json', rules: [{ name: 'rest', match: { package: '*' } }] });
  const genuine = subject('@scope/pinned', '1.0.0', [provenance(githubSigner('scope/pinned')), publishAttestation()]);

  it('an alias over a locked name is IDENTITY_CHANGED, naming the installed name', () => {
    const lock = learnIdentityLock([genuine]);
    const decision = run(policy, [aliased()], lock);
    expect(decision.packages[0]?.findings.map((f) => f.code)).toEqual(['IDENTITY_CHANGED']);
    expect(decision.packages[0]?.findings[0]?.details).toMatchObject({ installedAs: '@scope/pinned' });
  });

  it('an alias without provenance over a locked name is IDENTITY_CHANGED', () => {
    const bare = subject('evil', '1.0.0', [], { ref: ref('evil', '1.0.0', { aliases: ['@scope/pinned'] }) });
    expect(codes(run(policy, [bare], learnIdentityLock([genuine])))).toEqual(['IDENTITY_CHANGED']);
  });

  it('learning records an alias under its installed name too, and today\'s tree passes its own lock', () => {
    const today = aliased(githubSigner('scope/pinned'));
    const lock = learnIdentityLock([today]);
    expect(Object.keys(lock.packages)).toEqual(['@scope/pinned', 'evil']);
    expect(codes(run(policy, [today], lock))).toEqual([]);
    expect(codes(run(policy, [aliased()], lock))).toEqual(['IDENTITY_CHANGED', 'IDENTITY_CHANGED']);
  });
});

describe('a rule\'s match', () => {
  const rules = policyOf({
    version: 1,
    enforcement: 'strict',
    rules: [
      { name: 'pair', match: { package: ['left', 'right'] } },
      { name: 'from 2', match: { package: 'v', version: '>=2.0.0' } },
      { name: 'rest', match: { package: '*' } },
    ],
  }).rules;
  const ruleOf = (name: string, version: string) => matchRules(subject(name, version), rules)[0]?.rule?.name;

  it('any glob of a list may match', () => {
    expect([ruleOf('left', '1.0.0'), ruleOf('right', '1.0.0'), ruleOf('middle', '1.0.0')]).toEqual(['pair', 'pair', 'rest']);
  });

  it('a rule\'s version range includes prereleases: a rule reaches more packages, never fewer', () => {
    expect([ruleOf('v', '2.1.0-rc.1'), ruleOf('v', '2.0.0'), ruleOf('v', '1.9.0')]).toEqual(['from 2', 'from 2', 'rest']);
  });
});

describe('the hosts a package is judged under', () => {
  it('lockfileHost drops the default port of the scheme of `resolved`, http only when it starts with http:', () => {
    expect(lockfileHost(ref('a', '1.0.0', { registryHost: 'h.example:80', resolved: 'http://h.example:80/a/-/a-1.0.0.tgz' }))).toBe('h.example');
    expect(lockfileHost(ref('a', '1.0.0', { registryHost: 'h.example:443', resolved: 'https://h.example:443/a/-/a-1.0.0.tgz' }))).toBe('h.example');
    expect(lockfileHost(ref('a', '1.0.0', { registryHost: 'h.example:80', resolved: 'https://h.example:80/a/-/http:a.tgz' }))).toBe('h.example:80');
    expect(lockfileHost(ref('a', '1.0.0', { registryHost: 'h.example:443', resolved: null }))).toBe('h.example');
  });

  it('an unknown fetched-from registry adds no host', () => {
    const s = subject('a', '1.0.0', [], { registryHost: null });
    expect(matchRules(s, policyOf({ version: 1, enforcement: 'strict', rules: [{ name: 'rest', match: { package: '*' } }] }).rules).map((m) => m.host)).toEqual(['registry.npmjs.org']);
  });
});

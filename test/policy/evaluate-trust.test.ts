// evaluatePolicy, trust anchored outside the rules: the identity lock (learned identities) and
// the transparency-log pin (the identities format's `transparency.log`).

import { describe, expect, it } from 'vitest';
import { evaluatePolicy, learnIdentityLock, parseIdentityLock, parsePolicy, PolicyError, serializeIdentityLock } from '../../src/policy/index.js';
import type { NormalizedPolicy, PolicySubject } from '../../src/policy/index.js';
import { codes, githubSigner, NOW, OTHER_LOG, oneRule, provenance, publishAttestation, ref, REKOR, subject } from './_helpers.js';
import { REKOR_URL } from '../support/public-urls.js';

const run = (policy: NormalizedPolicy, ...subjects: PolicySubject[]) => evaluatePolicy({ subjects, trustedLogs: [REKOR, OTHER_LOG] }, policy, NOW);
const signed = (name = 'a', version = '1.0.0') => subject(name, version, [provenance(githubSigner('org/a')), publishAttestation()]);

describe('identity lock', () => {
  const withLock = oneRule({}, { identityLock: 'verify-deps.identities.json' });

  it('learn, then the same identity passes, and a new tag of the same workflow passes', () => {
    const lock = learnIdentityLock([signed('a', '1.0.0'), subject('b', '1.0.0')]);
    expect(Object.keys(lock.packages)).toEqual(['a']);
    expect(lock.packages.a).toMatchObject([{ sourceRepositoryURI: 'https://github.com/org/a', issuer: 'https://token.actions.githubusercontent.com' }]);
    const retagged = subject('a', '1.1.0', [provenance(githubSigner('org/a', '.github/workflows/release.yml', 'refs/tags/v1.1.0')), publishAttestation()]);
    expect(codes(evaluatePolicy({ subjects: [signed('a', '1.1.0'), retagged], trustedLogs: [REKOR], identityLock: lock }, withLock, NOW))).toEqual([]);
  });

  it('a package installed at two versions from two repositories: both are learned, a third repository is IDENTITY_CHANGED', () => {
    const old = subject('a', '1.0.0', [provenance(githubSigner('someone/a')), publishAttestation()]);
    const lock = learnIdentityLock([old, signed('a', '2.0.0')]);
    expect(lock.packages.a).toHaveLength(2);
    expect(parseIdentityLock(serializeIdentityLock(lock), 'lock.json')).toEqual(lock);
    expect(codes(evaluatePolicy({ subjects: [old, signed('a', '2.0.0')], trustedLogs: [REKOR], identityLock: lock }, withLock, NOW))).toEqual([]);
    const third = subject('a', '3.0.0', [provenance(githubSigner('attacker/a')), publishAttestation()]);
    expect(codes(evaluatePolicy({ subjects: [third], trustedLogs: [REKOR], identityLock: lock }, withLock, NOW))).toEqual(['IDENTITY_CHANGED']);
  });

  it('a changed source repository or workflow is IDENTITY_CHANGED; so is losing provenance', () => {
    const lock = learnIdentityLock([signed('a', '1.0.0')]);
    const moved = subject('a', '1.1.0', [provenance(githubSigner('attacker/a'))]);
    const otherWorkflow = subject('a', '1.1.0', [provenance(githubSigner('org/a', '.github/workflows/other.yml'))]);
    const none = subject('a', '1.1.0', []);
    for (const s of [moved, otherWorkflow, none]) {
      expect(codes(evaluatePolicy({ subjects: [s], trustedLogs: [REKOR], identityLock: lock }, withLock, NOW))).toEqual(['IDENTITY_CHANGED']);
    }
  });

  it('the lock file round-trips, and a lock with a typo is rejected at its path', () => {
    const lock = learnIdentityLock([signed('b', '1.0.0'), signed('a', '1.0.0')]);
    const text = serializeIdentityLock(lock);
    expect(parseIdentityLock(text, 'lock.json')).toEqual(lock);
    expect(Object.keys(JSON.parse(text).packages)).toEqual(['a', 'b']);
    const typo = JSON.stringify({ version: 1, packages: { a: { sourceRepositoryUri: 'https://github.com/org/a' }, '@s/b': {} } });
    try {
      parseIdentityLock(typo, 'lock.json');
      expect.unreachable();
    } catch (error) {
      expect((error as PolicyError).code).toBe('IDENTITY_LOCK_INVALID');
      expect((error as PolicyError).problems.map((p) => p.path)).toEqual(['/packages/a/sourceRepositoryUri', '/packages/@s~1b']);
    }
  });

  it('a policy that names a lock refuses to run without one: IDENTITY_LOCK_MISSING at /identityLock', () => {
    expect(() => run(withLock, signed())).toThrow(PolicyError);
    expect(() => run(withLock, signed())).toThrow(expect.objectContaining({ code: 'IDENTITY_LOCK_MISSING', problems: [expect.objectContaining({ path: '/identityLock' })] }));
  });
});

describe('transparency-log pin (identities format)', () => {
  const compact = parsePolicy(
    JSON.stringify({ policy: { identities: [{ subject: 'npm:registry.npmjs.org/*', issuer: 'https://token.actions.githubusercontent.com' }], transparency: { log: REKOR_URL }, enforcement: 'strict' } }),
    'identities.json',
  ).policy;
  const tlog = (logId: string) => [{ logId, logIndex: '9', kind: 'dsse/0.0.1', inclusionPromise: true, inclusionProof: true }];

  it('accepts provenance from the pinned log, signed under the issuer', () => {
    expect(run(compact, subject('a', '1.0.0', [provenance(githubSigner('org/a'))])).verdict).toBe('pass');
  });

  it('rejects an entry from a log the trust root has but the policy does not pin, or from an unknown log', () => {
    expect(codes(run(compact, subject('a', '1.0.0', [provenance(githubSigner('org/a'), { tlog: tlog(OTHER_LOG.logId) })])))).toEqual(['TLOG_NOT_PINNED']);
    expect(codes(run(compact, subject('a', '1.0.0', [provenance(githubSigner('org/a'), { tlog: tlog('dW5rbm93bg==') })])))).toEqual(['TLOG_NOT_PINNED']);
    expect(codes(run(compact, subject('a', '1.0.0', [provenance(githubSigner('org/a'), { tlog: [] })])))).toEqual(['TLOG_NOT_PINNED']);
  });

  it('requires provenance under the issuer for the subject host, and refuses packages from a host no subject names', () => {
    const gitlab = { ...githubSigner('org/a'), issuer: 'https://gitlab.com' };
    expect(codes(run(compact, subject('a', '1.0.0', [provenance(gitlab)])))).toEqual(['UNTRUSTED_SIGNER']);
    expect(codes(run(compact, subject('a', '1.0.0')))).toEqual(['PROVENANCE_MISSING']);
    const elsewhere = (host: string, fetchedFrom: string) => subject('a', '1.0.0', [], { registryHost: fetchedFrom, ref: ref('a', '1.0.0', { registryHost: host, resolved: `https://${host}/a/-/a-1.0.0.tgz` }) });
    expect(run(compact, elsewhere('npm.example.com', 'npm.example.com')).packages[0]).toMatchObject({ rule: null, findings: [{ code: 'REGISTRY_NOT_ALLOWED', details: { got: 'npm.example.com' } }] });
    // Fetched from the subject's host, the subject's rule applies as well.
    expect(codes(run(compact, elsewhere('registry.yarnpkg.com', 'registry.npmjs.org')))).toEqual(['REGISTRY_NOT_ALLOWED', 'PROVENANCE_MISSING']);
  });
});

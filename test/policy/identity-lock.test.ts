// The identity lock on its own: what learning records, and the finding a package that no longer
// shows a locked identity gets (its code and details exactly, not its message).

import { describe, expect, it } from 'vitest';
import { checkIdentityLock, learnIdentityLock } from '../../src/policy/identity-lock.js';
import type { IdentityLock, PolicySubject } from '../../src/policy/index.js';
import { GITHUB_ISSUER, githubSigner, provenance, publishAttestation, ref, subject, type Signer } from './_helpers.js';

const RELEASE = '.github/workflows/release.yml';
const signedBy = (name: string, version: string, ...signers: Signer[]) => subject(name, version, [...signers.map((s) => provenance(s)), publishAttestation()]);
const check = (s: PolicySubject, lock: IdentityLock) => {
  if (s.facts === undefined) throw new Error('expected facts');
  return checkIdentityLock(s, s.facts, lock);
};
// Only the parts a finding's code and details carry.
const judged = (s: PolicySubject, lock: IdentityLock) => check(s, lock).map((f) => ({ code: f.code, details: f.details }));
const lockOf = (packages: IdentityLock['packages']): IdentityLock => ({ version: 1, packages });

describe('learning the identity lock', () => {
  it('records the compared fields and, for people, the build signer and the SAN of the first verified provenance', () => {
    const release = githubSigner('org/a', RELEASE, 'refs/tags/v1.0.0');
    const other = githubSigner('org/other', '.github/workflows/other.yml');
    expect(learnIdentityLock([signedBy('a', '1.0.0', release, other)])).toStrictEqual({
      version: 1,
      packages: {
        a: [
          {
            sourceRepositoryURI: 'https://github.com/org/a',
            buildConfigURI: `https://github.com/org/a/${RELEASE}@refs/tags/v1.0.0`,
            buildSignerURI: `https://github.com/org/a/${RELEASE}@refs/tags/v1.0.0`,
            issuer: GITHUB_ISSUER,
            san: `https://github.com/org/a/${RELEASE}@refs/tags/v1.0.0`,
          },
        ],
      },
    });
  });

  it('skips packages without facts, without provenance, or whose provenance did not verify', () => {
    const unverified = subject('c', '1.0.0', [provenance(githubSigner('org/c'), { status: 'failed' })]);
    const lock = learnIdentityLock([subject('a', '1.0.0', [], { facts: undefined }), subject('b', '1.0.0', [publishAttestation()]), unverified]);
    expect(lock).toStrictEqual({ version: 1, packages: {} });
  });

  it('an older certificate names its repository in the GitHub extension only: the lock records it as a URL', () => {
    const older = githubSigner('org/a', RELEASE, 'refs/heads/main', { sourceRepositoryURI: undefined, githubWorkflowRepository: 'org/a' });
    expect(learnIdentityLock([signedBy('a', '1.0.0', older)]).packages.a?.[0]?.sourceRepositoryURI).toBe('https://github.com/org/a');
  });

  it('records only the fields the certificate has', () => {
    const bare: Signer = { issuer: GITHUB_ISSUER, san: 'https://github.com/org/a/x.yml@main', extensions: {} };
    expect(learnIdentityLock([signedBy('a', '1.0.0', bare)]).packages.a).toStrictEqual([{ issuer: GITHUB_ISSUER, san: 'https://github.com/org/a/x.yml@main' }]);
  });

  it('a certificate without issuer or SAN records neither, not even as undefined', () => {
    const anonymous: Signer = { issuer: undefined as unknown as string, san: undefined as unknown as string, extensions: { sourceRepositoryURI: 'r' } };
    expect(learnIdentityLock([signedBy('a', '1.0.0', anonymous)]).packages.a).toStrictEqual([{ sourceRepositoryURI: 'r' }]);
  });

  it('two identities whose fields only read alike once joined stay two, in the order they were learned', () => {
    // A NUL inside a field: both sort keys read "a\0b\0\0i", yet the repositories differ.
    const x = signedBy('a', '1.0.0', { issuer: 'i', san: 's', extensions: { sourceRepositoryURI: 'a\0b' } });
    const y = signedBy('a', '2.0.0', { issuer: 'i', san: 's', extensions: { sourceRepositoryURI: 'a', buildConfigURI: 'b\0' } });
    expect(learnIdentityLock([x, y]).packages.a?.map((e) => e.sourceRepositoryURI)).toEqual(['a\0b', 'a']);
    expect(learnIdentityLock([y, x]).packages.a?.map((e) => e.sourceRepositoryURI)).toEqual(['a', 'a\0b']);
  });

  it('an identity without a source repository sorts before one with', () => {
    const withRepo = signedBy('a', '1.0.0', { issuer: 'i', san: 's', extensions: { sourceRepositoryURI: 'A' } });
    const without = signedBy('a', '2.0.0', { issuer: 'i', san: 's', extensions: {} });
    expect(learnIdentityLock([withRepo, without]).packages.a?.map((e) => e.sourceRepositoryURI)).toEqual([undefined, 'A']);
  });

  it('two versions from the same workflow at two tags are one identity; from two repositories, two, sorted', () => {
    const v1 = signedBy('a', '1.0.0', githubSigner('org/a', RELEASE, 'refs/tags/v1'));
    const v2 = signedBy('a', '2.0.0', githubSigner('org/a', RELEASE, 'refs/tags/v2'));
    expect(learnIdentityLock([v1, v2]).packages.a).toHaveLength(1);
    const moved = signedBy('a', '3.0.0', githubSigner('neworg/a'));
    const old = signedBy('a', '0.9.0', githubSigner('attic/a'));
    const lock = learnIdentityLock([moved, v1, old]);
    expect(lock.packages.a?.map((e) => e.sourceRepositoryURI)).toEqual(['https://github.com/attic/a', 'https://github.com/neworg/a', 'https://github.com/org/a']);
  });

  it('sorts identities field by field, the source repository first', () => {
    // Joined without a separator both keys would read the same; the repository decides.
    const ab = signedBy('a', '1.0.0', { issuer: 'c', san: 's', extensions: { sourceRepositoryURI: 'ab', buildConfigURI: 'c' } });
    const a = signedBy('a', '2.0.0', { issuer: 'c', san: 's', extensions: { sourceRepositoryURI: 'a', buildConfigURI: 'bc' } });
    expect(learnIdentityLock([ab, a]).packages.a?.map((e) => e.sourceRepositoryURI)).toEqual(['a', 'ab']);
    expect(learnIdentityLock([a, ab]).packages.a?.map((e) => e.sourceRepositoryURI)).toEqual(['a', 'ab']);
  });

  it('records names sorted, an alias under its installed name too', () => {
    const aliased = subject('real', '1.0.0', [provenance(githubSigner('org/real'))], { ref: ref('real', '1.0.0', { aliases: ['alias'] }) });
    const lock = learnIdentityLock([signedBy('zed', '1.0.0', githubSigner('org/zed')), aliased]);
    expect(Object.keys(lock.packages)).toEqual(['alias', 'real', 'zed']);
    expect(lock.packages.alias).toStrictEqual(lock.packages.real);
  });
});

describe('checking a package against the identity lock', () => {
  const locked = learnIdentityLock([signedBy('a', '1.0.0', githubSigner('org/a'))]);
  const entry = locked.packages.a?.[0];

  it('a package the lock does not name is not judged by it, even one named like an object property', () => {
    expect(check(signedBy('b', '1.0.0', githubSigner('attacker/b')), locked)).toEqual([]);
    expect(check(subject('constructor', '1.0.0', []), locked)).toEqual([]);
  });

  it('the same workflow at another ref passes', () => {
    expect(check(signedBy('a', '1.1.0', githubSigner('org/a', RELEASE, 'refs/tags/v1.1.0')), locked)).toEqual([]);
  });

  it('no verified provenance: IDENTITY_CHANGED without details', () => {
    expect(judged(subject('a', '1.1.0', [publishAttestation()]), locked)).toStrictEqual([{ code: 'IDENTITY_CHANGED', details: undefined }]);
  });

  it('another repository: IDENTITY_CHANGED naming the fields that moved, the lock, and the compared fields found', () => {
    const moved = githubSigner('attacker/a');
    expect(judged(signedBy('a', '1.1.0', moved), locked)).toStrictEqual([
      {
        code: 'IDENTITY_CHANGED',
        details: {
          changed: ['sourceRepositoryURI', 'buildConfigURI'],
          locked: [entry],
          got: { sourceRepositoryURI: 'https://github.com/attacker/a', buildConfigURI: moved.extensions.buildConfigURI, issuer: GITHUB_ISSUER },
        },
      },
    ]);
  });

  it('another workflow or another issuer is named alone', () => {
    expect(judged(signedBy('a', '1.1.0', githubSigner('org/a', '.github/workflows/other.yml')), locked)[0]?.details?.changed).toEqual(['buildConfigURI']);
    const gitlab = { ...githubSigner('org/a'), issuer: 'https://gitlab.com' };
    expect(judged(signedBy('a', '1.1.0', gitlab), locked)[0]?.details?.changed).toEqual(['issuer']);
  });

  it('a build configuration missing from the certificate is a change, not a crash', () => {
    const noConfig = githubSigner('org/a', RELEASE, 'refs/heads/main', { buildConfigURI: undefined });
    expect(judged(signedBy('a', '1.1.0', noConfig), locked)[0]?.details?.changed).toEqual(['buildConfigURI']);
  });

  it('every verified provenance must show a locked identity: one finding per one that does not', () => {
    const findings = judged(signedBy('a', '1.1.0', githubSigner('org/a'), githubSigner('attacker/a'), githubSigner('evil/a')), locked);
    expect(findings.map((f) => f.code)).toEqual(['IDENTITY_CHANGED', 'IDENTITY_CHANGED']);
  });

  it('the change is named against the closest of several locked identities', () => {
    const two = learnIdentityLock([signedBy('a', '1.0.0', githubSigner('far/a', '.github/workflows/far.yml')), signedBy('a', '2.0.0', githubSigner('org/a'))]);
    expect(two.packages.a?.map((e) => e.sourceRepositoryURI)).toEqual(['https://github.com/far/a', 'https://github.com/org/a']);
    expect(judged(signedBy('a', '3.0.0', githubSigner('org/a', '.github/workflows/other.yml')), two)[0]?.details?.changed).toEqual(['buildConfigURI']);
  });

  it('a lock entry naming only some fields pins only those', () => {
    const issuerOnly = lockOf({ a: [{ issuer: GITHUB_ISSUER }] });
    expect(check(signedBy('a', '1.1.0', githubSigner('anyone/a', '.github/workflows/any.yml')), issuerOnly)).toEqual([]);
    expect(judged(signedBy('a', '1.1.0', { ...githubSigner('org/a'), issuer: 'https://gitlab.com' }), issuerOnly)[0]?.details?.changed).toEqual(['issuer']);
  });

  it('a name a hand-built lock holds without identities is still locked: every field counts as changed', () => {
    const findings = judged(signedBy('a', '1.1.0', githubSigner('org/a')), lockOf({ a: undefined as unknown as [] }));
    expect(findings.map((f) => [f.code, f.details?.changed])).toEqual([['IDENTITY_CHANGED', ['sourceRepositoryURI', 'buildConfigURI', 'issuer', 'repositoryId', 'ownerId']]]);
  });

  it('an empty list of identities locks the name to nothing: every field counts as changed', () => {
    const findings = judged(signedBy('a', '1.1.0', githubSigner('org/a')), lockOf({ a: [] }));
    expect(findings.map((f) => [f.code, f.details?.changed])).toEqual([['IDENTITY_CHANGED', ['sourceRepositoryURI', 'buildConfigURI', 'issuer', 'repositoryId', 'ownerId']]]);
  });

  it('only the build configuration drops its @ref: a repository or issuer differing after an @ is a change', () => {
    const at = (repo: string, config: string, issuer = 'i') => signedBy('a', '1.0.0', { issuer, san: 's', extensions: { sourceRepositoryURI: repo, buildConfigURI: config } });
    const lock = learnIdentityLock([at('r@one', 'c@one', 'i@one')]);
    expect(judged(at('r@two', 'c@two', 'i@one'), lock)[0]?.details?.changed).toEqual(['sourceRepositoryURI']);
    expect(judged(at('r@one', 'c@two', 'i@two'), lock)[0]?.details?.changed).toEqual(['issuer']);
    // The ref is what follows the last @, and a configuration that is only a ref compares as empty.
    expect(check(at('r@one', 'c@one@x'), learnIdentityLock([at('r@one', 'c@one@y')]))).toEqual([]);
    expect(judged(at('r', 'c@two@x'), learnIdentityLock([at('r', 'c@one@x')]))[0]?.details?.changed).toEqual(['buildConfigURI']);
    expect(check(at('r', '@x'), learnIdentityLock([at('r', '@y')]))).toEqual([]);
    expect(judged(at('r', 'c@x'), learnIdentityLock([at('r', 'd@x')]))[0]?.details?.changed).toEqual(['buildConfigURI']);
    // Without an @ there is no ref: the whole configuration is compared.
    expect(judged(at('r', 'c1'), learnIdentityLock([at('r', 'c2')]))[0]?.details?.changed).toEqual(['buildConfigURI']);
  });

  it('an alias over a locked name is judged under that name and says so; under its own name, it is not', () => {
    const alias = signedBy('evil', '1.0.0', githubSigner('attacker/evil'));
    const aliased = { ...alias, ref: ref('evil', '1.0.0', { aliases: ['a'] }) };
    const findings = judged(aliased, locked);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.details).toStrictEqual({
      changed: ['sourceRepositoryURI', 'buildConfigURI'],
      locked: [entry],
      got: { sourceRepositoryURI: 'https://github.com/attacker/evil', buildConfigURI: githubSigner('attacker/evil').extensions.buildConfigURI, issuer: GITHUB_ISSUER },
      installedAs: 'a',
    });
    const bare = { ...subject('evil', '1.0.0', [publishAttestation()]), ref: ref('evil', '1.0.0', { aliases: ['a'] }) };
    expect(judged(bare, locked)).toStrictEqual([{ code: 'IDENTITY_CHANGED', details: { installedAs: 'a' } }]);
    // Locked under its own name: no installedAs.
    expect(judged(signedBy('a', '1.0.0', githubSigner('attacker/a')), locked)[0]?.details).not.toHaveProperty('installedAs');
  });
});

describe('the repository and owner ids (Fulcio extensions .15 and .17)', () => {
  const IDS = { sourceRepositoryIdentifier: '123456789', sourceRepositoryOwnerIdentifier: '987654321' };
  const withIds = (repositoryId: string, ownerId: string) => githubSigner('org/a', RELEASE, 'refs/heads/main', { sourceRepositoryIdentifier: repositoryId, sourceRepositoryOwnerIdentifier: ownerId });
  const original = withIds(IDS.sourceRepositoryIdentifier, IDS.sourceRepositoryOwnerIdentifier);
  const locked = learnIdentityLock([signedBy('a', '1.0.0', original)]);
  const withoutIds = githubSigner('org/a');

  it('learn records them with the identity', () => {
    expect(locked.packages.a).toMatchObject([{ sourceRepositoryURI: 'https://github.com/org/a', repositoryId: '123456789', ownerId: '987654321' }]);
  });

  it('the same ids pass', () => {
    expect(check(signedBy('a', '1.1.0', withIds('123456789', '987654321')), locked)).toEqual([]);
  });

  it('a repository recreated under the same name (another repository id): IDENTITY_CHANGED with both ids in its details', () => {
    const recreated = withIds('555', '987654321');
    expect(judged(signedBy('a', '1.1.0', recreated), locked)).toStrictEqual([
      {
        code: 'IDENTITY_CHANGED',
        details: { changed: ['repositoryId'], locked: locked.packages.a, got: { sourceRepositoryURI: 'https://github.com/org/a', buildConfigURI: recreated.san, issuer: GITHUB_ISSUER, repositoryId: '555', ownerId: '987654321' } },
      },
    ]);
  });

  it('an owner name registered again by someone else (another owner id): IDENTITY_CHANGED', () => {
    expect(judged(signedBy('a', '1.1.0', withIds('123456789', '1')), locked).map((f) => [f.code, f.details?.changed])).toEqual([['IDENTITY_CHANGED', ['ownerId']]]);
  });

  it('a certificate without ids against a lock with them: IDENTITY_CHANGED (the ids cannot be confirmed)', () => {
    expect(judged(signedBy('a', '1.1.0', withoutIds), locked).map((f) => [f.code, f.details?.changed])).toEqual([['IDENTITY_CHANGED', ['repositoryId', 'ownerId']]]);
  });

  it('a lock learned without ids (an older lock) still passes any ids, and learning again records them', () => {
    const old = learnIdentityLock([signedBy('a', '1.0.0', withoutIds)]);
    expect(old.packages.a?.[0]).not.toHaveProperty('repositoryId');
    expect(check(signedBy('a', '1.1.0', original), old)).toEqual([]);
    expect(learnIdentityLock([signedBy('a', '1.1.0', original)]).packages.a?.[0]).toMatchObject({ repositoryId: '123456789', ownerId: '987654321' });
  });

  it('one version signed before the ids existed beside one with them: both are learned, and today\'s tree passes', () => {
    const lock = learnIdentityLock([signedBy('a', '1.0.0', withoutIds), signedBy('a', '2.0.0', original)]);
    expect(lock.packages.a).toHaveLength(2);
    expect(learnIdentityLock([signedBy('a', '2.0.0', original), signedBy('a', '1.0.0', withoutIds)])).toStrictEqual(lock);
    expect(check(signedBy('a', '1.0.0', withoutIds), lock)).toEqual([]);
    expect(check(signedBy('a', '2.0.0', original), lock)).toEqual([]);
  });

  it('the entry without ids does not let a recreated repository through beside its sibling with ids', () => {
    const lock = learnIdentityLock([signedBy('a', '1.0.0', withoutIds), signedBy('a', '2.0.0', original)]);
    expect(judged(signedBy('a', '3.0.0', withIds('555', '987654321')), lock).map((f) => [f.code, f.details?.changed])).toEqual([['IDENTITY_CHANGED', ['repositoryId']]]);
    // Beside an entry of another repository with ids, it still vouches for its own.
    const other = learnIdentityLock([signedBy('a', '1.0.0', withoutIds), signedBy('a', '2.0.0', { ...githubSigner('org/b'), extensions: { ...githubSigner('org/b').extensions, ...IDS } })]);
    expect(check(signedBy('a', '3.0.0', withIds('555', '1')), other)).toEqual([]);
  });

  it('one id is enough to count: a certificate holding only a repository id is held to its sibling entry too', () => {
    const repositoryOnly = (repositoryId: string) => githubSigner('org/a', RELEASE, 'refs/heads/main', { sourceRepositoryIdentifier: repositoryId });
    const lock = learnIdentityLock([signedBy('a', '1.0.0', withoutIds), signedBy('a', '2.0.0', repositoryOnly('123456789'))]);
    expect(lock.packages.a).toHaveLength(2);
    expect(judged(signedBy('a', '3.0.0', repositoryOnly('555')), lock).map((f) => [f.code, f.details?.changed])).toEqual([['IDENTITY_CHANGED', ['repositoryId']]]);
    expect(check(signedBy('a', '3.0.0', repositoryOnly('123456789')), lock)).toEqual([]);
  });
});

// A rule's signer identities expanded to issuer + SAN matchers: every form but the raw sanRegex is
// escaped and anchored, so a SAN that merely contains the expected one does not match.

import { describe, expect, it } from 'vitest';
import { expandIdentity, GITHUB_ACTIONS_ISSUER, GITLAB_ISSUER, issuerOnly, signerMatches } from '../../src/policy/identity.js';

const GITHUB = 'https://token.actions.githubusercontent.com';

describe('expanding a signer identity', () => {
  it('the issuers are GitHub Actions and GitLab.com', () => {
    expect([GITHUB_ACTIONS_ISSUER, GITLAB_ISSUER]).toEqual([GITHUB, 'https://gitlab.com']);
  });

  it('a GitHub workflow: its SAN escaped and anchored, its ref a glob', () => {
    expect(expandIdentity({ github: { repo: 'org/a', workflow: '.github/workflows/release.yml', ref: 'refs/tags/v*' } })).toStrictEqual({
      form: 'github',
      issuer: GITHUB,
      sanPattern: '^https://github\\.com/org/a/\\.github/workflows/release\\.yml@refs/tags/v[^@]*$',
      expected: 'https://github.com/org/a/.github/workflows/release.yml@refs/tags/v*',
    });
  });

  it('a GitHub workflow with its repository and owner ids keeps them, each only when given', () => {
    const github = { repo: 'org/a', workflow: '.github/workflows/release.yml', ref: 'refs/heads/main' };
    const san = 'https://github.com/org/a/.github/workflows/release.yml@refs/heads/main';
    expect(expandIdentity({ github: { ...github, repositoryId: '12', ownerId: '34' } })).toMatchObject({ expected: san, repositoryId: '12', ownerId: '34' });
    expect(expandIdentity({ github: { ...github, ownerId: '34' } })).not.toHaveProperty('repositoryId');
    expect(expandIdentity({ github: { ...github, repositoryId: '12' } })).not.toHaveProperty('ownerId');
  });

  it('a GitLab project: two slashes before the configuration, .gitlab-ci.yml unless another is named', () => {
    expect(expandIdentity({ gitlab: { project: 'g/p', ref: 'refs/heads/main' } })).toStrictEqual({
      form: 'gitlab',
      issuer: 'https://gitlab.com',
      sanPattern: '^https://gitlab\\.com/g/p//\\.gitlab-ci\\.yml@refs/heads/main$',
      expected: 'https://gitlab.com/g/p//.gitlab-ci.yml@refs/heads/main',
    });
    expect(expandIdentity({ gitlab: { project: 'g/p', ref: 'refs/tags/*', configPath: 'ci/release.yml' } })).toStrictEqual({
      form: 'gitlab',
      issuer: 'https://gitlab.com',
      sanPattern: '^https://gitlab\\.com/g/p//ci/release\\.yml@refs/tags/[^@]*$',
      expected: 'https://gitlab.com/g/p//ci/release.yml@refs/tags/*',
    });
  });

  it('a literal SAN: escaped and anchored, under its own issuer', () => {
    expect(expandIdentity({ san: 'mailto:a+b@example.com', oidcIssuer: 'https://accounts.example.com' })).toStrictEqual({
      form: 'san',
      issuer: 'https://accounts.example.com',
      sanPattern: '^mailto:a\\+b@example\\.com$',
      expected: 'mailto:a+b@example.com',
    });
  });

  it('a SAN regular expression is taken as written', () => {
    expect(expandIdentity({ sanRegex: '^https://github\\.com/org/.*$', oidcIssuer: GITHUB })).toStrictEqual({
      form: 'sanRegex',
      issuer: GITHUB,
      sanPattern: '^https://github\\.com/org/.*$',
      expected: '/^https://github\\.com/org/.*$/',
    });
  });

  it('an identity with both san and sanRegex is read as the regular expression', () => {
    // The schema allows only one; read as the raw pattern, never as a looser literal.
    const both = { san: 'x', sanRegex: '^y$', oidcIssuer: GITHUB } as unknown as Parameters<typeof expandIdentity>[0];
    expect(expandIdentity(both)).toMatchObject({ form: 'sanRegex', sanPattern: '^y$' });
  });

  it('the identities format: any SAN under one issuer', () => {
    expect(issuerOnly(GITHUB)).toStrictEqual({ form: 'issuer', issuer: GITHUB, sanPattern: null, expected: `any identity of ${GITHUB}` });
  });
});

describe('matching a certificate against a signer', () => {
  const release = expandIdentity({ github: { repo: 'org/a', workflow: '.github/workflows/release.yml', ref: 'refs/heads/main' } });
  const san = 'https://github.com/org/a/.github/workflows/release.yml@refs/heads/main';

  it('the issuer exactly and the whole SAN', () => {
    expect(signerMatches(release, GITHUB, san)).toBe(true);
    expect(signerMatches(release, 'https://gitlab.com', san)).toBe(false);
    expect(signerMatches(release, undefined, san)).toBe(false);
    expect(signerMatches(release, GITHUB, `${san}x`)).toBe(false);
    expect(signerMatches(release, GITHUB, `x${san}`)).toBe(false);
    expect(signerMatches(release, GITHUB, undefined)).toBe(false);
  });

  it('an issuer-only signer takes any SAN, even none, but only under its issuer', () => {
    expect(signerMatches(issuerOnly(GITHUB), GITHUB, undefined)).toBe(true);
    expect(signerMatches(issuerOnly(GITHUB), GITHUB, 'anything')).toBe(true);
    expect(signerMatches(issuerOnly(GITHUB), 'https://gitlab.com', 'anything')).toBe(false);
  });

  it('a SAN pattern matching the empty string still needs a SAN', () => {
    expect(signerMatches(expandIdentity({ sanRegex: '.*', oidcIssuer: GITHUB }), GITHUB, undefined)).toBe(false);
    expect(signerMatches(expandIdentity({ sanRegex: '.*', oidcIssuer: GITHUB }), GITHUB, '')).toBe(true);
  });
});

// normalizeRules / normalizeIdentities (through the real loader) and normalizeLogUrl: the whole
// NormalizedPolicy that evaluation reads, compared exactly.

import { describe, expect, it } from 'vitest';
import { expandIdentity, issuerOnly } from '../../src/policy/identity.js';
import { normalizeLogUrl } from '../../src/policy/normalize.js';
import { builderPattern, packageGlobPattern } from '../../src/policy/patterns.js';
import { REKOR_URL } from '../support/public-urls.js';
import { GITHUB_ISSUER, policyOf } from './_helpers.js';

const matcher = (glob: string) => ({ glob, pattern: packageGlobPattern(glob) });
const DEFAULT_SOURCES = { git: 'warn', file: 'warn', remote: 'warn', directory: 'allow', link: 'allow', workspace: 'allow' };
const NOTHING_REQUIRED = { registrySignature: false, provenance: false, publishAttestation: false };
const CATCH_ALL = { name: 'all', match: { package: '*' } };
const normalizedCatchAll = (enforcement: string) => ({
  name: 'all',
  match: { packages: [matcher('*')], version: null, registry: null },
  require: NOTHING_REQUIRED,
  signers: null,
  sourceRepository: null,
  builder: null,
  runnerEnvironments: null,
  buildTriggers: null,
  minReleaseAgeDays: null,
  installScriptSigners: null,
  enforcement,
});

describe('normalizeRules', () => {
  it('fills in every default', () => {
    expect(policyOf({ version: 1, enforcement: 'strict', rules: [CATCH_ALL] })).toEqual({
      format: 'rules',
      enforcement: 'strict',
      downgrade: 'fail',
      downgradeIgnoreAfterMinutes: null,
      weakIntegrity: 'warn',
      installScripts: 'warn',
      transparencyLogs: null,
      registriesAllowed: null,
      registriesUnsigned: [],
      sources: DEFAULT_SOURCES,
      identityLock: null,
      minReleaseAgeDays: null,
      minReleaseAgeExclude: [],
      rules: [normalizedCatchAll('strict')],
      exceptions: [],
    });
  });

  it('keeps every field given, normalised', () => {
    const signer = { github: { repo: 'org/repo', workflow: '.github/workflows/release.yml', ref: 'refs/heads/main' } };
    const builder = 'https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main';
    const doc = {
      version: 1,
      enforcement: 'strict',
      downgrade: 'warn',
      downgradeIgnoreAfterMinutes: 10080,
      weakIntegrity: 'deny',
      installScripts: 'fail',
      transparencyLogs: ['https://Rekor.Example.com/', 'https://log.example.com:8443/v1/'],
      registries: { allowed: ['Registry.NPMJS.org:443'], unsigned: ['NPM.Internal.example:443'] },
      sources: { git: 'deny', link: 'warn' },
      identityLock: 'verify-deps.identities.json',
      minReleaseAgeDays: 2,
      minReleaseAgeExclude: ['@scope/*', 'internal'],
      rules: [
        {
          name: 'pinned',
          match: { package: ['a', '@scope/*'], version: '^1.0.0', registry: 'Registry.NPMJS.org:443' },
          require: { registrySignature: true, publishAttestation: true },
          signer: [signer],
          sourceRepository: 'https://GitHub.com/Org/Repo.git/',
          builder,
          runnerEnvironment: 'github-hosted',
          buildTrigger: ['push', 'release'],
          minReleaseAgeDays: 7.5,
          installScripts: { signer: [signer] },
          enforcement: 'audit',
        },
        { name: 'from package.json', match: { package: 'b' }, require: { provenance: true }, sourceRepository: 'package-json', runnerEnvironment: ['github-hosted', 'gitlab-hosted'] },
        CATCH_ALL,
      ],
      exceptions: [
        { package: '@scope/old@1.2.3 || ^2', waive: ['PROVENANCE_MISSING', 'SIGNATURE_MISSING'], reason: 'why', approvedBy: 'me', expires: '2027-01-01' },
        { package: 'plain@*', waive: ['PROVENANCE_MISSING'], reason: 'why', approvedBy: 'me', expires: '2027-01-01T12:00:00+02:00' },
      ],
    };
    expect(policyOf(doc)).toEqual({
      format: 'rules',
      enforcement: 'strict',
      downgrade: 'warn',
      downgradeIgnoreAfterMinutes: 10080,
      weakIntegrity: 'deny',
      installScripts: 'fail',
      transparencyLogs: ['https://rekor.example.com', 'https://log.example.com:8443/v1'],
      registriesAllowed: ['registry.npmjs.org'],
      registriesUnsigned: ['npm.internal.example'],
      sources: { ...DEFAULT_SOURCES, git: 'deny', link: 'warn' },
      identityLock: 'verify-deps.identities.json',
      minReleaseAgeDays: 2,
      minReleaseAgeExclude: [matcher('@scope/*'), matcher('internal')],
      rules: [
        {
          name: 'pinned',
          match: { packages: [matcher('a'), matcher('@scope/*')], version: '^1.0.0', registry: 'registry.npmjs.org' },
          // A pinned signer requires provenance though `require` does not say so.
          require: { registrySignature: true, provenance: true, publishAttestation: true },
          signers: [expandIdentity(signer)],
          sourceRepository: { kind: 'uri', uri: 'https://github.com/org/repo' },
          builder: { uri: builder, pattern: builderPattern(builder) },
          runnerEnvironments: ['github-hosted'],
          buildTriggers: ['push', 'release'],
          minReleaseAgeDays: 7.5,
          installScriptSigners: [expandIdentity(signer)],
          enforcement: 'audit',
        },
        {
          ...normalizedCatchAll('strict'),
          name: 'from package.json',
          match: { packages: [matcher('b')], version: null, registry: null },
          require: { ...NOTHING_REQUIRED, provenance: true },
          sourceRepository: { kind: 'package-json' },
          runnerEnvironments: ['github-hosted', 'gitlab-hosted'],
        },
        normalizedCatchAll('strict'),
      ],
      exceptions: [
        {
          package: '@scope/old@1.2.3 || ^2',
          name: '@scope/old',
          range: '1.2.3 || ^2',
          waive: ['PROVENANCE_MISSING', 'SIGNATURE_MISSING'],
          reason: 'why',
          approvedBy: 'me',
          expires: '2027-01-01',
          expiresAt: '2027-01-01T00:00:00.000Z',
        },
        { package: 'plain@*', name: 'plain', range: '*', waive: ['PROVENANCE_MISSING'], reason: 'why', approvedBy: 'me', expires: '2027-01-01T12:00:00+02:00', expiresAt: '2027-01-01T10:00:00.000Z' },
      ],
    });
  });

  it('each signer constraint alone requires provenance', () => {
    for (const constraint of [
      { sourceRepository: 'package-json' },
      { builder: 'https://github.com/org/repo/.github/workflows/release.yml' },
      { runnerEnvironment: 'github-hosted' },
      { buildTrigger: ['push'] },
    ]) {
      const [rule] = policyOf({ version: 1, enforcement: 'strict', rules: [{ name: 'r', match: { package: '*' }, ...constraint }] }).rules;
      expect(rule?.require).toEqual({ ...NOTHING_REQUIRED, provenance: true });
    }
  });

  it('a policy-wide audit wins over a strict rule; under a strict policy a rule may be audit or inherit strict', () => {
    const rules = [{ ...CATCH_ALL, name: 'strict', enforcement: 'strict' }, { ...CATCH_ALL, name: 'audit', enforcement: 'audit' }, CATCH_ALL];
    expect(policyOf({ version: 1, enforcement: 'audit', rules }).rules.map((r) => r.enforcement)).toEqual(['audit', 'audit', 'audit']);
    expect(policyOf({ version: 1, enforcement: 'strict', rules }).rules.map((r) => r.enforcement)).toEqual(['strict', 'audit', 'strict']);
  });

});

describe('normalizeIdentities', () => {
  const GITLAB_ISSUER = 'https://gitlab.com';
  const identity = (subject: string, issuer = GITHUB_ISSUER) => ({ subject, issuer });
  const rule = (subject: string, host: string, glob: string, issuers: string[], enforcement = 'strict') => ({
    name: subject,
    match: { packages: [matcher(glob)], version: null, registry: host },
    require: { ...NOTHING_REQUIRED, provenance: true },
    signers: issuers.map(issuerOnly),
    sourceRepository: null,
    builder: null,
    runnerEnvironments: null,
    buildTriggers: null,
    minReleaseAgeDays: null,
    installScriptSigners: null,
    enforcement,
  });

  it('one rule per subject, its issuers deduplicated alternatives; the subjects\' hosts allowed once each; the log pinned', () => {
    const doc = {
      policy: {
        identities: [
          identity('npm:Registry.NPMJS.org/@scope/*'),
          identity('npm:npm.corp.example:8443/*'),
          identity('npm:Registry.NPMJS.org/@scope/*', GITLAB_ISSUER),
          identity('npm:Registry.NPMJS.org/@scope/*'),
          identity('npm:registry.npmjs.org/other'),
        ],
        transparency: { log: 'https://Rekor.Example.com/' },
        enforcement: 'audit',
        registries: { unsigned: ['NPM.Internal.example'] },
      },
    };
    expect(policyOf(doc)).toEqual({
      format: 'identities',
      enforcement: 'audit',
      downgrade: 'fail',
      downgradeIgnoreAfterMinutes: null,
      weakIntegrity: 'warn',
      installScripts: 'warn',
      transparencyLogs: ['https://rekor.example.com'],
      registriesAllowed: ['registry.npmjs.org', 'npm.corp.example:8443'],
      registriesUnsigned: ['npm.internal.example'],
      sources: DEFAULT_SOURCES,
      identityLock: null,
      minReleaseAgeDays: null,
      minReleaseAgeExclude: [],
      rules: [
        rule('npm:Registry.NPMJS.org/@scope/*', 'registry.npmjs.org', '@scope/*', [GITHUB_ISSUER, GITLAB_ISSUER], 'audit'),
        rule('npm:npm.corp.example:8443/*', 'npm.corp.example:8443', '*', [GITHUB_ISSUER], 'audit'),
        rule('npm:registry.npmjs.org/other', 'registry.npmjs.org', 'other', [GITHUB_ISSUER], 'audit'),
      ],
      exceptions: [],
    });
  });

  it('without transparency or registries: no log pinned, no unsigned registry', () => {
    expect(policyOf({ policy: { identities: [identity('npm:registry.npmjs.org/*')], enforcement: 'strict' } })).toMatchObject({
      transparencyLogs: null,
      registriesUnsigned: [],
      rules: [rule('npm:registry.npmjs.org/*', 'registry.npmjs.org', '*', [GITHUB_ISSUER])],
    });
  });
});

describe('normalizeLogUrl', () => {
  it.each([
    [REKOR_URL, REKOR_URL],
    [`${REKOR_URL.replace('rekor.sigstore', 'Rekor.Sigstore')}///`, REKOR_URL],
    [`${REKOR_URL}:443/api/v1/`, `${REKOR_URL}/api/v1`],
    ['https://rekor.example.com:8443', 'https://rekor.example.com:8443'],
    // The port is the default of the URL's own scheme, not of https.
    ['http://rekor.example.com:80/', 'http://rekor.example.com'],
    ['http://rekor.example.com:443/', 'http://rekor.example.com:443'],
    // Not a URL: compared as written, without trailing slashes.
    ['not a url//', 'not a url'],
    ['not/a/url/', 'not/a/url'],
  ])('%s → %s', (url, expected) => {
    expect(normalizeLogUrl(url)).toBe(expected);
  });
});

// evaluatePolicy, the provenance signer: pinned identities, anchoring, source repository,
// builder, runner environment, build trigger.

import { describe, expect, it } from 'vitest';
import { evaluatePolicy } from '../../src/policy/index.js';
import { codes, GITHUB_ISSUER, githubSigner, NOW, oneRule, provenance, REKOR, subject, type Signer } from './_helpers.js';

const RELEASE = { github: { repo: 'sigstore/sigstore-js', workflow: '.github/workflows/release.yml', ref: 'refs/heads/main' } };
const EXPECTED_SAN = 'https://github.com/sigstore/sigstore-js/.github/workflows/release.yml@refs/heads/main';

function judge(rule: Record<string, unknown>, signer: Signer | null, over: Parameters<typeof subject>[3] = {}) {
  const policy = oneRule(rule);
  const attestations = signer === null ? [] : [provenance(signer)];
  return evaluatePolicy({ subjects: [subject('sigstore', '3.0.0', attestations, over)], trustedLogs: [REKOR] }, policy, NOW);
}

function withSan(san: string, issuer = 'https://token.actions.githubusercontent.com'): Signer {
  const signer = githubSigner('sigstore/sigstore-js');
  return { ...signer, san, issuer, extensions: { ...signer.extensions, issuer } };
}

describe('a pinned GitHub identity', () => {
  it('accepts the pinned workflow', () => {
    const decision = judge({ signer: [RELEASE] }, githubSigner('sigstore/sigstore-js'));
    expect(codes(decision)).toEqual([]);
    expect(decision.verdict).toBe('pass');
  });

  it.each([
    ['another repository', githubSigner('sigstore/sigstore-python')],
    ['another workflow', githubSigner('sigstore/sigstore-js', '.github/workflows/ci.yml')],
    ['another ref', githubSigner('sigstore/sigstore-js', '.github/workflows/release.yml', 'refs/heads/feature')],
    ['another issuer with the same SAN', withSan(EXPECTED_SAN, 'https://token.actions.example.com')],
  ])('rejects %s with UNTRUSTED_SIGNER', (_, signer) => {
    const decision = judge({ signer: [RELEASE] }, signer);
    expect(codes(decision)).toEqual(['UNTRUSTED_SIGNER']);
    expect(decision.verdict).toBe('fail');
  });

  it('says what it expected and what it got, on one line', () => {
    const decision = judge({ signer: [RELEASE] }, githubSigner('sigstore/sigstore-js', '.github/workflows/release.yml', 'refs/heads/dev'));
    const finding = decision.packages[0]?.findings[0];
    expect(finding?.message).toBe(`sigstore@3.0.0 rejected: UNTRUSTED_SIGNER — expected ${EXPECTED_SAN}, got https://github.com/sigstore/sigstore-js/.github/workflows/release.yml@refs/heads/dev`);
    expect(finding).toMatchObject({ package: 'sigstore@3.0.0', rule: 'r', enforcement: 'strict' });
  });

  it('accepts any listed identity', () => {
    const other = { github: { repo: 'sigstore/sigstore-js', workflow: '.github/workflows/publish.yml', ref: 'refs/heads/main' } };
    expect(codes(judge({ signer: [other, RELEASE] }, githubSigner('sigstore/sigstore-js')))).toEqual([]);
  });

  it('matches a ref glob within the ref only', () => {
    const tags = { github: { ...RELEASE.github, ref: 'refs/tags/v*' } };
    expect(codes(judge({ signer: [tags] }, githubSigner('sigstore/sigstore-js', '.github/workflows/release.yml', 'refs/tags/v3.0.0')))).toEqual([]);
    expect(codes(judge({ signer: [tags] }, githubSigner('sigstore/sigstore-js', '.github/workflows/release.yml', 'refs/heads/v3')))).toEqual(['UNTRUSTED_SIGNER']);
  });
});

describe('a pinned GitHub identity with its repository and owner ids (Fulcio extensions .15 and .17)', () => {
  const PINNED = { github: { ...RELEASE.github, repositoryId: '495574555', ownerId: '71096353' } };
  const withIds = (repositoryId?: string, ownerId?: string) => githubSigner('sigstore/sigstore-js', '.github/workflows/release.yml', 'refs/heads/main', { sourceRepositoryIdentifier: repositoryId, sourceRepositoryOwnerIdentifier: ownerId });
  const findingOf = (decision: ReturnType<typeof judge>) => decision.packages[0]?.findings[0];

  it('accepts a certificate with the same ids', () => {
    expect(codes(judge({ signer: [PINNED] }, withIds('495574555', '71096353')))).toEqual([]);
  });

  it('a repository recreated under the same name (another repository id): UNTRUSTED_SIGNER naming both ids', () => {
    const decision = judge({ signer: [PINNED] }, withIds('1', '71096353'));
    expect(codes(decision)).toEqual(['UNTRUSTED_SIGNER']);
    expect(findingOf(decision)?.details).toStrictEqual({
      expected: [{ issuer: GITHUB_ISSUER, san: EXPECTED_SAN, repositoryId: '495574555', ownerId: '71096353' }],
      got: { issuer: GITHUB_ISSUER, san: EXPECTED_SAN, repositoryId: '1', ownerId: '71096353' },
    });
  });

  it('an owner name registered again by someone else (another owner id): UNTRUSTED_SIGNER', () => {
    expect(codes(judge({ signer: [PINNED] }, withIds('495574555', '2')))).toEqual(['UNTRUSTED_SIGNER']);
    expect(codes(judge({ signer: [{ github: { ...RELEASE.github, ownerId: '71096353' } }] }, withIds('9', '2')))).toEqual(['UNTRUSTED_SIGNER']);
    expect(codes(judge({ signer: [{ github: { ...RELEASE.github, ownerId: '71096353' } }] }, withIds('9', '71096353')))).toEqual([]);
  });

  it('a certificate without the ids cannot show them: UNTRUSTED_SIGNER', () => {
    const decision = judge({ signer: [PINNED] }, withIds(undefined, undefined));
    expect(codes(decision)).toEqual(['UNTRUSTED_SIGNER']);
    expect(findingOf(decision)?.details?.got).toStrictEqual({ issuer: GITHUB_ISSUER, san: EXPECTED_SAN, repositoryId: null, ownerId: null });
  });

  it('a policy without ids ignores the certificate\'s, and its findings do not name them', () => {
    expect(codes(judge({ signer: [RELEASE] }, withIds('1', '2')))).toEqual([]);
    const other = judge({ signer: [RELEASE] }, githubSigner('sigstore/sigstore-python', '.github/workflows/release.yml', 'refs/heads/main', { sourceRepositoryIdentifier: '1' }));
    expect(findingOf(other)?.details?.got).toStrictEqual({ issuer: GITHUB_ISSUER, san: 'https://github.com/sigstore/sigstore-python/.github/workflows/release.yml@refs/heads/main' });
  });

  it('another listed identity without ids may still match', () => {
    const publish = { github: { ...RELEASE.github, workflow: '.github/workflows/publish.yml' } };
    expect(codes(judge({ signer: [PINNED, publish] }, withIds('1', '2')))).toEqual(['UNTRUSTED_SIGNER']);
    const signedByPublish = githubSigner('sigstore/sigstore-js', '.github/workflows/publish.yml', 'refs/heads/main', { sourceRepositoryIdentifier: '1' });
    expect(codes(judge({ signer: [PINNED, publish] }, signedByPublish))).toEqual([]);
  });

  it('the finding lists each identity with the ids it pins, no others, and the certificate\'s ids when any identity pins one', () => {
    const repositoryOnly = { github: { ...RELEASE.github, repositoryId: '495574555' } };
    const publish = { github: { ...RELEASE.github, workflow: '.github/workflows/publish.yml' } };
    const both = judge({ signer: [repositoryOnly, publish] }, withIds('1', '2'));
    expect(findingOf(both)?.details).toStrictEqual({
      expected: [
        { issuer: GITHUB_ISSUER, san: EXPECTED_SAN, repositoryId: '495574555' },
        { issuer: GITHUB_ISSUER, san: 'https://github.com/sigstore/sigstore-js/.github/workflows/publish.yml@refs/heads/main' },
      ],
      got: { issuer: GITHUB_ISSUER, san: EXPECTED_SAN, repositoryId: '1', ownerId: '2' },
    });
    const ownerOnly = judge({ signer: [{ github: { ...RELEASE.github, ownerId: '71096353' } }] }, withIds('9', '2'));
    expect(findingOf(ownerOnly)?.details).toStrictEqual({
      expected: [{ issuer: GITHUB_ISSUER, san: EXPECTED_SAN, ownerId: '71096353' }],
      got: { issuer: GITHUB_ISSUER, san: EXPECTED_SAN, repositoryId: '9', ownerId: '2' },
    });
  });
});

describe('a pinned GitLab identity', () => {
  const gitlabSigner = (project: string, gitRef = 'refs/heads/main') => withSan(`https://gitlab.com/${project}//.gitlab-ci.yml@${gitRef}`, 'https://gitlab.com');
  const pipeline = { gitlab: { project: 'group/project', ref: 'refs/heads/main' } };

  it('accepts the pipeline of the project on the ref, and nothing else', () => {
    expect(codes(judge({ signer: [pipeline] }, gitlabSigner('group/project')))).toEqual([]);
    expect(codes(judge({ signer: [pipeline] }, gitlabSigner('group/project-evil')))).toEqual(['UNTRUSTED_SIGNER']);
    expect(codes(judge({ signer: [pipeline] }, gitlabSigner('group/project', 'refs/heads/dev')))).toEqual(['UNTRUSTED_SIGNER']);
  });
});

describe('a SAN that merely contains the expected one', () => {
  const containing = [`${EXPECTED_SAN}-evil`, `https://github.com/attacker/x/.github/workflows/a.yml@${EXPECTED_SAN}`, `${EXPECTED_SAN}/../../evil`];

  it.each(containing)('is rejected by the github form: %s', (san) => {
    expect(codes(judge({ signer: [RELEASE] }, withSan(san)))).toEqual(['UNTRUSTED_SIGNER']);
  });

  it.each(containing)('is rejected by the san form: %s', (san) => {
    expect(codes(judge({ signer: [{ oidcIssuer: 'https://token.actions.githubusercontent.com', san: EXPECTED_SAN }] }, withSan(san)))).toEqual(['UNTRUSTED_SIGNER']);
  });

  it('a prefix of the repository name is not the repository (org/repo vs org/repo-evil)', () => {
    const evil = githubSigner('sigstore/sigstore-js-evil');
    expect(codes(judge({ signer: [RELEASE] }, evil))).toEqual(['UNTRUSTED_SIGNER']);
  });

  it('is accepted by an unanchored sanRegex, as documented (the loader warns about exactly this)', () => {
    const unanchored = { oidcIssuer: 'https://token.actions.githubusercontent.com', sanRegex: 'https://github\\.com/sigstore/sigstore-js' };
    expect(codes(judge({ signer: [unanchored] }, withSan('https://github.com/sigstore/sigstore-js/.github/workflows/release.yml@refs/heads/main')))).toEqual([]);
    expect(codes(judge({ signer: [unanchored] }, githubSigner('sigstore/sigstore-js-evil')))).toEqual([]);
    const anchored = { ...unanchored, sanRegex: '^https://github\\.com/sigstore/sigstore-js/.*$' };
    expect(codes(judge({ signer: [anchored] }, githubSigner('sigstore/sigstore-js-evil')))).toEqual(['UNTRUSTED_SIGNER']);
  });
});

describe('signer constraints require verified provenance', () => {
  it('no provenance at all: PROVENANCE_MISSING', () => {
    expect(codes(judge({ signer: [RELEASE] }, null))).toEqual(['PROVENANCE_MISSING']);
  });

  it('provenance that failed verification: its claims are not read, PROVENANCE_MISSING (and the verification finding)', () => {
    const policy = oneRule({ signer: [RELEASE] });
    const failed = provenance(githubSigner('attacker/repo'), { status: 'failed', findings: [{ code: 'CERT_CHAIN_INVALID', message: 'bad chain' }] });
    const s = subject('sigstore', '3.0.0', [failed], { verificationFindings: [{ code: 'CERT_CHAIN_INVALID', message: 'bad chain' }] });
    expect(codes(evaluatePolicy({ subjects: [s], trustedLogs: [REKOR] }, policy, NOW)).sort()).toEqual(['CERT_CHAIN_INVALID', 'PROVENANCE_MISSING']);
  });
});

describe('sourceRepository', () => {
  const signer = githubSigner('sigstore/sigstore-js');

  it.each([
    'git+https://github.com/sigstore/sigstore-js.git',
    'github:sigstore/sigstore-js',
    'sigstore/sigstore-js',
    'git+ssh://git@github.com/sigstore/sigstore-js.git',
    'git@github.com:sigstore/sigstore-js.git',
    'https://GitHub.com/Sigstore/Sigstore-JS/',
    'git://github.com/sigstore/sigstore-js.git#main',
  ])('package-json matches the declared %s', (declaredRepository) => {
    expect(codes(judge({ sourceRepository: 'package-json' }, signer, { declaredRepository }))).toEqual([]);
  });

  it.each([
    ['another repository', 'git+https://github.com/sigstore/sigstore-js-evil.git'],
    ['another host', 'git+https://gitlab.com/sigstore/sigstore-js.git'],
    ['nothing usable', 'not a url at all'],
    ['no repository', undefined],
  ])('package-json rejects %s with SOURCE_REPOSITORY_MISMATCH', (_, declaredRepository) => {
    expect(codes(judge({ sourceRepository: 'package-json' }, signer, declaredRepository === undefined ? {} : { declaredRepository }))).toEqual(['SOURCE_REPOSITORY_MISMATCH']);
  });

  it('a certificate without a source repository never matches, not even a package.json without one', () => {
    const bare = githubSigner('sigstore/sigstore-js');
    const { sourceRepositoryURI: _dropped, ...extensions } = bare.extensions;
    expect(codes(judge({ sourceRepository: 'package-json' }, { ...bare, extensions }))).toEqual(['SOURCE_REPOSITORY_MISMATCH']);
    expect(codes(judge({ sourceRepository: 'package-json' }, { ...bare, extensions }, { declaredRepository: 'github:sigstore/sigstore-js' }))).toEqual(['SOURCE_REPOSITORY_MISMATCH']);
  });

  it('a URI is compared after normalisation', () => {
    expect(codes(judge({ sourceRepository: 'https://github.com/sigstore/sigstore-js.git' }, signer))).toEqual([]);
    expect(codes(judge({ sourceRepository: 'https://github.com/sigstore/other' }, signer))).toEqual(['SOURCE_REPOSITORY_MISMATCH']);
  });
});

describe('builder, runner environment, build trigger', () => {
  const tagged = githubSigner('sigstore/sigstore-js', '.github/workflows/release.yml', 'refs/tags/v3.0.0', { buildTrigger: 'release' });
  const builder = 'https://github.com/sigstore/sigstore-js/.github/workflows/release.yml';

  it('builder: exact, any ref without @, a ref glob after @', () => {
    expect(codes(judge({ builder: `${builder}@refs/tags/v3.0.0` }, tagged))).toEqual([]);
    expect(codes(judge({ builder }, tagged))).toEqual([]);
    expect(codes(judge({ builder: `${builder}@refs/tags/v*` }, tagged))).toEqual([]);
    expect(codes(judge({ builder: `${builder}@refs/heads/main` }, tagged))).toEqual(['BUILDER_MISMATCH']);
    expect(codes(judge({ builder: 'https://github.com/sigstore/sigstore-js/.github/workflows/release' }, tagged))).toEqual(['BUILDER_MISMATCH']);
  });

  it('runnerEnvironment: a self-hosted runner is not github-hosted', () => {
    expect(codes(judge({ runnerEnvironment: 'github-hosted' }, tagged))).toEqual([]);
    const selfHosted = githubSigner('sigstore/sigstore-js', '.github/workflows/release.yml', 'refs/heads/main', { runnerEnvironment: 'self-hosted' });
    expect(codes(judge({ runnerEnvironment: ['github-hosted', 'gitlab-hosted'] }, selfHosted))).toEqual(['RUNNER_ENVIRONMENT_MISMATCH']);
  });

  it('buildTrigger: one of the listed events', () => {
    expect(codes(judge({ buildTrigger: ['release', 'workflow_dispatch'] }, tagged))).toEqual([]);
    expect(codes(judge({ buildTrigger: ['push'] }, tagged))).toEqual(['BUILD_TRIGGER_MISMATCH']);
  });
});

describe('what a signer finding records (details): what the rule expected, what the certificate held', () => {
  const details = (rule: Record<string, unknown>, signer: Signer, over: Parameters<typeof subject>[3] = {}) => judge(rule, signer, over).packages[0]?.findings.map((f) => [f.code, f.details]);
  const signer = githubSigner('sigstore/sigstore-js', '.github/workflows/ci.yml', 'refs/heads/main', { runnerEnvironment: 'self-hosted', buildTrigger: 'push' });
  const bare: Signer = { issuer: 'https://token.actions.githubusercontent.com', san: signer.san, extensions: {} };

  it('each finding names the expected values and the certificate\'s', () => {
    const rule = { signer: [RELEASE], sourceRepository: 'https://github.com/sigstore/other', builder: 'https://github.com/sigstore/sigstore-js/.github/workflows/release.yml', runnerEnvironment: 'github-hosted', buildTrigger: ['release'] };
    expect(details(rule, signer)).toEqual([
      ['UNTRUSTED_SIGNER', { expected: [{ issuer: GITHUB_ISSUER, san: EXPECTED_SAN }], got: { issuer: GITHUB_ISSUER, san: signer.san } }],
      ['SOURCE_REPOSITORY_MISMATCH', { expected: 'https://github.com/sigstore/other', got: 'https://github.com/sigstore/sigstore-js' }],
      ['BUILDER_MISMATCH', { expected: 'https://github.com/sigstore/sigstore-js/.github/workflows/release.yml', got: signer.san }],
      ['RUNNER_ENVIRONMENT_MISMATCH', { expected: ['github-hosted'], got: 'self-hosted' }],
      ['BUILD_TRIGGER_MISMATCH', { expected: ['release'], got: 'push' }],
    ]);
  });

  it('a value the certificate does not hold is null, and fails every constraint on it', () => {
    const rule = { sourceRepository: 'https://github.com/sigstore/sigstore-js', builder: 'https://github.com/sigstore/sigstore-js/.github/workflows/release.yml', runnerEnvironment: 'github-hosted', buildTrigger: ['push'] };
    expect(details(rule, bare)).toEqual([
      ['SOURCE_REPOSITORY_MISMATCH', { expected: 'https://github.com/sigstore/sigstore-js', got: null }],
      ['BUILDER_MISMATCH', { expected: 'https://github.com/sigstore/sigstore-js/.github/workflows/release.yml', got: null }],
      ['RUNNER_ENVIRONMENT_MISMATCH', { expected: ['github-hosted'], got: null }],
      ['BUILD_TRIGGER_MISMATCH', { expected: ['push'], got: null }],
    ]);
    const unnamed = { ...signer, san: undefined, issuer: undefined } as unknown as Signer;
    expect(details({ signer: [RELEASE] }, unnamed)).toEqual([['UNTRUSTED_SIGNER', { expected: [{ issuer: GITHUB_ISSUER, san: EXPECTED_SAN }], got: { issuer: null, san: null } }]]);
  });

  it('package-json: the declared repository is what was expected', () => {
    expect(details({ sourceRepository: 'package-json' }, signer, { declaredRepository: 'github:sigstore/other' })).toEqual([
      ['SOURCE_REPOSITORY_MISMATCH', { expected: 'https://github.com/sigstore/other (package.json)', got: 'https://github.com/sigstore/sigstore-js' }],
    ]);
  });
});

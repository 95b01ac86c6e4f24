import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, githubActionsIdentity, startFixtureRegistry, syntheticScenario, type FixtureRegistry, type RegistryScenario } from '../support/index.js';
import { createWorkspace, pinned, type Workspace, writeTrustFiles } from '../support/attack-kit.js';
import { attestedBy, rulesPolicy, policyRun, type PolicyRun } from '../support/policy-kit.js';

// `sourceRepository: "package-json"`, end to end: the fixture registry serves each
// version manifest with the `repository` its package.json declares, and provenance signed by the
// test PKI whose certificate names a Source Repository URI; the REAL CLI compares the two.
const GIT_URL = { type: 'git', url: 'git+https://github.com/org/repo.git' };

// Package → [package.json `repository` (undefined: none), repository of the signing identity]
const CASES: Record<string, [unknown, string]> = {
  'src-match': [GIT_URL, 'org/repo'],
  // Written in other forms npm accepts: compared after normalisation.
  'src-match-shorthand': ['github:org/repo', 'org/repo'],
  'src-match-ssh': [{ type: 'git', url: 'git+ssh://git@github.com/Org/Repo.git' }, 'org/repo'],
  // The certificate names another repository than the one package.json declares.
  'src-other-cert': [GIT_URL, 'org/other'],
  // package.json declares a repository whose URL merely starts like the certificate's.
  'src-other-declared': [{ type: 'git', url: 'git+https://github.com/org/repo-evil.git' }, 'org/repo'],
  // Nothing declared: nothing to match the certificate against.
  'src-undeclared': [undefined, 'org/repo'],
};
const MATCHING = ['src-match', 'src-match-shorthand', 'src-match-ssh'];
const spec = (name: string) => `${name}@1.0.0`;

describe('policy: sourceRepository "package-json" (the real CLI)', () => {
  const pki = createTestPki();
  let ws: Workspace;
  let registry: FixtureRegistry;
  let control: PolicyRun;
  let all: PolicyRun;

  beforeAll(async () => {
    ws = await createWorkspace();
    const specs = Object.entries(CASES).map(([name, [repository]]) => ({ name, version: '1.0.0', manifest: repository === undefined ? {} : { repository } }));
    let scenario: RegistryScenario = syntheticScenario(pki, specs, { provenanceShare: 0 });
    for (const [name, [, repo]] of Object.entries(CASES)) scenario = attestedBy(pki, scenario, name, githubActionsIdentity({ repository: repo }));
    registry = await startFixtureRegistry(scenario);
    const { trustedRoot, registryKeys } = await writeTrustFiles(ws, pki);
    const policy = rulesPolicy([{ name: 'built from its declared repository', match: { package: 'src-*' }, sourceRepository: 'package-json' }]);
    const base = { ws, registry, trustedRoot, registryKeys };
    [control, all] = await Promise.all([
      policyRun({ ...base, label: 'control', packages: pinned(scenario, MATCHING.map(spec)), policy }),
      policyRun({ ...base, label: 'all', packages: pinned(scenario, Object.keys(CASES).map(spec)), policy }),
    ]);
  });
  afterAll(async () => {
    await registry?.close();
    await ws?.cleanup();
  });

  it('positive control: a certificate repository matching package.json (any URL form) passes, exit 0', () => {
    for (const name of MATCHING) {
      expect(control.codes(name), name).toEqual([]);
      expect(control.pkg(name).rule).toBe('built from its declared repository');
    }
    expect(control.pkg('src-match').evidence?.attestations.map((a) => a.status)).toEqual(['verified', 'verified']);
    expect(control.code).toBe(0);
  });

  it('the certificate names another repository → SOURCE_REPOSITORY_MISMATCH, exit 1', () => {
    expect(all.code).toBe(1);
    // Its provenance verified: the finding is the comparison's alone.
    expect(all.pkg('src-other-cert').evidence?.attestations.map((a) => a.status)).toEqual(['verified', 'verified']);
    expect(all.codes('src-other-cert')).toEqual(['SOURCE_REPOSITORY_MISMATCH']);
    expect(all.pkg('src-other-cert').findings[0]?.details).toEqual({ expected: 'https://github.com/org/repo (package.json)', got: 'https://github.com/org/other' });
  });

  it('package.json declares a repository that only starts like the certificate\'s → SOURCE_REPOSITORY_MISMATCH', () => {
    expect(all.codes('src-other-declared')).toEqual(['SOURCE_REPOSITORY_MISMATCH']);
  });

  it('package.json declares no repository → SOURCE_REPOSITORY_MISMATCH', () => {
    expect(all.codes('src-undeclared')).toEqual(['SOURCE_REPOSITORY_MISMATCH']);
  });

  it('the matching packages still pass in the same run', () => {
    for (const name of MATCHING) expect(all.codes(name), name).toEqual([]);
  });
});

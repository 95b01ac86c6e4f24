import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, githubActionsIdentity, gitlabCiIdentity, startFixtureRegistry, syntheticScenario, type CiIdentity, type FixtureRegistry, type RegistryScenario } from '../support/index.js';
import { createWorkspace, pinned, type Workspace, writeTrustFiles } from '../support/attack-kit.js';
import { attestedBy, GITHUB_ISSUER, rulesPolicy, policyRun, type PolicyRun } from '../support/policy-kit.js';

// A pinned signer, end to end: the REAL CLI, the fixture registry serving one
// package per signer and per form of the pin, each with provenance signed by the test PKI under
// that identity. One rule per form pins https://github.com/org/repo/.github/workflows/release.yml
// @refs/heads/main: `github` (gh-*), `{oidcIssuer, san}` (san-*) and an anchored `sanRegex` (re-*);
// a SAN that merely CONTAINS the pinned one must not pass any of them. An unanchored `sanRegex`
// (un-*) shows why they are anchored (case 3): the warning is printed and such SANs pass.
const PIN = { repo: 'org/repo', workflow: '.github/workflows/release.yml', ref: 'refs/heads/main' };
const PINNED_SAN = 'https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main';
const PINNED_REGEX = 'https://github\\.com/org/repo/\\.github/workflows/release\\.yml@refs/heads/main';
const gh = (o: Parameters<typeof githubActionsIdentity>[0]) => githubActionsIdentity({ repository: PIN.repo, ref: PIN.ref, ...o });

// Signer case → the identity its provenance is signed by (null: no provenance).
const SIGNERS: Record<string, CiIdentity | null> = {
  right: gh({}),
  'other-repo': gh({ repository: 'org/other' }),
  'other-workflow': gh({ workflowPath: '.github/workflows/ci.yml' }),
  'other-ref': gh({ ref: 'refs/heads/dev' }),
  // SANs that contain the pinned one, or its repository URL, as a substring.
  'repo-evil': gh({ repository: 'org/repo-evil' }),
  'ref-suffix': gh({ ref: 'refs/heads/main-evil' }),
  prefixed: { ...gh({ repository: 'evil/fork' }), san: `https://github.com/evil/fork/.github/workflows/x.yml?${PINNED_SAN}` },
  // The pinned repository, on GitLab: another issuer.
  gitlab: gitlabCiIdentity({ repository: 'org/repo', ref: PIN.ref }),
  none: null,
};
const FORMS = {
  gh: { github: PIN },
  san: { oidcIssuer: GITHUB_ISSUER, san: PINNED_SAN },
  re: { oidcIssuer: GITHUB_ISSUER, sanRegex: `^${PINNED_REGEX}$` },
  un: { oidcIssuer: GITHUB_ISSUER, sanRegex: PINNED_REGEX },
} as const;
type Form = keyof typeof FORMS;
const ANCHORED: Form[] = ['gh', 'san', 're'];
const name = (form: Form, signer: string) => `${form}-${signer}`;
// Ends with a catch-all, as a policy should (`policy validate` warns without one).
const policyOf = (forms: Form[]) =>
  rulesPolicy([...forms.map((form) => ({ name: `pinned (${form})`, match: { package: `${form}-*` }, signer: [FORMS[form]] })), { name: 'every other package', match: { package: '*' } }]);
const WARNING = /^warning: .*\/rules\/3\/signer\/0\/sanRegex: unanchored pattern is substring-matched/m;

describe('policy: pinned signer identities (the real CLI)', () => {
  const pki = createTestPki();
  let ws: Workspace;
  let registry: FixtureRegistry;
  let control: PolicyRun;
  let all: PolicyRun;

  beforeAll(async () => {
    ws = await createWorkspace();
    const names = (Object.keys(FORMS) as Form[]).flatMap((form) => Object.keys(SIGNERS).map((signer) => name(form, signer)));
    let scenario: RegistryScenario = syntheticScenario(pki, names.map((n) => ({ name: n, version: '1.0.0' })), { provenanceShare: 0 });
    for (const n of names) scenario = attestedBy(pki, scenario, n, SIGNERS[n.slice(n.indexOf('-') + 1)] ?? null);
    registry = await startFixtureRegistry(scenario);
    const { trustedRoot, registryKeys } = await writeTrustFiles(ws, pki);
    const specs = (list: string[]) => pinned(scenario, list.map((n) => `${n}@1.0.0`));
    [control, all] = await Promise.all([
      // Positive control: the pinned signer, under every anchored form (and no unanchored rule).
      policyRun({ ws, label: 'control', registry, trustedRoot, registryKeys, packages: specs(ANCHORED.map((form) => name(form, 'right'))), policy: policyOf(ANCHORED) }),
      policyRun({ ws, label: 'all', registry, trustedRoot, registryKeys, packages: specs(names), policy: policyOf([...ANCHORED, 'un']) }),
    ]);
  });
  afterAll(async () => {
    await registry?.close();
    await ws?.cleanup();
  });

  it('accepts the pinned signer in every anchored form: exit 0, each by its rule, provenance verified, no warning', () => {
    for (const form of ANCHORED) {
      const pkg = control.pkg(name(form, 'right'));
      expect(pkg.findings, form).toEqual([]);
      expect(pkg.rule).toBe(`pinned (${form})`);
      expect(pkg.evidence?.attestations[0]).toMatchObject({ status: 'verified', signer: { issuer: GITHUB_ISSUER, san: PINNED_SAN } });
    }
    expect(control.stderr).not.toContain('warning');
    expect(control.report.verdict).toBe('pass');
    expect(control.code).toBe(0);
  });

  it('with every other signer in the run: exit 1, and the pinned signer still passes', () => {
    expect(all.code).toBe(1);
    expect(all.report.verdict).toBe('fail');
    for (const form of ANCHORED) expect(all.codes(name(form, 'right')), form).toEqual([]);
  });

  describe.each(ANCHORED)('the %s form', (form) => {
    it.each([
      ['another repository', 'other-repo'],
      ['another workflow', 'other-workflow'],
      ['another ref', 'other-ref'],
      ['a repository whose URL starts with the pinned one (org/repo-evil)', 'repo-evil'],
      ['a ref that extends the pinned one (refs/heads/main-evil)', 'ref-suffix'],
      ['a SAN that ends with the pinned one', 'prefixed'],
      ['the pinned repository under another issuer (GitLab)', 'gitlab'],
    ])('rejects %s: UNTRUSTED_SIGNER', (_what, signer) => {
      const n = name(form, signer);
      // Verified provenance, judged only by its signer.
      expect(all.pkg(n).evidence?.attestations.map((a) => a.status)).toEqual(['verified', 'verified']);
      expect(all.codes(n)).toEqual(['UNTRUSTED_SIGNER']);
      expect(all.enforcements(n)).toEqual(['strict']);
      expect(all.pkg(n).findings[0]?.details).toMatchObject({ got: { issuer: SIGNERS[signer]?.issuer, san: SIGNERS[signer]?.san } });
    });

    it('a pinned signer requires provenance: none → PROVENANCE_MISSING', () => {
      expect(all.codes(name(form, 'none'))).toEqual(['PROVENANCE_MISSING']);
    });
  });

  it('an unanchored sanRegex (case 3): the warning is on stderr and in the report, and SANs that contain the pattern pass', () => {
    expect(all.stderr).toMatch(WARNING);
    expect(all.report.observations.warnings.filter((w) => w.includes('sanRegex: unanchored'))).toHaveLength(1);
    expect(all.codes(name('un', 'right'))).toEqual([]);
    expect(all.codes(name('un', 'ref-suffix'))).toEqual([]);
    expect(all.codes(name('un', 'prefixed'))).toEqual([]);
    expect(all.codes(name('un', 'repo-evil'))).toEqual(['UNTRUSTED_SIGNER']);
    expect(all.codes(name('un', 'other-repo'))).toEqual(['UNTRUSTED_SIGNER']);
  });
});

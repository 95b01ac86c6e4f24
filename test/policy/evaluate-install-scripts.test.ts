// The install-scripts rule: a package whose install scripts npm may run needs a verified
// provenance (signed by the rule's installScripts.signer when it pins some); allowScripts is read
// as npm reads it (approve, deny, not reviewed) and its stale approvals are reported.

import { describe, expect, it } from 'vitest';
import { evaluatePolicy } from '../../src/policy/index.js';
import type { PolicySubject } from '../../src/policy/index.js';
import { GITHUB_ISSUER, githubSigner, NOW, oneRule, provenance, ref, REKOR, subject } from './_helpers.js';

const RIGHT = githubSigner('org/scripts');
const OTHER = githubSigner('evil/fork');
const withScripts = (s: PolicySubject, over: Parameters<typeof ref>[2] = {}): PolicySubject => ({ ...s, ref: ref(s.ref.name, s.ref.version, { hasInstallScript: true, ...over }) });
const bare = withScripts(subject('a', '1.0.0'));
const attested = (signer = RIGHT) => withScripts(subject('a', '1.0.0', [provenance(signer)]));
const judge = (s: PolicySubject, allowScripts: Record<string, boolean> | undefined, installScripts = 'fail', rule: Record<string, unknown> = {}) => {
  const decision = evaluatePolicy({ subjects: [s], trustedLogs: [REKOR], ...(allowScripts === undefined ? {} : { allowScripts }) }, oneRule(rule, { installScripts }), NOW);
  return { decision, found: (decision.packages[0]?.findings ?? []).map((f) => [f.code, f.enforcement]) };
};
const PIN = { installScripts: { signer: [{ github: { repo: 'org/scripts', workflow: '.github/workflows/release.yml', ref: 'refs/heads/main' } }] } };

describe('install scripts need verified provenance', () => {
  it('approved scripts without provenance: SCRIPT_APPROVAL_UNVERIFIED under the rule; fail verdict', () => {
    const { decision, found } = judge(bare, { a: true });
    expect(found).toEqual([['SCRIPT_APPROVAL_UNVERIFIED', 'strict']]);
    expect(decision.verdict).toBe('fail');
    expect(decision.installScripts.mayRun).toEqual([{ name: 'a', version: '1.0.0', approvedBy: ['a'], verified: false }]);
  });

  it('unreviewed scripts without provenance: SCRIPT_NOT_APPROVED (audit) and INSTALL_SCRIPT_UNVERIFIED (strict)', () => {
    expect(judge(bare, {}).found).toEqual([['SCRIPT_NOT_APPROVED', 'audit'], ['INSTALL_SCRIPT_UNVERIFIED', 'strict']]);
    expect(judge(bare, undefined).found).toEqual([['SCRIPT_NOT_APPROVED', 'audit'], ['INSTALL_SCRIPT_UNVERIFIED', 'strict']]);
  });

  it('warn: the same findings under audit; off: none, the package still listed', () => {
    expect(judge(bare, { a: true }, 'warn').found).toEqual([['SCRIPT_APPROVAL_UNVERIFIED', 'audit']]);
    expect(judge(bare, { a: true }, 'warn').decision.verdict).toBe('pass');
    const off = judge(bare, {}, 'off');
    expect(off.found).toEqual([]);
    expect(off.decision.installScripts.mayRun).toHaveLength(1);
  });

  it('no finding: denied scripts, approved scripts with verified provenance, no scripts, bundled, the project\'s own link', () => {
    expect(judge(bare, { a: false }).found).toEqual([]);
    expect(judge(attested(), { 'a@1.0.0': true }).found).toEqual([]);
    expect(judge(subject('a', '1.0.0'), {}).found).toEqual([]);
    expect(judge(withScripts(bare, { bundled: true }), { a: true }).found).toEqual([]);
    expect(judge(withScripts(bare, { source: 'link' }), {}).found).toEqual([]);
  });

  it('provenance that did not verify is no provenance', () => {
    const failed = withScripts(subject('a', '1.0.0', [provenance(RIGHT, { status: 'failed' })]));
    expect(judge(failed, { a: true }).found).toContainEqual(['SCRIPT_APPROVAL_UNVERIFIED', 'strict']);
  });

  it('a git package with scripts has no provenance: INSTALL_SCRIPT_UNVERIFIED', () => {
    const git = { ...bare, ref: ref('a', '1.0.0', { hasInstallScript: true, source: 'git', resolved: 'git+https://example.com/a.git#0123456789abcdef0123456789abcdef01234567' }), facts: undefined } as PolicySubject;
    expect(judge(git, {}).found.map(([code]) => code)).toContain('INSTALL_SCRIPT_UNVERIFIED');
  });

  it('a rule pinning installScripts.signer: another signer is SCRIPT_APPROVAL_UNVERIFIED; the pinned one passes; a package without scripts is not asked', () => {
    expect(judge(attested(OTHER), { a: true }, 'fail', PIN).found).toEqual([['SCRIPT_APPROVAL_UNVERIFIED', 'strict']]);
    expect(judge(attested(RIGHT), { a: true }, 'fail', PIN).found).toEqual([]);
    expect(judge(subject('a', '1.0.0', [provenance(OTHER)]), {}, 'fail', PIN).found).toEqual([]);
  });

  it('stale approvals: strict under fail, audit under warn, none under off or when the tree is partial', () => {
    const stale = (installScripts: string, treeComplete = true) =>
      evaluatePolicy({ subjects: [attested()], trustedLogs: [REKOR], allowScripts: { a: true, 'a@0.9.0': true, gone: true }, treeComplete }, oneRule({}, { installScripts }), NOW).installScripts.findings.map((f) => [f.code, f.package, f.enforcement]);
    expect(stale('fail')).toEqual([['SCRIPT_APPROVAL_STALE', 'a@0.9.0', 'strict'], ['SCRIPT_APPROVAL_STALE', 'gone', 'strict']]);
    expect(stale('warn')).toEqual([['SCRIPT_APPROVAL_STALE', 'a@0.9.0', 'audit'], ['SCRIPT_APPROVAL_STALE', 'gone', 'audit']]);
    expect(stale('off')).toEqual([]);
    expect(stale('fail', false)).toEqual([]);
    const decision = evaluatePolicy({ subjects: [attested()], trustedLogs: [REKOR], allowScripts: { a: true, gone: true } }, oneRule({}, { installScripts: 'fail' }), NOW);
    expect(decision.verdict).toBe('fail');
  });
  const detailsOf = (s: PolicySubject, allowScripts: Record<string, boolean> | undefined, rule: Record<string, unknown> = {}) =>
    judge(s, allowScripts, 'fail', rule).decision.packages[0]?.findings.filter((f) => f.code !== 'SCRIPT_NOT_APPROVED').map((f) => [f.code, f.details]);

  it('the finding says what was expected and what was found; an approved package names the approving keys', () => {
    expect(detailsOf(bare, {})).toEqual([['INSTALL_SCRIPT_UNVERIFIED', { expected: 'a verified provenance', got: 'none verified' }]]);
    expect(detailsOf(bare, { a: true, 'a@1.0.0': true })).toEqual([['SCRIPT_APPROVAL_UNVERIFIED', { expected: 'a verified provenance', got: 'none verified', approvedBy: ['a', 'a@1.0.0'] }]]);
    const git = { ...bare, ref: ref('a', '1.0.0', { hasInstallScript: true, source: 'git', resolved: 'git+https://example.com/a.git#0123456789abcdef0123456789abcdef01234567' }), facts: undefined } as PolicySubject;
    expect(detailsOf(git, {})).toContainEqual(['INSTALL_SCRIPT_UNVERIFIED', { expected: 'a verified provenance', got: 'none (a git source has none)' }]);
  });

  describe('a rule pinning two signers for scripts', () => {
    const TWO = { installScripts: { signer: [PIN.installScripts.signer[0], { github: { repo: 'org/second', workflow: '.github/workflows/release.yml', ref: 'refs/heads/main' } }] } };
    const expected = `a verified provenance signed by ${RIGHT.san} or https://github.com/org/second/.github/workflows/release.yml@refs/heads/main`;

    it('a provenance by either one passes', () => {
      expect(detailsOf(attested(githubSigner('org/second')), { a: true }, TWO)).toEqual([]);
      expect(detailsOf(attested(RIGHT), { a: true }, TWO)).toEqual([]);
    });

    it('a provenance by neither: both expected, the stranger named', () => {
      expect(detailsOf(attested(OTHER), {}, TWO)).toEqual([['INSTALL_SCRIPT_UNVERIFIED', { expected, got: `a provenance signed by ${OTHER.san} (issuer ${GITHUB_ISSUER})` }]]);
    });

    it('a certificate naming no subject alternative name and no issuer is a stranger, and said so', () => {
      const anonymous = withScripts(subject('a', '1.0.0', [provenance(RIGHT, { signer: { kind: 'certificate', extensions: RIGHT.extensions } })]));
      expect(detailsOf(anonymous, {}, TWO)).toEqual([['INSTALL_SCRIPT_UNVERIFIED', { expected, got: 'a provenance signed by no subject alternative name (issuer none)' }]]);
    });
  });

  it('the list of packages whose scripts may run: not one without scripts, bundled or denied; approvals and evidence as found', () => {
    const listed = (s: PolicySubject, allowScripts?: Record<string, boolean>) =>
      evaluatePolicy({ subjects: [s], trustedLogs: [REKOR], ...(allowScripts === undefined ? {} : { allowScripts }) }, oneRule({}, { installScripts: 'fail' }), NOW).installScripts;
    expect(listed(subject('a', '1.0.0'), {}).mayRun).toEqual([]);
    expect(listed(withScripts(bare, { bundled: true }), { a: true }).mayRun).toEqual([]);
    expect(listed(bare, { a: false }).mayRun).toEqual([]);
    expect(listed(bare, {}).mayRun).toEqual([{ name: 'a', version: '1.0.0', approvedBy: [], verified: false }]);
    expect(listed(attested(), { a: true }).mayRun).toEqual([{ name: 'a', version: '1.0.0', approvedBy: ['a'], verified: true }]);
    expect(listed(bare, {}).allowScripts).toBe(true);
    expect(listed(bare).allowScripts).toBe(false);
  });

  it('a stale approval names the key and the versions the lockfile holds', () => {
    const findings = evaluatePolicy({ subjects: [attested()], trustedLogs: [REKOR], allowScripts: { 'a@0.9.0': true } }, oneRule({}, { installScripts: 'fail' }), NOW).installScripts.findings;
    expect(findings).toMatchObject([{ code: 'SCRIPT_APPROVAL_STALE', package: 'a@0.9.0', rule: null, details: { approval: 'a@0.9.0', found: ['1.0.0'] } }]);
  });
});

// getVerification, the one definition of "verified": evidence over the lockfile's digest verified
// (a registry signature, or an attestation whose subject is the lockfile's sha512), and no finding
// of the package waived or standing. isPassedUnverified: let through, yet not verified.

import { describe, expect, it } from 'vitest';
import { evaluatePolicy, getVerification, isPassedUnverified } from '../../src/policy/index.js';
import type { PolicyFinding, PolicyFindingCode, WaivedFinding } from '../../src/policy/index.js';
import { facts, githubSigner, NOW, oneRule, provenance, publishAttestation, ref, REKOR, subject } from './_helpers.js';

const finding = (code: PolicyFindingCode, enforcement: 'strict' | 'audit' = 'strict'): PolicyFinding => ({ code, message: code, package: 'a@1.0.0', rule: 'r', enforcement });
const waived = (code: PolicyFindingCode, exception = 'a@1.0.0'): WaivedFinding => ({ ...finding(code), exception });
const clean = { findings: [], waived: [] };

describe('getVerification', () => {
  it('a verified registry signature over the lockfile\'s integrity, nothing waived or standing: verified', () => {
    expect(getVerification(subject('a', '1.0.0'), clean)).toEqual({ verified: true, verifiedBy: ['registry-signature'], reasons: [] });
  });

  it('a verified attestation alone (a registry that publishes no keys) is verified evidence', () => {
    const keyless = subject('a', '1.0.0', [], { registryPublishesKeys: false, facts: facts('a', '1.0.0', [publishAttestation()], 'missing') });
    expect(getVerification(keyless, clean)).toEqual({ verified: true, verifiedBy: ['attestation'], reasons: [] });
  });

  it('no signature and no attestation from a registry that publishes no keys: not verified, though nothing stands', () => {
    const keyless = subject('a', '1.0.0', [], { registryPublishesKeys: false, facts: facts('a', '1.0.0', [], 'missing') });
    expect(getVerification(keyless, clean)).toEqual({ verified: false, verifiedBy: [], reasons: [{ kind: 'registry-publishes-no-keys' }] });
  });

  it('a failed attestation and a missing signature from a registry that publishes keys: no verified evidence', () => {
    const failed = provenance(githubSigner('org/a'), { status: 'failed' });
    const pkg = subject('a', '1.0.0', [], { facts: facts('a', '1.0.0', [failed], 'missing') });
    expect(getVerification(pkg, clean).reasons).toEqual([{ kind: 'no-verified-evidence' }]);
  });

  it('a waived finding keeps a package unverified even beside a verified signature, naming the code and the exception', () => {
    const verification = getVerification(subject('a', '1.0.0'), { findings: [], waived: [waived('INTEGRITY_MISMATCH', 'a@^1.0.0')] });
    expect(verification).toEqual({
      verified: false,
      verifiedBy: ['registry-signature'],
      reasons: [{ kind: 'findings-waived', waived: [{ code: 'INTEGRITY_MISMATCH', exception: 'a@^1.0.0' }] }],
    });
  });

  it('a standing finding, even one only reported (audit), keeps a package unverified', () => {
    expect(getVerification(subject('a', '1.0.0'), { findings: [finding('TRUST_DOWNGRADE', 'audit')], waived: [] }).reasons).toEqual([{ kind: 'findings-standing', codes: ['TRUST_DOWNGRADE'] }]);
  });

  it('bundled, non-registry and unfetched packages are never verified, whatever facts are at hand', () => {
    const bundled = subject('a', '1.0.0', [], { ref: ref('a', '1.0.0', { bundled: true }) });
    expect(getVerification(bundled, clean)).toEqual({ verified: false, verifiedBy: [], reasons: [{ kind: 'bundled' }] });
    const git = subject('a', '1.0.0', [], { ref: ref('a', '1.0.0', { source: 'git' }) });
    expect(getVerification(git, clean)).toEqual({ verified: false, verifiedBy: [], reasons: [{ kind: 'not-from-a-registry', source: 'git' }] });
    const unfetched = subject('a', '1.0.0', [], { facts: undefined });
    expect(getVerification(unfetched, { findings: [finding('FETCH_FAILED', 'audit')], waived: [] }).reasons).toEqual([
      { kind: 'evidence-not-fetched' },
      { kind: 'findings-standing', codes: ['FETCH_FAILED'] },
    ]);
  });
});

describe('isPassedUnverified', () => {
  it('is true for a package let through unverified, false for a verified one and for one that failed', () => {
    const keyless = subject('a', '1.0.0', [], { registryPublishesKeys: false, facts: facts('a', '1.0.0', [], 'missing') });
    expect(isPassedUnverified({ findings: [], verification: getVerification(keyless, clean) })).toBe(true);
    expect(isPassedUnverified({ findings: [], verification: getVerification(subject('a', '1.0.0'), clean) })).toBe(false);
    const failing = { findings: [finding('SIGNATURE_INVALID')], waived: [] };
    expect(isPassedUnverified({ ...failing, verification: getVerification(subject('a', '1.0.0'), failing) })).toBe(false);
    const flagged = { findings: [finding('SIGNATURE_INVALID', 'audit')], waived: [] };
    expect(isPassedUnverified({ ...flagged, verification: getVerification(subject('a', '1.0.0'), flagged) })).toBe(true);
  });
});

describe('evaluatePolicy records the verification of each package', () => {
  it('an exception that waives INTEGRITY_MISMATCH lets the package pass, unverified, and names itself', () => {
    const policy = oneRule({}, { exceptions: [{ package: 'a@^1.0.0', waive: ['INTEGRITY_MISMATCH'], reason: 'vendor re-published', approvedBy: 'sec@example.com', expires: '2027-01-01' }] });
    const mismatched = subject('a', '1.0.0', [], { verificationFindings: [{ code: 'INTEGRITY_MISMATCH', message: 'differs' }] });
    const decision = evaluatePolicy({ subjects: [mismatched, subject('b', '1.0.0')], trustedLogs: [REKOR] }, policy, NOW);
    expect(decision.verdict).toBe('pass');
    expect(decision.packages[0]?.waived).toMatchObject([{ code: 'INTEGRITY_MISMATCH', exception: 'a@^1.0.0' }]);
    expect(decision.packages[0]?.verification).toEqual({
      verified: false,
      verifiedBy: ['registry-signature'],
      reasons: [{ kind: 'findings-waived', waived: [{ code: 'INTEGRITY_MISMATCH', exception: 'a@^1.0.0' }] }],
    });
    expect(decision.packages[1]?.verification.verified).toBe(true);
  });
});

describe('a lockfile pin of sha1 only, bound through the downloaded tarball', () => {
  const bound = subject('a', '1.0.0', [], {
    ref: ref('a', '1.0.0', { integrity: 'sha1-AAAA' }),
    facts: { ...facts('a', '1.0.0'), integrity: { lockfile: 'sha1-AAAA', registry: 'sha512-AAAA', bound: 'sha512-AAAA' } },
    verificationFindings: [{ code: 'INTEGRITY_WEAK_PIN', message: 'sha1 only', details: { boundThrough: 'download' } }],
  });

  it('is a warning by default: the package passes, verified over the sha512 of the bytes', () => {
    const decision = evaluatePolicy({ subjects: [bound], trustedLogs: [REKOR] }, oneRule({}), NOW);
    expect(decision.verdict).toBe('pass');
    expect(decision.packages[0]?.findings.map((f) => [f.code, f.enforcement])).toEqual([['INTEGRITY_WEAK_PIN', 'audit']]);
    expect(decision.packages[0]?.verification).toEqual({ verified: true, verifiedBy: ['registry-signature'], reasons: [] });
  });

  it('fails under weakIntegrity "deny", unverified', () => {
    const decision = evaluatePolicy({ subjects: [bound], trustedLogs: [REKOR] }, oneRule({}, { weakIntegrity: 'deny' }), NOW);
    expect(decision.verdict).toBe('fail');
    expect(decision.packages[0]?.findings.map((f) => [f.code, f.enforcement])).toEqual([['INTEGRITY_WEAK_PIN', 'strict']]);
    expect(decision.packages[0]?.verification.verified).toBe(false);
  });

  it('a weak-pin warning without a bound digest in the facts, or without facts, leaves the package unverified', () => {
    const unbound = { ...bound, facts: facts('a', '1.0.0') };
    expect(getVerification(unbound, { findings: [finding('INTEGRITY_WEAK_PIN', 'audit')], waived: [] }).verified).toBe(false);
    const unfetched = { ...bound, facts: undefined };
    expect(getVerification(unfetched, { findings: [finding('INTEGRITY_WEAK_PIN', 'audit')], waived: [] }).reasons).toEqual([
      { kind: 'evidence-not-fetched' },
      { kind: 'findings-standing', codes: ['INTEGRITY_WEAK_PIN'] },
    ]);
  });

  it('only the weak-pin warning is let off: another audit finding beside a bound digest still unverifies', () => {
    const verification = getVerification(bound, { findings: [finding('INTEGRITY_WEAK_PIN', 'audit'), finding('TRUST_DOWNGRADE', 'audit')], waived: [] });
    expect(verification.reasons).toEqual([{ kind: 'findings-standing', codes: ['TRUST_DOWNGRADE'] }]);
  });
});

describe('--installed findings', () => {
  const installed = (code: 'INSTALLED_TREE_MODIFIED' | 'INSTALLED_PACKAGE_MISSING', details: Record<string, unknown>) =>
    subject('a', '1.0.0', [], { verificationFindings: [{ code, message: code, details }] });

  it('a file of node_modules that is not the tarball\'s fails the gate, the package unverified', () => {
    const decision = evaluatePolicy({ subjects: [installed('INSTALLED_TREE_MODIFIED', { location: 'node_modules/a', path: 'index.js', kind: 'changed' })], trustedLogs: [REKOR] }, oneRule({}), NOW);
    expect(decision.verdict).toBe('fail');
    expect(decision.packages[0]?.findings.map((f) => [f.code, f.enforcement])).toEqual([['INSTALLED_TREE_MODIFIED', 'strict']]);
    expect(decision.packages[0]?.verification.verified).toBe(false);
  });

  it('a package not installed fails the gate; an optional one (npm skips those built for another platform) is a warning', () => {
    const required = evaluatePolicy({ subjects: [installed('INSTALLED_PACKAGE_MISSING', { location: 'node_modules/a', optional: false })], trustedLogs: [REKOR] }, oneRule({}), NOW);
    expect(required.verdict).toBe('fail');
    const optional = evaluatePolicy({ subjects: [installed('INSTALLED_PACKAGE_MISSING', { location: 'node_modules/a', optional: true })], trustedLogs: [REKOR] }, oneRule({}), NOW);
    expect(optional.verdict).toBe('pass');
    expect(optional.packages[0]?.findings.map((f) => [f.code, f.enforcement])).toEqual([['INSTALLED_PACKAGE_MISSING', 'audit']]);
  });
});

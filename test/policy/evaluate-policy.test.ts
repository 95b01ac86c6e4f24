// evaluatePolicy, the policy-wide checks: pass-through, rule order, exceptions, audit, downgrade,
// registries, sources, verdict (identity lock and log pinning: evaluate-trust.test.ts).

import { describe, expect, it } from 'vitest';
import { evaluatePolicy, isIncompleteCode, needsHistory } from '../../src/policy/index.js';
import type { NormalizedPolicy, PolicySubject } from '../../src/policy/index.js';
import { codes, facts, githubSigner, NOW, OTHER_LOG, oneRule, policyOf, provenance, publishAttestation, ref, REKOR, subject } from './_helpers.js';

const run = (policy: NormalizedPolicy, ...subjects: PolicySubject[]) => evaluatePolicy({ subjects, trustedLogs: [REKOR, OTHER_LOG] }, policy, NOW);
const signed = (name = 'a', version = '1.0.0') => subject(name, version, [provenance(githubSigner('org/a')), publishAttestation()]);
const INVALID_SIG = { code: 'SIGNATURE_INVALID' as const, message: 'the registry signature does not verify' };

describe('verification findings and rules', () => {
  it('passes verification findings through under the rule that matched', () => {
    const decision = run(oneRule({ enforcement: 'audit' }), subject('a', '1.0.0', [], { verificationFindings: [INVALID_SIG] }));
    expect(decision.packages[0]).toMatchObject({ rule: 'r', findings: [{ code: 'SIGNATURE_INVALID', enforcement: 'audit', message: 'a@1.0.0 flagged: SIGNATURE_INVALID — the registry signature does not verify' }] });
  });

  it('keeps the details of a verification finding, and adds none to a finding that has none', () => {
    const detailed = { code: 'INTEGRITY_MISMATCH' as const, message: 'differs', details: { lockfile: 'sha512-AAAA', registry: 'sha512-BBBB' } };
    const findings = run(oneRule({}), subject('a', '1.0.0', [], { verificationFindings: [detailed, INVALID_SIG] })).packages[0]?.findings;
    expect(findings?.map((f) => f.code)).toEqual(['INTEGRITY_MISMATCH', 'SIGNATURE_INVALID']);
    expect(findings?.[0]?.details).toEqual({ lockfile: 'sha512-AAAA', registry: 'sha512-BBBB' });
    expect(findings?.[1] !== undefined && 'details' in findings[1]).toBe(false);
    // Nor does the FETCH_FAILED the policy adds for a package without evidence.
    const none = run(oneRule({}), subject('a', '1.0.0', [], { facts: undefined })).packages[0]?.findings;
    expect(none?.map((f) => [f.code, 'details' in f])).toEqual([['FETCH_FAILED', false]]);
  });

  it('a missing signature from a registry that publishes no keys is no failure when provenance verified, unless the rule requires one', () => {
    const keyless = { registryPublishesKeys: false, facts: facts('a', '1.0.0', [provenance(githubSigner('org/a'))], 'missing'), verificationFindings: [{ code: 'SIGNATURE_MISSING' as const, message: 'none' }] };
    expect(codes(run(oneRule({}), subject('a', '1.0.0', [], keyless)))).toEqual([]);
    expect(codes(run(oneRule({ require: { registrySignature: true } }), subject('a', '1.0.0', [], keyless)))).toEqual(['SIGNATURE_MISSING']);
    const keyed = { ...keyless, registryPublishesKeys: true };
    expect(codes(run(oneRule({}), subject('a', '1.0.0', [], keyed)))).toEqual(['SIGNATURE_MISSING']);
  });

  it('the first matching rule applies, by name glob, version range and registry host', () => {
    const policy = policyOf({
      version: 1,
      enforcement: 'strict',
      rules: [
        { name: 'scoped', match: { package: '@sigstore/*' }, require: { provenance: true } },
        { name: 'old lodash', match: { package: 'lodash', version: '<4.17.21' }, require: { publishAttestation: true } },
        { name: 'mirror', match: { package: '*', registry: 'npm.example.com' }, require: { registrySignature: true } },
        { name: 'rest', match: { package: '*' } },
      ],
    });
    const onMirror = subject('x', '1.0.0', [], { ref: ref('x', '1.0.0', { registryHost: 'NPM.example.com' }) });
    const decision = run(policy, subject('@sigstore/core', '1.0.0'), subject('lodash', '4.17.20'), subject('lodash', '4.17.21'), onMirror, subject('@sigstorex/core', '1.0.0'));
    expect(decision.packages.map((p) => p.rule)).toEqual(['scoped', 'old lodash', 'rest', 'mirror', 'rest']);
    expect(decision.packages.map((p) => p.findings.map((f) => f.code))).toEqual([['PROVENANCE_MISSING'], ['PUBLISH_ATTESTATION_MISSING'], [], [], []]);
  });

  it('a `*` in a glob stays within one name segment; `*` alone matches scoped packages too', () => {
    const policy = policyOf({ version: 1, enforcement: 'strict', rules: [{ name: 'plugins', match: { package: '*-plugin' } }, { name: 'all', match: { package: '*' } }] });
    expect(run(policy, subject('x-plugin', '1.0.0'), subject('@scope/x-plugin', '1.0.0')).packages.map((p) => p.rule)).toEqual(['plugins', 'all']);
  });

  it('a registry package no rule matches fails closed (NO_MATCHING_RULE), under the policy enforcement', () => {
    const policy = policyOf({ version: 1, enforcement: 'strict', rules: [{ name: 'only b', match: { package: 'b' }, require: { provenance: true } }] });
    const decision = run(policy, subject('a', '1.0.0', [], { verificationFindings: [INVALID_SIG] }));
    expect(decision.packages[0]).toMatchObject({
      rule: null,
      findings: [
        { code: 'SIGNATURE_INVALID', rule: null, enforcement: 'strict' },
        { code: 'NO_MATCHING_RULE', rule: null, enforcement: 'strict', details: { name: 'a', hosts: ['registry.npmjs.org'] } },
      ],
    });
    expect(decision.verdict).toBe('fail');
    // Without its evidence too, and not for what is not a registry package.
    expect(codes(run(policy, subject('a', '1.0.0', [], { facts: undefined, verificationFindings: [{ code: 'FETCH_FAILED', message: 'x' }] })))).toEqual(['FETCH_FAILED', 'NO_MATCHING_RULE']);
    expect(codes(run(policy, subject('a', '1.0.0', [], { ref: ref('a', '1.0.0', { source: 'link', registryHost: null, resolved: 'file:a' }), facts: undefined, registryHost: null })))).toEqual([]);
  });
});

describe('exceptions', () => {
  const exception = (expires: string, waive = ['SIGNATURE_INVALID'], pkg = 'a@^1.0.0') => ({ package: pkg, waive, reason: 'vendor fix pending', approvedBy: 'sec@example.com', expires });
  const withFindings = () => subject('a', '1.2.0', [], { verificationFindings: [INVALID_SIG, { code: 'INTEGRITY_MISMATCH', message: 'differs' }] });

  it('an in-date exception waives exactly the codes it names, and is reported with its count', () => {
    const decision = run(oneRule({}, { exceptions: [exception('2026-12-31')] }), withFindings());
    expect(decision.packages[0]?.findings.map((f) => f.code)).toEqual(['INTEGRITY_MISMATCH']);
    expect(decision.packages[0]?.waived.map((f) => f.code)).toEqual(['SIGNATURE_INVALID']);
    expect(decision.exceptionsUsed).toEqual([{ package: 'a@^1.0.0', waive: ['SIGNATURE_INVALID'], reason: 'vendor fix pending', approvedBy: 'sec@example.com', expires: '2026-12-31', waived: 1 }]);
    expect(decision.verdict).toBe('fail');
  });

  it('waiving every finding passes', () => {
    const decision = run(oneRule({}, { exceptions: [exception('2026-12-31', ['SIGNATURE_INVALID', 'INTEGRITY_MISMATCH'])] }), withFindings());
    expect(decision.verdict).toBe('pass');
    expect(decision.exceptionsUsed[0]?.waived).toBe(2);
  });

  it('an expired exception waives nothing and is itself a failure', () => {
    const decision = run(oneRule({}, { exceptions: [exception('2026-06-01T00:00:00Z', ['SIGNATURE_INVALID', 'INTEGRITY_MISMATCH'])] }), withFindings());
    expect(decision.packages[0]?.findings.map((f) => f.code)).toEqual(['SIGNATURE_INVALID', 'INTEGRITY_MISMATCH', 'EXCEPTION_EXPIRED']);
    expect(decision.packages[0]?.waived).toEqual([]);
    expect(decision.exceptionsUsed).toEqual([]);
    expect(decision.verdict).toBe('fail');
  });

  it('an exception names a package by exact name and range (prereleases only when the range names them)', () => {
    const policy = oneRule({}, { exceptions: [exception('2026-12-31')] });
    const others = [
      subject('ab', '1.2.0', [], { verificationFindings: [INVALID_SIG] }),
      subject('a', '2.0.0', [], { verificationFindings: [INVALID_SIG] }),
      subject('a', '1.3.0-rc.1', [], { verificationFindings: [INVALID_SIG] }),
    ];
    expect(run(policy, ...others).packages.map((p) => p.waived.length)).toEqual([0, 0, 0]);
  });
});

describe('audit enforcement', () => {
  const failing = () => [subject('a', '1.0.0', [], { verificationFindings: [INVALID_SIG] }), subject('b', '1.0.0')];

  it('policy-wide: the same findings, all audit, verdict pass', () => {
    const strict = run(oneRule({ require: { provenance: true } }), ...failing());
    const audit = run(oneRule({ require: { provenance: true } }, { enforcement: 'audit' }), ...failing());
    expect(strict.verdict).toBe('fail');
    expect(codes(audit)).toEqual(codes(strict));
    expect(audit.packages.flatMap((p) => p.findings.map((f) => f.enforcement))).toEqual(['audit', 'audit', 'audit']);
    expect(audit).toMatchObject({ verdict: 'pass', enforcement: 'audit' });
  });

  it('per rule: only that rule\'s packages are audited', () => {
    const policy = policyOf({ version: 1, enforcement: 'strict', rules: [{ name: 'a', match: { package: 'a' }, enforcement: 'audit' }, { name: 'rest', match: { package: '*' } }] });
    expect(run(policy, failing()[0] as PolicySubject).verdict).toBe('pass');
    expect(run(policy, subject('b', '1.0.0', [], { verificationFindings: [INVALID_SIG] })).verdict).toBe('fail');
  });

  it('the policy\'s own checks stand under any strict rule that applies, under any installed name', () => {
    const policy = policyOf({
      version: 1,
      enforcement: 'strict',
      registries: { allowed: ['other.example'] },
      rules: [{ name: 'pinned', match: { package: '@scope/pinned' } }, { name: 'rest', match: { package: '*' }, enforcement: 'audit' }],
    });
    const aliased = subject('evil', '1.0.0', [], { ref: ref('evil', '1.0.0', { aliases: ['@scope/pinned'] }) });
    expect(run(policy, aliased)).toMatchObject({ verdict: 'fail', packages: [{ rule: 'rest', findings: [{ code: 'REGISTRY_NOT_ALLOWED', enforcement: 'strict' }] }] });
    expect(run(policy, subject('evil', '1.0.0'))).toMatchObject({ verdict: 'pass', packages: [{ findings: [{ code: 'REGISTRY_NOT_ALLOWED', enforcement: 'audit' }] }] });
  });

  it('a policy-wide audit wins over a rule that says strict', () => {
    const policy = policyOf({ version: 1, enforcement: 'audit', rules: [{ name: 'a', match: { package: '*' }, enforcement: 'strict' }] });
    expect(run(policy, failing()[0] as PolicySubject).verdict).toBe('pass');
  });
});

describe('trust downgrade', () => {
  const history = {
    versions: [
      { version: '1.0.0', provenance: true, publishAttestation: true },
      { version: '1.1.0', provenance: true, publishAttestation: true },
    ],
  };
  const unsigned = (over: Partial<PolicySubject> = {}) => subject('a', '1.2.0', [publishAttestation()], { history, ...over });

  it('fail: an earlier version had provenance, this one has none verified; the finding names the version', () => {
    const decision = run(oneRule({}, { downgrade: 'fail' }), unsigned());
    expect(decision.packages[0]?.findings).toMatchObject([{ code: 'TRUST_DOWNGRADE', enforcement: 'strict', details: { lost: 'provenance', earlierVersion: '1.1.0' } }]);
    expect(decision.packages[0]?.findings[0]?.message).toMatch(/a@1\.1\.0/);
    expect(decision.verdict).toBe('fail');
  });

  it('provenance that failed verification is no provenance', () => {
    const failed = provenance(githubSigner('org/a'), { status: 'failed', findings: [{ code: 'SIGNATURE_INVALID', message: 'x' }] });
    expect(codes(run(oneRule({}, { downgrade: 'fail' }), subject('a', '1.2.0', [failed, publishAttestation()], { history })))).toEqual(['TRUST_DOWNGRADE']);
  });

  it('a lost publish attestation is a downgrade too', () => {
    const decision = run(oneRule({}, { downgrade: 'fail' }), subject('a', '1.2.0', [provenance(githubSigner('org/a'))], { history }));
    expect(decision.packages[0]?.findings).toMatchObject([{ code: 'TRUST_DOWNGRADE', details: { lost: 'publishAttestation' } }]);
  });

  it('warn reports it under audit; off and an unfetched history say nothing; a later version does not count', () => {
    expect(run(oneRule({}, { downgrade: 'warn' }), unsigned())).toMatchObject({ verdict: 'pass', packages: [{ findings: [{ code: 'TRUST_DOWNGRADE', enforcement: 'audit' }] }] });
    expect(codes(run(oneRule({}, { downgrade: 'off' }), unsigned()))).toEqual([]);
    expect(codes(run(oneRule({}, { downgrade: 'fail' }), unsigned({ history: undefined })))).toEqual([]);
    expect(codes(run(oneRule({}, { downgrade: 'fail' }), unsigned({ history: { versions: [{ version: '2.0.0', provenance: true, publishAttestation: true }] } })))).toEqual([]);
  });

  it('needsHistory: a registry package with facts, whatever it verified (trusted and staged publishing outrank provenance), and only when downgrade is on', () => {
    const policy = oneRule({}, { downgrade: 'fail' });
    expect(needsHistory(unsigned(), policy, NOW)).toBe(true);
    expect(needsHistory(signed(), policy, NOW)).toBe(true);
    expect(needsHistory(unsigned(), oneRule({}, { downgrade: 'off' }), NOW)).toBe(false);
  });
});

describe('registries and sources', () => {
  const allowNpm = oneRule({}, { registries: { allowed: ['registry.npmjs.org'] } });

  it('registries.allowed: the resolved host, else the fetched-from host', () => {
    expect(codes(run(allowNpm, subject('a', '1.0.0')))).toEqual([]);
    expect(codes(run(allowNpm, subject('a', '1.0.0', [], { ref: ref('a', '1.0.0', { registryHost: 'evil.example' }) })))).toEqual(['REGISTRY_NOT_ALLOWED']);
    const unrecorded = { ref: ref('a', '1.0.0', { resolved: null, registryHost: null }) };
    expect(codes(run(allowNpm, subject('a', '1.0.0', [], { ...unrecorded, registryHost: 'mirror.example' })))).toEqual(['REGISTRY_NOT_ALLOWED']);
    expect(codes(run(allowNpm, subject('a', '1.0.0', [], unrecorded)))).toEqual([]);
  });

  const gitDep = (): PolicySubject => {
    const { facts: _omitted, ...rest } = subject('g', '1.0.0', [], { ref: ref('g', '1.0.0', { source: 'git', resolved: 'git+ssh://git@github.com/o/g.git#abc', registryHost: null }), registryHost: null });
    return rest;
  };

  it('origin findings record the allowed hosts and the host found, or the source', () => {
    const details = (policy: NormalizedPolicy, s: PolicySubject) => run(policy, s).packages[0]?.findings.map((f) => [f.code, f.details]);
    expect(details(allowNpm, subject('a', '1.0.0', [], { ref: ref('a', '1.0.0', { registryHost: 'evil.example' }) }))).toEqual([['REGISTRY_NOT_ALLOWED', { allowed: ['registry.npmjs.org'], got: 'evil.example' }]]);
    expect(details(oneRule({}, { sources: { git: 'deny' } }), gitDep())).toEqual([['SOURCE_DENIED', { source: 'git' }]]);
    expect(details(oneRule({}, { sources: { git: 'warn' } }), gitDep())).toEqual([['SOURCE_UNVERIFIABLE', { source: 'git' }]]);
  });

  it('sources: deny fails, warn reports under audit, allow says nothing; no evidence is asked of them', () => {
    expect(run(oneRule({ require: { provenance: true } }, { sources: { git: 'deny' } }), gitDep())).toMatchObject({ verdict: 'fail', packages: [{ findings: [{ code: 'SOURCE_DENIED', enforcement: 'strict' }] }] });
    expect(run(oneRule({}, { sources: { git: 'warn' } }), gitDep())).toMatchObject({ verdict: 'pass', packages: [{ findings: [{ code: 'SOURCE_UNVERIFIABLE', enforcement: 'audit' }] }] });
    expect(codes(run(oneRule({}, { sources: { git: 'allow' } }), gitDep()))).toEqual([]);
    expect(codes(run(oneRule({}), gitDep()))).toEqual(['SOURCE_UNVERIFIABLE']);
  });
});

describe('verdict', () => {
  it('incomplete when evidence is missing under strict; a registry package without evidence or a fetch finding fails closed', () => {
    const fetchFailed = subject('a', '1.0.0', [], { facts: undefined, verificationFindings: [{ code: 'FETCH_FAILED', message: 'timeout' }] });
    expect(run(oneRule({}), fetchFailed, subject('b', '1.0.0', [], { verificationFindings: [INVALID_SIG] })).verdict).toBe('incomplete');
    const noEvidence = subject('a', '1.0.0', [], { facts: undefined });
    expect(run(oneRule({}), noEvidence)).toMatchObject({ verdict: 'incomplete', packages: [{ findings: [{ code: 'FETCH_FAILED' }] }] });
    expect(run(oneRule({}, { enforcement: 'audit' }), fetchFailed).verdict).toBe('pass');
  });

  it('isIncompleteCode: evidence that could not be had or checked, nothing else', () => {
    expect(['FETCH_FAILED', 'OFFLINE_CACHE_MISS', 'VERIFICATION_ERROR'].map(isIncompleteCode)).toEqual([true, true, true]);
    expect(['INPUT_TOO_LARGE', 'SIGNATURE_INVALID', 'NO_EVIDENCE'].map(isIncompleteCode)).toEqual([false, false, false]);
  });

  it('a package whose evidence was refused (INPUT_TOO_LARGE) keeps that finding alone, and fails', () => {
    const tooLarge = subject('a', '1.0.0', [], { facts: undefined, verificationFindings: [{ code: 'INPUT_TOO_LARGE', message: 'over 16 MiB' }] });
    expect(codes(run(oneRule({}), tooLarge))).toEqual(['INPUT_TOO_LARGE']);
    expect(run(oneRule({}), tooLarge).verdict).toBe('fail');
  });

  it('a package whose verification could not run (VERIFICATION_ERROR) keeps that finding alone: incomplete, with or without facts', () => {
    const crashed = subject('a', '1.0.0', [], { facts: undefined, verificationFindings: [{ code: 'VERIFICATION_ERROR', message: 'worker exited' }] });
    expect(codes(run(oneRule({}), crashed))).toEqual(['VERIFICATION_ERROR']);
    expect(run(oneRule({}), crashed).verdict).toBe('incomplete');
    const bundleError = subject('a', '1.0.0', [], { verificationFindings: [{ code: 'VERIFICATION_ERROR', message: 'unexpected error' }] });
    expect(run(oneRule({}), bundleError).verdict).toBe('incomplete');
    expect(run(oneRule({}, { enforcement: 'audit' }), crashed).verdict).toBe('pass');
  });

  it('a bundled package is covered by its parent: no evidence asked of it', () => {
    const bundled = subject('a', '1.0.0', [], { facts: undefined, ref: ref('a', '1.0.0', { bundled: true }) });
    expect(run(oneRule({ require: { provenance: true } }, { registries: { allowed: ['other.example'] } }), bundled).verdict).toBe('pass');
  });
});

// evaluatePolicy and a registry that publishes no signing keys: a package with no verified
// evidence at all fails (NO_EVIDENCE) unless the policy accepts the registry unsigned.

import { describe, expect, it } from 'vitest';
import { evaluatePolicy, unsignedOptIn } from '../../src/policy/index.js';
import type { NormalizedPolicy, PolicySubject } from '../../src/policy/index.js';
import type { AttestationFacts } from '../../src/verify/types.js';
import { codes, facts, githubSigner, NOW, oneRule, policyOf, provenance, ref, REKOR, subject } from './_helpers.js';

const HOST = 'npm.internal.example:8443';
const run = (policy: NormalizedPolicy, ...subjects: PolicySubject[]) => evaluatePolicy({ subjects, trustedLogs: [REKOR] }, policy, NOW);
const SIGNATURE_MISSING = { code: 'SIGNATURE_MISSING' as const, message: 'no dist.signatures' };
// A package fetched from HOST, a registry without keys, with no signature.
const keyless = (attestations: AttestationFacts[] = [], over: Partial<PolicySubject> = {}): PolicySubject =>
  subject('a', '1.0.0', [], {
    ref: ref('a', '1.0.0', { registryHost: HOST }),
    registryHost: HOST,
    registryPublishesKeys: false,
    facts: facts('a', '1.0.0', attestations, 'missing'),
    verificationFindings: [SIGNATURE_MISSING, ...attestations.flatMap((a) => a.findings)],
    ...over,
  });

describe('NO_EVIDENCE: a registry that publishes no keys', () => {
  it('a package with neither a verified signature nor a verified attestation fails, naming the registry', () => {
    const decision = run(oneRule({}), keyless());
    expect(decision.verdict).toBe('fail');
    expect(decision.packages[0]?.findings).toMatchObject([{ code: 'NO_EVIDENCE', enforcement: 'strict', details: { registry: HOST, acceptedUnsigned: false } }]);
  });

  it('verified provenance is evidence: the package passes', () => {
    expect(codes(run(oneRule({}), keyless([provenance(githubSigner('org/a'))])))).toEqual([]);
  });

  it('a verified registry signature is evidence too, with or without attestations', () => {
    expect(codes(run(oneRule({}), keyless([], { facts: facts('a', '1.0.0', [], 'verified'), verificationFindings: [] })))).toEqual([]);
    const failed = provenance(githubSigner('org/a'), { status: 'failed' });
    expect(codes(run(oneRule({}), keyless([], { facts: facts('a', '1.0.0', [failed], 'verified'), verificationFindings: [] })))).toEqual([]);
  });

  it('one verified attestation among failed ones is evidence', () => {
    const failed = provenance(githubSigner('org/a'), { status: 'failed' });
    expect(codes(run(oneRule({}), keyless([], { facts: facts('a', '1.0.0', [failed, provenance(githubSigner('org/a'))], 'missing'), verificationFindings: [SIGNATURE_MISSING] })))).toEqual([]);
  });

  it('the registry it is fetched from is compared and recorded in lower case', () => {
    const shouting = keyless([], { registryHost: HOST.toUpperCase() });
    expect(run(oneRule({}, { registries: { unsigned: [HOST] } }), shouting).packages[0]?.findings).toMatchObject([{ code: 'NO_EVIDENCE', enforcement: 'audit', details: { registry: HOST, acceptedUnsigned: true } }]);
  });

  it('a package whose registry is not known fails, recorded with no registry and never accepted unsigned', () => {
    const unknown = keyless([], { ref: ref('a', '1.0.0', { registryHost: null, resolved: null }), registryHost: null });
    const decision = run(oneRule({}, { registries: { unsigned: [HOST] } }), unknown);
    expect(decision.packages[0]?.findings).toMatchObject([{ code: 'NO_EVIDENCE', enforcement: 'strict', details: { registry: null, acceptedUnsigned: false } }]);
  });

  it('an attestation that did not verify is no evidence: its own finding and NO_EVIDENCE', () => {
    const broken = provenance(githubSigner('org/a'), { status: 'failed', findings: [{ code: 'SIGNATURE_INVALID', message: 'bad' }] });
    expect(codes(run(oneRule({}), keyless([broken])))).toEqual(['SIGNATURE_INVALID', 'NO_EVIDENCE']);
  });

  it('a registry named in registries.unsigned passes, recorded as accepted unsigned (audit)', () => {
    const decision = run(oneRule({}, { registries: { unsigned: ['NPM.internal.example:8443'] } }), keyless());
    expect(decision.verdict).toBe('pass');
    expect(decision.packages[0]?.findings).toMatchObject([{ code: 'NO_EVIDENCE', enforcement: 'audit', details: { registry: HOST, acceptedUnsigned: true } }]);
  });

  it('registries.unsigned names a host as registries.allowed does: without its port it is another registry', () => {
    expect(run(oneRule({}, { registries: { unsigned: ['npm.internal.example'] } }), keyless()).verdict).toBe('fail');
  });

  it('registries.unsigned names the registry the package is fetched from (the one without keys), not the lockfile host', () => {
    const fromLockfile = keyless([], { ref: ref('a', '1.0.0', { registryHost: 'registry.npmjs.org' }) });
    expect(run(oneRule({}, { registries: { unsigned: ['registry.npmjs.org'] } }), fromLockfile).verdict).toBe('fail');
    expect(run(oneRule({}, { registries: { unsigned: [HOST] } }), fromLockfile).verdict).toBe('pass');
  });

  it('accepted unsigned waives nothing a rule requires', () => {
    const policy = oneRule({ require: { provenance: true } }, { registries: { unsigned: [HOST] } });
    expect(codes(run(policy, keyless()))).toEqual(['PROVENANCE_MISSING', 'NO_EVIDENCE']);
    expect(run(policy, keyless()).verdict).toBe('fail');
  });

  it('the identities format opts in inside "policy"', () => {
    const compact = (registries?: object) =>
      policyOf({ policy: { identities: [{ subject: `npm:${HOST}/other`, issuer: 'https://token.actions.githubusercontent.com' }], enforcement: 'strict', ...(registries ? { registries } : {}) } });
    expect(run(compact(), keyless()).verdict).toBe('fail');
    expect(run(compact({ unsigned: [HOST] }), keyless()).verdict).toBe('pass');
  });

  it('a registry that publishes keys and serves no signature stays SIGNATURE_MISSING, whatever registries.unsigned says', () => {
    const keyed = keyless([], { registryPublishesKeys: true });
    expect(codes(run(oneRule({}, { registries: { unsigned: [HOST] } }), keyed))).toEqual(['SIGNATURE_MISSING']);
  });

  it('evidence that could not be fetched stays FETCH_FAILED (incomplete), not NO_EVIDENCE', () => {
    const unfetched = keyless([], { facts: undefined, verificationFindings: [{ code: 'FETCH_FAILED', message: 'timeout' }] });
    expect(run(oneRule({}), unfetched)).toMatchObject({ verdict: 'incomplete', packages: [{ findings: [{ code: 'FETCH_FAILED' }] }] });
  });

  it('an exception may waive NO_EVIDENCE for one package', () => {
    const exception = { package: 'a@1.0.0', waive: ['NO_EVIDENCE'], reason: 'vendored, reviewed', approvedBy: 'sec@example.com', expires: '2027-01-01' };
    expect(run(oneRule({}, { exceptions: [exception] }), keyless()).verdict).toBe('pass');
  });
});

describe('unsignedOptIn: the policy text the hint offers', () => {
  it('is JSON that accepts the host unsigned, placed inside "policy" for the identities format only', () => {
    const rules = unsignedOptIn(HOST, 'rules');
    const identities = unsignedOptIn(HOST, 'identities');
    expect(JSON.parse(`{${rules.snippet}}`)).toEqual({ registries: { unsigned: [HOST] } });
    expect(identities.snippet).toBe(rules.snippet);
    expect(identities.place).toContain('"policy"');
    expect(rules.place).not.toContain('"policy"');
  });
});

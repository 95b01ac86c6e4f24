// The policy decision: a pure function of the evidence, the policy and the run's clock. No I/O,
// no logging; what it decides is data, for the CLI to render and the report to record.

import { checkDowngrade } from './check-downgrade.js';
import { checkEvidence } from './check-evidence.js';
import { checkOrigin } from './check-origin.js';
import { checkRequirements } from './check-requirements.js';
import { checkSigner } from './check-signer.js';
import { checkTransparencyLogs } from './check-tlog.js';
import { PolicyError } from './errors.js';
import { provenanceIdentities, type RawFinding } from './evidence.js';
import { applyExceptions, expiredExceptions, type ExceptionLedger } from './exceptions.js';
import { checkIdentityLock } from './identity-lock.js';
import { findRule } from './match.js';
import type { Enforcement, NormalizedPolicy, PackageDecision, PolicyDecision, PolicyFinding, PolicyInput, PolicySubject, PolicyVerdict } from './types.js';

// Evidence that could not be had, or verification that could not run (an unexpected error, a
// verifier that died): the gate fails closed as incomplete (exit 3), not as a judgement (exit 1).
const INCOMPLETE_CODES: ReadonlySet<string> = new Set(['FETCH_FAILED', 'OFFLINE_CACHE_MISS', 'VERIFICATION_ERROR']);

// True for a code that makes a strict verdict incomplete rather than fail.
export function isIncompleteCode(code: string): boolean {
  return INCOMPLETE_CODES.has(code);
}

// Judges every package by the first rule that matches it. Verification findings are failures
// unless waived (a missing signature from a registry that publishes no keys excepted: there
// NO_EVIDENCE judges whether anything verified); the rule adds its requirements and signer
// constraints; the policy its registry, evidence, source, log, downgrade and identity-lock
// checks. incomplete when evidence is missing or verification could not run under strict, else
// fail when any strict finding stands, else pass. Throws PolicyError (IDENTITY_LOCK_MISSING) when
// the policy names an identity lock and none is given: a lock that is silently absent pins nothing.
export function evaluatePolicy(input: PolicyInput, policy: NormalizedPolicy, now: Date): PolicyDecision {
  if (policy.identityLock !== null && input.identityLock === undefined) {
    throw new PolicyError('IDENTITY_LOCK_MISSING', `the policy names the identity lock ${policy.identityLock}, and none was given`, [{ path: '/identityLock', message: 'not loaded' }]);
  }
  const ledger: ExceptionLedger = new Map();
  const packages = input.subjects.map((subject) => evaluateSubject(subject, policy, input, now, ledger));
  return {
    verdict: toVerdict(packages),
    enforcement: policy.enforcement,
    packages,
    exceptionsUsed: policy.exceptions.flatMap((e) => ledger.get(e) ?? []),
  };
}

function evaluateSubject(subject: PolicySubject, policy: NormalizedPolicy, input: PolicyInput, now: Date, ledger: ExceptionLedger): PackageDecision {
  const { name, version } = subject.ref;
  const rule = findRule(subject, policy.rules);
  const enforcement: Enforcement = rule?.enforcement ?? policy.enforcement;
  const raw: RawFinding[] = [...passThrough(subject)];
  // A package bundled in a dependency's tarball is covered by that tarball's evidence.
  if (!subject.ref.bundled) {
    raw.push(...checkOrigin(subject, policy));
    const facts = subject.facts;
    if (subject.ref.source === 'registry' && facts !== undefined) {
      if (rule !== null) raw.push(...checkRequirements(subject, facts, rule), ...checkSigner(subject, provenanceIdentities(facts), rule));
      raw.push(...checkEvidence(subject, facts, policy));
      raw.push(...checkTransparencyLogs(facts, policy, input.trustedLogs), ...checkDowngrade(subject, facts, policy));
      if (input.identityLock !== undefined) raw.push(...checkIdentityLock(subject, facts, input.identityLock));
    }
  }
  raw.push(...expiredExceptions(name, version, policy.exceptions, now));
  const pkg = `${name}@${version}`;
  const all = raw.map((r): PolicyFinding => {
    const level: Enforcement = r.audit === true ? 'audit' : enforcement;
    return {
      code: r.code,
      message: `${pkg} ${level === 'strict' ? 'rejected' : 'flagged'}: ${r.code} — ${r.detail}`,
      package: pkg,
      rule: rule?.name ?? null,
      enforcement: level,
      ...(r.details === undefined ? {} : { details: r.details }),
    };
  });
  return { name, version, rule: rule?.name ?? null, ...applyExceptions(name, version, all, policy.exceptions, now, ledger) };
}

// Verification's findings. A registry package with no facts keeps the finding that says why
// (FETCH_FAILED, OFFLINE_CACHE_MISS, INPUT_TOO_LARGE, VERIFICATION_ERROR) alone; one with neither
// facts nor a finding fails closed as FETCH_FAILED: judged on no evidence, it would otherwise pass.
function passThrough(subject: PolicySubject): RawFinding[] {
  const findings: RawFinding[] = subject.verificationFindings
    .filter((f) => subject.registryPublishesKeys || f.code !== 'SIGNATURE_MISSING')
    .map((f) => ({ code: f.code, detail: f.message, ...(f.details === undefined ? {} : { details: f.details }) }));
  const evidenceExpected = subject.ref.source === 'registry' && !subject.ref.bundled;
  if (evidenceExpected && subject.facts === undefined && subject.verificationFindings.length === 0) {
    findings.push({ code: 'FETCH_FAILED', detail: 'expected the evidence of this registry package, got none' });
  }
  return findings;
}

function toVerdict(packages: readonly PackageDecision[]): PolicyVerdict {
  const strict = packages.flatMap((p) => p.findings).filter((f) => f.enforcement === 'strict');
  if (strict.some((f) => INCOMPLETE_CODES.has(f.code))) return 'incomplete';
  return strict.length > 0 ? 'fail' : 'pass';
}

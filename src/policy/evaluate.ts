// The policy decision: a pure function of the evidence, the policy and the run's clock. No I/O,
// no logging; what it decides is data, for the CLI to render and the report to record.

import { checkRuleCoverage } from './check-coverage.js';
import { checkDowngrade } from './check-downgrade.js';
import { checkEvidence } from './check-evidence.js';
import { checkInstallScripts } from './check-install-scripts.js';
import { decideInstallScripts } from './install-scripts.js';
import { getScriptApproval, type AllowScripts } from './allow-scripts.js';
import { checkOrigin } from './check-origin.js';
import { checkReleaseAge } from './check-release-age.js';
import { checkRequirements } from './check-requirements.js';
import { checkSigner } from './check-signer.js';
import { checkTransparencyLogs } from './check-tlog.js';
import { PolicyError } from './errors.js';
import { provenanceIdentities, type RawFinding } from './evidence.js';
import { applyExceptions, expiredExceptions, type ExceptionLedger } from './exceptions.js';
import { checkIdentityLock } from './identity-lock.js';
import { matchRules, type RuleMatch } from './match.js';
import { getVerification } from './verification.js';
import type { CheckFinding } from '../check/types.js';
import type { Enforcement, NormalizedPolicy, NormalizedRule, PackageDecision, PolicyDecision, PolicyFinding, PolicyInput, PolicySubject, PolicyVerdict } from './types.js';

// Evidence that could not be had, or verification that could not run (an unexpected error, a
// verifier that died): the gate fails closed as incomplete (exit 3), not as a judgement (exit 1).
const INCOMPLETE_CODES: ReadonlySet<string> = new Set(['FETCH_FAILED', 'OFFLINE_CACHE_MISS', 'VERIFICATION_ERROR']);

// A project without allowScripts: every package with install scripts is not reviewed.
const NO_APPROVALS: AllowScripts = {};

// True for a code that makes a strict verdict incomplete rather than fail.
export function isIncompleteCode(code: string): boolean {
  return INCOMPLETE_CODES.has(code);
}

// Judges every package by the first rule that matches it under each name it is installed as and
// each host it comes from (match.ts); in the rules format a registry package must meet a rule under
// each (NO_MATCHING_RULE). Verification findings are failures unless waived (a missing signature
// from a registry that publishes no keys excepted: there NO_EVIDENCE judges whether anything
// verified); every applying rule adds its requirements and signer constraints; the policy its
// registry, evidence, source, log, downgrade, release-cooldown and identity-lock checks. incomplete when evidence is
// missing or verification could not run under strict enforcement, else fail when any strict
// finding stands, else pass. Each package's decision also says whether it is verified
// (getVerification), the one answer every output uses. Throws PolicyError (IDENTITY_LOCK_MISSING) when
// the policy names an identity lock and none is given: a lock that is silently absent pins nothing.
export function evaluatePolicy(input: PolicyInput, policy: NormalizedPolicy, now: Date): PolicyDecision {
  if (policy.identityLock !== null && input.identityLock === undefined) {
    throw new PolicyError('IDENTITY_LOCK_MISSING', `the policy names the identity lock ${policy.identityLock}, and none was given`, [{ path: '/identityLock', message: 'not loaded' }]);
  }
  const ledger: ExceptionLedger = new Map();
  const allowScripts = input.allowScripts ?? NO_APPROVALS;
  const packages = input.subjects.map((subject) => evaluateSubject(subject, policy, input, now, ledger, allowScripts));
  const installScripts = decideInstallScripts(input, policy, packages);
  const strayInstalled = input.strayInstalled?.map((f) => toStrayFinding(f, policy.enforcement));
  return {
    verdict: toVerdict([...packages.flatMap((p) => p.findings), ...installScripts.findings, ...(strayInstalled ?? [])]),
    enforcement: policy.enforcement,
    packages,
    exceptionsUsed: policy.exceptions.flatMap((e) => ledger.get(e) ?? []),
    installScripts,
    ...(strayInstalled === undefined ? {} : { strayInstalled }),
  };
}

// What sits in node_modules without a lockfile entry belongs to no package a rule or exception
// could name: the policy's own enforcement judges it.
function toStrayFinding(f: CheckFinding, level: Enforcement): PolicyFinding {
  const path = `${String(f.details?.location)}/${String(f.details?.path)}`;
  return { code: f.code, message: `${path} ${level === 'strict' ? 'rejected' : 'flagged'}: ${f.code} — ${f.message}`, package: path, rule: null, enforcement: level, ...(f.details === undefined ? {} : { details: f.details }) };
}

// A finding and what judges it: the rule whose check raised it (null: the policy's own) and the
// enforcement it stands under.
interface Judged {
  raw: RawFinding;
  rule: NormalizedRule | null;
  enforcement: Enforcement;
}

function evaluateSubject(subject: PolicySubject, policy: NormalizedPolicy, input: PolicyInput, now: Date, ledger: ExceptionLedger, allowScripts: AllowScripts): PackageDecision {
  const { name, version } = subject.ref;
  const matches = matchRules(subject, policy.rules);
  const applied = appliedRules(matches);
  // The rule under the real name and the lockfile host when there is one: the one the report names.
  const primary = applied[0]?.rule ?? null;
  // The policy's own checks stand under the strictest rule that applies: any strict rule is strict.
  const enforcement: Enforcement = applied.length === 0 ? policy.enforcement : applied.some((a) => a.rule.enforcement === 'strict') ? 'strict' : 'audit';
  const own = (raw: RawFinding[], level = enforcement): Judged[] => raw.map((r) => ({ raw: r, rule: primary, enforcement: level }));
  const judged: Judged[] = own(passThrough(subject, policy));
  // A package bundled in a dependency's tarball is covered by that tarball's evidence.
  if (!subject.ref.bundled) {
    judged.push(...own(checkOrigin(subject, policy)));
    const facts = subject.facts;
    if (subject.ref.source === 'registry') {
      // Fail closed: a registry package no rule names would be judged by verification alone.
      if (policy.format === 'rules') judged.push(...own(checkRuleCoverage(matches, name), policy.enforcement));
      if (facts !== undefined) {
        for (const { rule, names } of applied) {
          const raw = [...checkRequirements(subject, facts, rule), ...checkSigner(subject, provenanceIdentities(facts), rule)];
          judged.push(...raw.map((r) => ({ raw: names.includes(name) ? r : underInstalledName(r, rule, names), rule, enforcement: rule.enforcement })));
        }
        judged.push(...own([...checkEvidence(subject, facts, policy), ...checkTransparencyLogs(facts, policy, input.trustedLogs), ...checkDowngrade(subject, facts, policy, now)]));
        judged.push(...own(checkReleaseAge(subject, facts, applied.map((a) => a.rule), policy, input.npmReleaseAge, now)));
        if (input.identityLock !== undefined) judged.push(...own(checkIdentityLock(subject, facts, input.identityLock)));
      }
    }
    if (subject.ref.hasInstallScript) judged.push(...own(checkInstallScripts(subject, getScriptApproval(subject.ref, allowScripts), policy, applied.map((a) => a.rule))));
  }
  judged.push(...own(expiredExceptions(name, version, policy.exceptions, now)));
  const pkg = `${name}@${version}`;
  const all = judged.map(({ raw: r, rule, enforcement: ruleLevel }): PolicyFinding => {
    const level: Enforcement = r.audit === true ? 'audit' : ruleLevel;
    return {
      code: r.code,
      message: `${pkg} ${level === 'strict' ? 'rejected' : 'flagged'}: ${r.code} — ${r.detail}`,
      package: pkg,
      rule: rule?.name ?? null,
      enforcement: level,
      ...(r.details === undefined ? {} : { details: r.details }),
    };
  });
  const decided = applyExceptions(name, version, all, policy.exceptions, now, ledger);
  return { name, version, rule: primary?.name ?? null, ...decided, verification: getVerification(subject, decided) };
}

// The distinct rules that apply, in match order, each with the names it applies under.
function appliedRules(matches: readonly RuleMatch[]): Array<{ rule: NormalizedRule; names: string[] }> {
  const applied = new Map<NormalizedRule, string[]>();
  for (const { rule, name } of matches) if (rule !== null) applied.set(rule, [...new Set([...(applied.get(rule) ?? []), name])]);
  return [...applied].map(([rule, names]) => ({ rule, names }));
}

// A rule that applies only under an alias name says so: the code is loaded under that name.
function underInstalledName(raw: RawFinding, rule: NormalizedRule, names: readonly string[]): RawFinding {
  return {
    ...raw,
    detail: `${raw.detail} (rule "${rule.name}" applies to ${names.join(', ')}, the name it is installed as)`,
    details: { ...raw.details, rule: rule.name, installedAs: [...names] },
  };
}

// Verification's findings. A registry package with no facts keeps the finding that says why
// (FETCH_FAILED, OFFLINE_CACHE_MISS, INPUT_TOO_LARGE, VERIFICATION_ERROR) alone; one with neither
// facts nor a finding fails closed as FETCH_FAILED: judged on no evidence, it would otherwise pass.
// A sha1-only pin verified through its tarball (INTEGRITY_WEAK_PIN) is a warning unless the
// policy denies weak pins (weakIntegrity). An optional package that is not installed
// (INSTALLED_PACKAGE_MISSING: npm skips one built for another platform) is a warning: no byte
// of it is on disk to be unverified.
function passThrough(subject: PolicySubject, policy: NormalizedPolicy): RawFinding[] {
  const findings: RawFinding[] = subject.verificationFindings
    .filter((f) => subject.registryPublishesKeys || f.code !== 'SIGNATURE_MISSING')
    .map((f) => ({
      code: f.code,
      detail: f.message,
      ...(f.details === undefined ? {} : { details: f.details }),
      ...(f.code === 'INTEGRITY_WEAK_PIN' && policy.weakIntegrity === 'warn' ? { audit: true } : {}),
      ...(f.code === 'INSTALLED_PACKAGE_MISSING' && f.details?.optional === true ? { audit: true } : {}),
    }));
  const evidenceExpected = subject.ref.source === 'registry' && !subject.ref.bundled;
  if (evidenceExpected && subject.facts === undefined && subject.verificationFindings.length === 0) {
    findings.push({ code: 'FETCH_FAILED', detail: 'expected the evidence of this registry package, got none' });
  }
  return findings;
}

function toVerdict(findings: readonly PolicyFinding[]): PolicyVerdict {
  const strict = findings.filter((f) => f.enforcement === 'strict');
  if (strict.some((f) => INCOMPLETE_CODES.has(f.code))) return 'incomplete';
  return strict.length > 0 ? 'fail' : 'pass';
}

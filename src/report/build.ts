import { isAbsolute, relative } from 'node:path';
import { canonicalJson, sha256Hex } from '../canonical-json.js';
import type { CheckResult, PackageOutcome } from '../check/index.js';
import { subjectRefs, type GateInputs, type GateResult, type LoadedPolicy } from '../gate/index.js';
import { getPublishingEvidence, isIncompleteCode, isPassedUnverified, type PackageDecision, type PolicyFinding } from '../policy/index.js';
import type { OmitType, PackageRef } from '../types.js';
import type { AttestationFacts, PackageFacts } from '../verify/types.js';
import type { CiContext } from './ci-context.js';
import type { Attestation, ComplianceReport, Evidence, Finding, NotVerifiedReason, Package, Verification } from './report.generated.js';

export type { ComplianceReport } from './report.generated.js';

export interface ReportContext {
  toolVersion: string;
  projectDir: string;
  ci?: CiContext;
  // The run's options that change what was checked (--rehash, --omit); default neither.
  options?: { rehash: boolean; installed?: boolean; omit: readonly OmitType[] };
}

// Why a run stopped: the error's stable code (INTERNAL_ERROR for a bug) and its one line.
export type RunError = NonNullable<ComplianceReport['error']>;

// Builds the compliance report from a gate run. Pure and deterministic: the same inputs give the
// same report, whether evidence came from the network or the cache (nothing about the run's
// speed or cache use is recorded).
export function buildReport(result: GateResult, context: ReportContext): ComplianceReport {
  const { check, decision, policy } = result;
  const refs = subjectRefs(check);
  const decisions = new Map(decision.packages.map((d, index) => [refs[index], d]));
  const outcomes = new Map(check.packages.map((o) => [o.ref, o]));
  const packages = check.inventory.packages.map((ref) => toPackage(ref, outcomes.get(ref), decisions.get(ref)));
  const notVerified = check.inventory.packages.flatMap((ref) => {
    const judged = decisions.get(ref);
    // A package the policy never judged is not verified either (fail closed), and not let through.
    return judged === undefined || !isPassedUnverified(judged) ? [] : [{ name: ref.name, version: ref.version, reasons: judged.verification.reasons.map(toReason) }];
  });
  const run = describeRun({ inventory: check.inventory, lockfileSha256: check.lockfileSha256, policy }, context);
  return {
    schemaVersion: 1,
    tool: run.tool,
    evaluatedAt: check.now,
    verdict: decision.verdict,
    enforcement: run.enforcement,
    policy: run.policy,
    lockfile: run.lockfile,
    trustedRoot: { origin: check.trust.trustedRootOrigin, sha256: check.trust.trustedRootSha256 },
    registries: check.registries.map((r) => ({ url: r.registry, keysOrigin: r.keysOrigin, publishesKeys: r.publishesKeys, ...(r.npmKeysOrigin === undefined ? {} : { npmKeysOrigin: r.npmKeysOrigin }) })),
    ...(context.ci === undefined ? {} : { ci: context.ci }),
    options: toOptions(context),
    counts: { ...toCounts(check, packages, notVerified.length, decision.exceptionsUsed.length), ...toOmitted(check.inventory) },
    packages,
    notVerified,
    exceptionsUsed: decision.exceptionsUsed.map((e) => ({ ...e, waive: [...e.waive] })),
    installScripts: {
      allowScripts: decision.installScripts.allowScripts,
      mayRun: decision.installScripts.mayRun.map((r) => ({ ...r, approvedBy: [...r.approvedBy] })),
      findings: decision.installScripts.findings.map(toFinding),
    },
    ...(decision.strayInstalled === undefined ? {} : { installedTree: { findings: decision.strayInstalled.map(toFinding) } }),
    observations: {
      signatureStrippingRegistries: check.signatureStrippingRegistries,
      warnings: [...check.inventory.warnings, ...policy.warnings],
    },
  };
}

// The report of a run that stopped on an error once the policy and the lockfile were read: what
// was read, every package unjudged (incomplete), and the error. Verdict incomplete, whatever the
// enforcement: a run that did not finish proves nothing.
export function buildFailedRunReport(inputs: GateInputs, now: Date, error: RunError, context: ReportContext): ComplianceReport {
  const { inventory, policy } = inputs;
  const packages = inventory.packages.map((ref) => toPackage(ref, undefined, undefined, 'incomplete'));
  const count = (keep: (ref: PackageRef) => boolean) => inventory.packages.filter(keep).length;
  const run = describeRun(inputs, context);
  return {
    schemaVersion: 1,
    tool: run.tool,
    evaluatedAt: now.toISOString(),
    verdict: 'incomplete',
    enforcement: run.enforcement,
    policy: run.policy,
    lockfile: run.lockfile,
    trustedRoot: null,
    registries: [],
    ...(context.ci === undefined ? {} : { ci: context.ci }),
    options: toOptions(context),
    counts: {
      packages: packages.length,
      checked: 0,
      verified: 0,
      passedWithoutVerifiedEvidence: 0,
      verifiedSignatures: 0,
      verifiedProvenance: 0,
      verifiedPublishAttestations: 0,
      noEvidence: 0,
      coveredByBundle: count((ref) => ref.source === 'registry' && ref.bundled),
      nonRegistry: count((ref) => ref.source !== 'registry'),
      failed: packages.length,
      findings: 0,
      waived: 0,
      exceptionsUsed: 0,
      ...toOmitted(inventory),
    },
    packages,
    notVerified: [],
    exceptionsUsed: [],
    error,
    observations: { signatureStrippingRegistries: [], warnings: [...inventory.warnings, ...policy.warnings] },
  };
}

function toOptions(context: ReportContext): NonNullable<ComplianceReport['options']> {
  return { rehash: context.options?.rehash ?? false, ...(context.options?.installed ? { installed: true as const } : {}), omit: [...(context.options?.omit ?? [])] };
}

// How many packages --omit left out, when it was given.
function toOmitted(inventory: GateInputs['inventory']): { omitted?: number } {
  return inventory.omitted === undefined ? {} : { omitted: inventory.omitted };
}

// What every report records of the run's inputs: the tool, the policy and the lockfile.
function describeRun(inputs: GateInputs, context: ReportContext): Pick<ComplianceReport, 'tool' | 'enforcement' | 'policy' | 'lockfile'> {
  const { inventory, lockfileSha256, policy } = inputs;
  return {
    tool: { name: 'verify-deps', version: context.toolVersion },
    enforcement: policy.policy.enforcement,
    policy: describePolicy(policy, context.projectDir),
    lockfile: {
      path: inventory.lockfile,
      lockfileVersion: inventory.lockfileVersion,
      ...(inventory.workspaces === undefined ? {} : { workspaces: { ...inventory.workspaces, names: [...inventory.workspaces.names] } }),
      sha256: lockfileSha256,
    },
  };
}

function describePolicy(policy: LoadedPolicy, projectDir: string): ComplianceReport['policy'] {
  return {
    origin: policy.source.origin,
    path: policy.source.origin === 'builtin' ? 'policies/default.json' : displayPath(projectDir, policy.source.path),
    sha256: policyDigest(policy.source.text),
    format: policy.policy.format,
  };
}

// The policy's digest is over its canonical JSON, so reformatting the file does not change it.
function policyDigest(text: string): string {
  try {
    return sha256Hex(canonicalJson(JSON.parse(text)));
  } catch {
    return sha256Hex(text);
  }
}

function toPackage(ref: PackageRef, outcome: PackageOutcome | undefined, decision: PackageDecision | undefined, verdict?: Package['verdict']): Package {
  const findings = (decision?.findings ?? []).map(toFinding);
  const waived = (decision?.waived ?? []).map(toFinding);
  return {
    name: ref.name,
    version: ref.version,
    resolved: ref.resolved,
    integrity: ref.integrity,
    source: ref.source,
    bundled: ref.bundled,
    locations: ref.locations,
    registry: outcome?.registry ?? null,
    rule: decision?.rule ?? null,
    verdict: verdict ?? toPackageVerdict(decision?.findings ?? []),
    findings,
    waived,
    verification: toVerification(decision),
    evidence: outcome?.facts === undefined ? null : toEvidence(outcome.facts, outcome.rehashed),
    // Only where the packument was read: without it nothing says how the version was published.
    ...(outcome?.facts === undefined || outcome.history === undefined ? {} : { publishing: getPublishingEvidence(outcome.facts, outcome.history.publishing) }),
  };
}

function toPackageVerdict(findings: readonly PolicyFinding[]): Package['verdict'] {
  const strict = findings.filter((f) => f.enforcement === 'strict');
  if (strict.some((f) => isIncompleteCode(f.code))) return 'incomplete';
  if (strict.length > 0) return 'fail';
  return findings.length > 0 ? 'flagged' : 'pass';
}

// The policy's verification, copied (the report owns its objects); a package the policy never
// judged is not verified.
function toVerification(decision: PackageDecision | undefined): Verification {
  if (decision === undefined) return { verified: false, verifiedBy: [], reasons: [{ kind: 'evidence-not-fetched' }] };
  const { verified, verifiedBy, reasons } = decision.verification;
  return { verified, verifiedBy: [...verifiedBy], reasons: reasons.map(toReason) };
}

function toReason(reason: PackageDecision['verification']['reasons'][number]): NotVerifiedReason {
  switch (reason.kind) {
    case 'findings-waived':
      return { kind: reason.kind, waived: reason.waived.map((w) => ({ code: w.code, exception: w.exception })) };
    case 'findings-standing':
      return { kind: reason.kind, codes: [...reason.codes] };
    case 'not-from-a-registry':
      return { kind: reason.kind, source: reason.source };
    default:
      return { kind: reason.kind };
  }
}

function toFinding(finding: PolicyFinding): Finding {
  return { code: finding.code, message: finding.message, enforcement: finding.enforcement, ...(finding.details === undefined ? {} : { details: finding.details }) };
}

function toEvidence(facts: PackageFacts, rehashed: string | undefined): Evidence {
  const signature = facts.registrySignature;
  const bound = facts.integrity.bound;
  return {
    ...(rehashed === undefined ? {} : { rehashed }),
    ...(bound === undefined ? {} : { boundThrough: 'download' as const, boundIntegrity: bound }),
    registrySignature: { status: signature.status, ...(signature.keyid === undefined ? {} : { keyid: signature.keyid }) },
    ...(facts.publishTime === undefined ? {} : { publishTime: { value: facts.publishTime.value, signed: facts.publishTime.signed, source: facts.publishTime.source } }),
    attestations: facts.attestations.map(toAttestation),
  };
}

function toAttestation(facts: AttestationFacts): Attestation {
  const signer = facts.signer;
  const extensions = signer?.kind === 'certificate' ? signer.extensions : {};
  return dropUndefined({
    predicateType: facts.predicateType,
    status: facts.status,
    bundleSha256: facts.bundleSha256,
    signer:
      signer === undefined
        ? undefined
        : signer.kind === 'certificate'
          ? dropUndefined({ issuer: signer.issuer, san: signer.subjectAlternativeName })
          : { keyid: signer.keyid },
    sourceRepository: extensions.sourceRepositoryURI,
    sourceCommit: extensions.sourceRepositoryDigest,
    sourceRef: extensions.sourceRepositoryRef,
    builder: extensions.buildSignerURI,
    runnerEnvironment: extensions.runnerEnvironment,
    buildTrigger: extensions.buildTrigger,
    tlog: facts.tlog.map((t) => dropUndefined({ logId: t.logId, logIndex: t.logIndex, integratedTime: t.integratedTime })),
  }) as Attestation;
}

function toCounts(check: CheckResult, packages: readonly Package[], passedWithoutVerifiedEvidence: number, exceptionsUsed: number): ComplianceReport['counts'] {
  const withRole = (prefix: string) =>
    check.packages.filter((o) => o.facts?.attestations.some((a) => a.status === 'verified' && a.predicateType.startsWith(prefix))).length;
  return {
    packages: packages.length,
    checked: check.packages.filter((o) => o.registry !== null).length,
    verified: packages.filter((p) => p.verification.verified).length,
    passedWithoutVerifiedEvidence,
    verifiedSignatures: check.packages.filter((o) => o.facts?.registrySignature.status === 'verified').length,
    verifiedProvenance: withRole('https://slsa.dev/provenance/'),
    verifiedPublishAttestations: withRole('https://github.com/npm/attestation/'),
    noEvidence: check.packages.filter((o) => o.facts !== undefined && o.facts.registrySignature.status === 'missing' && o.facts.attestations.length === 0).length,
    coveredByBundle: check.coveredByBundle.length,
    nonRegistry: check.nonRegistry.length,
    failed: packages.filter((p) => p.verdict === 'fail' || p.verdict === 'incomplete').length,
    findings: packages.reduce((sum, p) => sum + p.findings.length, 0),
    waived: packages.reduce((sum, p) => sum + p.waived.length, 0),
    exceptionsUsed,
  };
}

function displayPath(projectDir: string, path: string): string {
  const rel = relative(projectDir, path);
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

function dropUndefined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

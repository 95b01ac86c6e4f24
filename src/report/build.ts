import { isAbsolute, relative } from 'node:path';
import { canonicalJson, sha256Hex } from '../canonical-json.js';
import type { CheckResult, PackageOutcome } from '../check/index.js';
import { subjectRefs, type GateResult } from '../gate/index.js';
import { isIncompleteCode, type PackageDecision, type PolicyFinding } from '../policy/index.js';
import type { PackageRef } from '../types.js';
import type { AttestationFacts, PackageFacts } from '../verify/types.js';
import type { CiContext } from './ci-context.js';
import type { Attestation, ComplianceReport, Evidence, Finding, Package } from './report.generated.js';

export type { ComplianceReport } from './report.generated.js';

export interface ReportContext {
  toolVersion: string;
  projectDir: string;
  ci?: CiContext;
}

// Builds the compliance report from a gate run. Pure and deterministic: the same inputs give the
// same report, whether evidence came from the network or the cache (nothing about the run's
// speed or cache use is recorded).
export function buildReport(result: GateResult, context: ReportContext): ComplianceReport {
  const { check, decision, policy } = result;
  const refs = subjectRefs(check);
  const decisions = new Map(decision.packages.map((d, index) => [refs[index], d]));
  const outcomes = new Map(check.packages.map((o) => [o.ref, o]));
  const packages = check.inventory.packages.map((ref) => toPackage(ref, outcomes.get(ref), decisions.get(ref)));
  return {
    schemaVersion: 1,
    tool: { name: 'verify-deps', version: context.toolVersion },
    evaluatedAt: check.now,
    verdict: decision.verdict,
    enforcement: policy.policy.enforcement,
    policy: {
      origin: policy.source.origin,
      path: policy.source.origin === 'builtin' ? 'policies/default.json' : displayPath(context.projectDir, policy.source.path),
      sha256: policyDigest(policy.source.text),
      format: policy.policy.format,
    },
    lockfile: { path: check.inventory.lockfile, lockfileVersion: check.inventory.lockfileVersion, sha256: check.lockfileSha256 },
    trustedRoot: { origin: check.trust.trustedRootOrigin, sha256: check.trust.trustedRootSha256 },
    registries: check.registries.map((r) => ({ url: r.registry, keysOrigin: r.keysOrigin, publishesKeys: r.publishesKeys })),
    ...(context.ci === undefined ? {} : { ci: context.ci }),
    counts: toCounts(check, packages, decision.exceptionsUsed.length),
    packages,
    exceptionsUsed: decision.exceptionsUsed.map((e) => ({ ...e, waive: [...e.waive] })),
    observations: {
      signatureStrippingRegistries: check.signatureStrippingRegistries,
      warnings: [...check.inventory.warnings, ...policy.warnings],
    },
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

function toPackage(ref: PackageRef, outcome: PackageOutcome | undefined, decision: PackageDecision | undefined): Package {
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
    verdict: toPackageVerdict(decision?.findings ?? []),
    findings,
    waived,
    evidence: outcome?.facts === undefined ? null : toEvidence(outcome.facts),
  };
}

function toPackageVerdict(findings: readonly PolicyFinding[]): Package['verdict'] {
  const strict = findings.filter((f) => f.enforcement === 'strict');
  if (strict.some((f) => isIncompleteCode(f.code))) return 'incomplete';
  if (strict.length > 0) return 'fail';
  return findings.length > 0 ? 'flagged' : 'pass';
}

function toFinding(finding: PolicyFinding): Finding {
  return { code: finding.code, message: finding.message, enforcement: finding.enforcement, ...(finding.details === undefined ? {} : { details: finding.details }) };
}

function toEvidence(facts: PackageFacts): Evidence {
  const signature = facts.registrySignature;
  return {
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

function toCounts(check: CheckResult, packages: readonly Package[], exceptionsUsed: number): ComplianceReport['counts'] {
  const withRole = (prefix: string) =>
    check.packages.filter((o) => o.facts?.attestations.some((a) => a.status === 'verified' && a.predicateType.startsWith(prefix))).length;
  return {
    packages: packages.length,
    checked: check.packages.length,
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

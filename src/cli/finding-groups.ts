// The run seen from a CI job: the one-line diagnosis of the run (a registry that strips
// signatures or publishes no keys), then the findings grouped by code, worst first, with a few
// packages each and the fix. Every CI output and --quiet render this, so that a tree of 1,700
// packages behind a stripping mirror reads as one cause, not 1,700 lines.

import type { ComplianceReport } from '../report/build.js';
import { getFindingHint } from './finding-hints.js';
import { getPackageLine } from './lockfile-lines.js';

type Package = ComplianceReport['packages'][number];
type Finding = Package['findings'][number];

// One package's finding with where the package sits in the lockfile.
export interface LocatedFinding {
  pkg: string;
  line: number;
  finding: Finding;
}

// The findings of one code and one enforcement.
export interface FindingGroup {
  code: string;
  enforcement: 'strict' | 'audit';
  findings: LocatedFinding[];
  hint: string;
}

// A run-level cause, said once.
export interface Diagnosis {
  title: string;
  message: string;
}

// Worst first (as the human summary orders them): forged or mismatched evidence, broken evidence,
// the policy's requirements, absent evidence, evidence that could not be had.
export const SEVERITY: readonly string[] = [
  'SUBJECT_DIGEST_MISMATCH', 'INTEGRITY_MISMATCH', 'TARBALL_DIGEST_MISMATCH', 'INSTALLED_TREE_MODIFIED', 'SUBJECT_NAME_MISMATCH', 'PACKAGE_NAME_INVALID', 'SIGNATURE_INVALID', 'UNKNOWN_KEY', 'KEY_EXPIRED',
  'CERT_CHAIN_INVALID', 'TLOG_INVALID', 'CERT_WINDOW', 'FUTURE_TIMESTAMP', 'MISSING_INCLUSION_PROOF', 'PROVENANCE_AFTER_PUBLISH',
  'TIMESTAMP_INVALID', 'TIMESTAMP_MISSING', 'UNEXPECTED_SIGNER', 'PREDICATE_TYPE_MISMATCH', 'STATEMENT_MALFORMED', 'BUNDLE_MALFORMED',
  'ATTESTATIONS_MALFORMED', 'DUPLICATE_PREDICATE_TYPE', 'INPUT_TOO_LARGE', 'VERIFICATION_ERROR', 'IDENTITY_CHANGED', 'UNTRUSTED_SIGNER',
  'SOURCE_REPOSITORY_MISMATCH', 'BUILDER_MISMATCH', 'RUNNER_ENVIRONMENT_MISMATCH', 'BUILD_TRIGGER_MISMATCH', 'TLOG_NOT_PINNED',
  'TRUST_DOWNGRADE', 'RELEASE_TOO_NEW', 'RELEASE_AGE_UNKNOWN', 'SCRIPT_APPROVAL_UNVERIFIED', 'INSTALL_SCRIPT_UNVERIFIED', 'REGISTRY_NOT_ALLOWED', 'NO_MATCHING_RULE', 'SOURCE_DENIED', 'EXCEPTION_EXPIRED', 'PROVENANCE_MISSING', 'PUBLISH_ATTESTATION_MISSING',
  'ATTESTATIONS_MISSING', 'INTEGRITY_MISSING', 'INTEGRITY_WEAK_PIN', 'PUBLISH_TIME_UNKNOWN', 'SIGNATURE_MISSING', 'NO_EVIDENCE', 'SOURCE_UNVERIFIABLE', 'SCRIPT_APPROVAL_STALE', 'SCRIPT_NOT_APPROVED',
  'INSTALLED_PACKAGE_MISSING', 'FETCH_FAILED', 'OFFLINE_CACHE_MISS',
];

// The run-level causes: each registry that strips signatures, each keyless registry whose
// packages failed NO_EVIDENCE. Registry URLs come from the user's configuration, without credentials.
export function diagnoseRun(report: ComplianceReport): Diagnosis[] {
  const diagnoses: Diagnosis[] = [];
  for (const registry of report.observations.signatureStrippingRegistries) {
    const count = report.packages.filter((p) => p.registry === registry).length;
    diagnoses.push({
      title: 'registry strips signatures',
      message: `${registry} publishes signing keys but served none of its ${count} packages with a registry signature: it is most likely a mirror or proxy that strips dist.signatures and dist.attestations, so nothing could be verified. Point npm or --registry at a registry that passes them through.`,
    });
  }
  for (const { url } of report.registries.filter((r) => !r.publishesKeys)) {
    const failed = report.packages.filter((p) => p.registry === url && p.findings.some((f) => f.code === 'NO_EVIDENCE' && f.enforcement === 'strict')).length;
    if (failed === 0) continue;
    diagnoses.push({
      title: 'registry publishes no signing keys',
      message: `${url} publishes no signing keys, and ${failed} of its packages have no verified signature or attestation (NO_EVIDENCE). Use a registry that serves signatures or provenance, or, if you trust it, accept it unsigned in the policy (registries.unsigned).`,
    });
  }
  return diagnoses;
}

// The findings grouped by code and enforcement: strict before audit, worst code first.
export function groupFindings(report: ComplianceReport, lines: ReadonlyMap<string, number>): FindingGroup[] {
  const groups = new Map<string, FindingGroup>();
  // allowScripts' own findings (a stale approval) are named by the approval, at no lockfile line.
  const approvals = (report.installScripts?.findings ?? []).map((finding) => ({ name: 'allowScripts', version: String((finding.details as { approval?: unknown } | undefined)?.approval ?? ''), locations: [] as string[], findings: [finding] }));
  // What sits in node_modules without a lockfile entry is named by its path.
  const strays = (report.installedTree?.findings ?? []).map((finding) => {
    const { location, path } = (finding.details ?? {}) as { location?: unknown; path?: unknown };
    return { name: `${String(location)}/${String(path)}`, version: '', locations: [] as string[], findings: [finding] };
  });
  for (const p of [...report.packages, ...approvals, ...strays]) {
    for (const finding of p.findings) {
      const key = `${finding.enforcement}\0${finding.code}`;
      let group = groups.get(key);
      if (group === undefined) {
        group = { code: finding.code, enforcement: finding.enforcement, findings: [], hint: getFindingHint(finding.code) };
        groups.set(key, group);
      }
      group.findings.push({ pkg: p.version === '' ? p.name : `${p.name}@${p.version}`, line: getPackageLine(lines, p.locations), finding });
    }
  }
  const rank = (code: string): number => {
    const index = SEVERITY.indexOf(code);
    return index === -1 ? SEVERITY.length : index;
  };
  return [...groups.values()].sort((a, b) => (a.enforcement === b.enforcement ? 0 : a.enforcement === 'strict' ? -1 : 1) || rank(a.code) - rank(b.code) || (a.code < b.code ? -1 : 1));
}

// `CODE: N packages (a@1, b@2, c@3, … and N-3 more) — fix`: one line per group.
export function describeGroup(group: FindingGroup, examples: number): string {
  const names = [...new Set(group.findings.map((f) => f.pkg))];
  const more = names.length > examples ? `, … and ${names.length - examples} more` : '';
  return `${group.code}: ${names.length} ${names.length === 1 ? 'package' : 'packages'} (${names.slice(0, examples).join(', ')}${more}) — ${group.hint}`;
}

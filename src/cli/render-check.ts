import type { RegistryTrust } from '../check/index.js';
import type { GateResult } from '../gate/index.js';
import type { ComplianceReport } from '../report/build.js';
import { isPassedUnverified, type PolicyDecision, type PolicyFinding } from '../policy/index.js';
import { explainKeylessRegistries } from './render-keyless.js';
import { renderUnverifiedExamples, renderUnverifiedLine, type UnverifiedPackage } from './render-unverified.js';
import { describeOmitted, describeWorkspaces } from './render-inventory.js';
import { renderInstallScripts } from './render-install-scripts.js';
import { describeGroup, diagnoseRun, groupFindings, SEVERITY } from './finding-groups.js';
import { plural } from './plural.js';
import { toSafeText } from './safe-text.js';

const EXAMPLES_PER_CODE = 5;
const QUIET_EXAMPLES = 3;
const STRIPPED = 'SIGNATURE_MISSING: the registry strips signatures, see above';
const KEYLESS = 'NO_EVIDENCE: the registry publishes no signing keys, see above';

// Findings the summary explains once above, grouped under one line instead of listed.
interface Collapsed {
  code: string;
  packages: ReadonlySet<string>;
  label: string;
}

// The human summary of a gate run on stderr: what was read and judged by which policy, what
// verified, what passed without verified evidence (and why), what failed (grouped by code, worst
// first, a few examples each: every one is in --json and the report). The verdict comes last,
// after the outputs (renderVerdict). Every count is the report's (its counts, its packages), so
// the summary and the report never disagree.
export function renderGateSummary(result: GateResult, report: ComplianceReport): string {
  const { check, decision, policy } = result;
  // The run-level cause comes first: it explains every finding below it.
  const lines: string[] = [];
  for (const registry of check.signatureStrippingRegistries) {
    const count = check.packages.filter((o) => o.registry === registry).length;
    lines.push(`${registry} publishes signing keys, but served none of these ${plural(count, 'package')} with a registry signature.`);
    lines.push('It is most likely a mirror or proxy that strips dist.signatures and dist.attestations, so nothing');
    lines.push('could be verified. Point verify-deps (--registry URL) or npm at a registry that passes them through.', '');
  }
  const keyless = explainKeylessRegistries(result);
  lines.push(...keyless.lines.slice(keyless.lines[0] === '' ? 1 : 0), ...(keyless.lines.length > 0 ? [''] : []));
  lines.push(...describeInputs(result, report));
  const findings = [...decision.packages.flatMap((p) => p.findings), ...decision.installScripts.findings, ...(decision.strayInstalled ?? [])];
  const strippedPackages = new Set(check.packages.filter((o) => o.registry !== null && check.signatureStrippingRegistries.includes(o.registry)).map((o) => `${o.ref.name}@${o.ref.version}`));
  const collapsed: Collapsed[] = [
    { code: 'SIGNATURE_MISSING', packages: strippedPackages, label: STRIPPED },
    { code: 'NO_EVIDENCE', packages: keyless.packages, label: KEYLESS },
  ];
  const strict = findings.filter((f) => f.enforcement === 'strict');
  const audit = findings.filter((f) => f.enforcement === 'audit');
  if (strict.length > 0) {
    const strays = (decision.strayInstalled ?? []).filter((f) => f.enforcement === 'strict').length;
    const failed = `${plural(report.counts.failed, 'package')}${strays > 0 ? ` and ${plural(strays, 'node_modules entry', 'node_modules entries')}` : ''}`;
    lines.push('', `${failed} failed:`, ...renderGroups(strict, collapsed));
  }
  if (audit.length > 0) {
    const heading = policy.policy.enforcement === 'audit' ? 'reported (audit mode: nothing blocks):' : 'reported, not blocking:';
    const reported = report.packages.filter((p) => p.findings.some((f) => f.enforcement === 'audit')).length;
    lines.push('', `${plural(reported, 'package')} ${heading}`, ...renderGroups(audit, collapsed));
  }
  for (const used of decision.exceptionsUsed) {
    lines.push(`exception used: ${used.package} waives ${used.waive.join(', ')} until ${used.expires} (${used.reason}; approved by ${used.approvedBy}): ${plural(used.waived, 'finding')} waived`);
  }
  return `${lines.join('\n')}\n`;
}

// --quiet: the run's diagnosis, the failures grouped by code (how many, the first few, the fix)
// and how many passed without verified evidence: a handful of lines, whatever the tree's size.
export function renderQuietSummary(report: ComplianceReport): string {
  const lines = diagnoseRun(report).map((d) => toSafeText(d.message));
  for (const group of groupFindings(report, new Map()).filter((g) => g.enforcement === 'strict')) lines.push(toSafeText(describeGroup(group, QUIET_EXAMPLES)));
  if (report.notVerified.length > 0) lines.push(renderUnverifiedLine(report.notVerified));
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

// The last line of every run.
export function renderVerdict(result: GateResult): string {
  return `\n${VERDICT_LINES[result.decision.verdict]}\n`;
}

// The last line of a run that stopped on an error once the lockfile was read.
export function renderStoppedVerdict(): string {
  return '\nverdict: INCOMPLETE — the run stopped on the error above, so the gate fails closed (exit 3)\n';
}

function describeInputs({ check, policy }: GateResult, report: ComplianceReport): string[] {
  const { counts, notVerified, options } = report;
  const { inventory } = check;
  const version = inventory.lockfileVersion === null ? '' : ` (lockfileVersion ${inventory.lockfileVersion})`;
  const lines = [`verify-deps: read ${inventory.lockfile}${version}${describeWorkspaces(inventory)}: ${plural(counts.packages, 'distinct package')}`];
  const omitted = describeOmitted(counts.omitted, options?.omit ?? []);
  if (omitted !== '') lines.push(`  ${omitted}`);
  const origin = policy.source.origin === 'builtin' ? 'the default policy' : policy.source.path;
  lines.push(`  policy: ${origin} (${policy.policy.enforcement})`);
  for (const warning of [...inventory.warnings, ...policy.warnings, ...check.warnings]) lines.push(`warning: ${warning}`);
  for (const registry of check.registries) {
    const count = check.packages.filter((o) => o.registry === registry.registry).length;
    lines.push(`  ${count} checked against ${registry.registry} (signing keys: ${describeKeys(registry.keysOrigin)}${describeNpmKeys(registry)})`);
  }
  if (check.trust.refreshError) {
    const copy = check.trust.trustedRootOrigin === 'tuf-cached' ? 'the last copy verified through TUF, from the cache' : 'embedded copy';
    lines.push(`  Sigstore trust root: ${copy} (refresh failed: ${check.trust.refreshError})`);
  }
  lines.push(`  verified: ${plural(counts.verified, 'package')} (${countVerifiedEvidence(counts)})`);
  const unverified: UnverifiedPackage[] = notVerified;
  lines.push(`  ${renderUnverifiedLine(unverified)}`, ...renderUnverifiedExamples(unverified).map((line) => `    ${line}`));
  lines.push(...renderInstallScripts(report));
  if (check.coveredByBundle.length) lines.push(`  ${check.coveredByBundle.length} bundled inside a dependency's tarball (covered by that tarball)`);
  if (check.nonRegistry.length) {
    lines.push(`  ${check.nonRegistry.length} not from a registry (no signatures or provenance exist for these):`);
    for (const ref of check.nonRegistry) lines.push(`    ${ref.source.padEnd(10)} ${toSafeText(`${ref.name}${ref.version ? `@${ref.version}` : ''}${ref.resolved ? `  ${ref.resolved}` : ''}`)}`);
  }
  return lines;
}

function passedUnverified(decision: PolicyDecision): UnverifiedPackage[] {
  return decision.packages.filter(isPassedUnverified).map((p) => ({ name: p.name, version: p.version, reasons: p.verification.reasons }));
}

function countVerifiedEvidence(counts: ComplianceReport['counts']): string {
  return `${plural(counts.verifiedSignatures, 'registry signature')}, provenance of ${plural(counts.verifiedProvenance, 'package')}, publish attestations of ${counts.verifiedPublishAttestations}`;
}

function renderGroups(findings: readonly PolicyFinding[], collapsed: readonly Collapsed[]): string[] {
  const groups = new Map<string, PolicyFinding[]>();
  const labels = new Set(collapsed.map((c) => c.label));
  for (const finding of findings) {
    const code = collapsed.find((c) => c.code === finding.code && c.packages.has(finding.package))?.label ?? finding.code;
    groups.set(code, [...(groups.get(code) ?? []), finding]);
  }
  const rank = (code: string): number => {
    const index = SEVERITY.indexOf(code.split(':')[0] ?? code);
    return index === -1 ? SEVERITY.length : index;
  };
  const lines: string[] = [];
  for (const [code, items] of [...groups.entries()].sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : 1))) {
    lines.push(`  ${code} (${items.length})`);
    if (labels.has(code)) continue;
    for (const finding of items.slice(0, EXAMPLES_PER_CODE)) lines.push(`    ${toSafeText(finding.message)}`);
    if (items.length > EXAMPLES_PER_CODE) lines.push(`    … and ${items.length - EXAMPLES_PER_CODE} more (every one is in --json)`);
  }
  return lines;
}

const VERDICT_LINES: Record<GateResult['decision']['verdict'], string> = {
  pass: 'verdict: PASS',
  fail: 'verdict: FAIL (exit 1)',
  incomplete: 'verdict: INCOMPLETE — some packages could not be checked, so the gate fails closed (exit 3)',
};

// npm's keys accepted beside a registry's own: said so, since a proxy's signatures verify with them.
function describeNpmKeys(registry: RegistryTrust): string {
  if (registry.npmKeysOrigin === undefined) return '';
  const where = describeTufCopy(registry.npmKeysOrigin);
  return registry.publishesKeys
    ? `; also npm's keys from ${where}, for signatures that carry npm's key ids`
    : `; npm's keys from ${where} for the signatures it passes through that carry npm's key ids`;
}

function describeTufCopy(origin: 'tuf-refreshed' | 'tuf-cached' | 'tuf-embedded'): string {
  if (origin === 'tuf-refreshed') return "Sigstore's TUF repository";
  if (origin === 'tuf-cached') return "the last copy verified through Sigstore's TUF repository (cached)";
  return 'the Sigstore TUF copy embedded in @sigstore/tuf';
}

function describeKeys(origin: string): string {
  switch (origin) {
    case 'tuf-embedded':
    case 'tuf-refreshed':
    case 'tuf-cached':
      return `npm's keys from ${describeTufCopy(origin)}`;
    case 'file':
      return '--registry-keys';
    case 'registry':
      return 'the registry /-/npm/v1/keys';
    default:
      return 'none published';
  }
}

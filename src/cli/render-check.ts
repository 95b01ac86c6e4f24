import type { CheckFinding, CheckResult, PackageOutcome } from '../check/index.js';

// Worst first: forged or mismatched evidence, then broken evidence, then absent evidence, then
// evidence that could not be had.
const SEVERITY: readonly string[] = [
  'SUBJECT_DIGEST_MISMATCH', 'INTEGRITY_MISMATCH', 'SUBJECT_NAME_MISMATCH', 'SIGNATURE_INVALID', 'UNKNOWN_KEY',
  'KEY_EXPIRED', 'CERT_CHAIN_INVALID', 'TLOG_INVALID', 'CERT_WINDOW', 'FUTURE_TIMESTAMP', 'MISSING_INCLUSION_PROOF',
  'PROVENANCE_AFTER_PUBLISH', 'TIMESTAMP_INVALID', 'TIMESTAMP_MISSING', 'UNEXPECTED_SIGNER', 'PREDICATE_TYPE_MISMATCH',
  'STATEMENT_MALFORMED', 'BUNDLE_MALFORMED', 'ATTESTATIONS_MALFORMED', 'DUPLICATE_PREDICATE_TYPE', 'VERIFICATION_ERROR',
  'ATTESTATIONS_MISSING', 'INTEGRITY_MISSING', 'PUBLISH_TIME_UNKNOWN', 'SIGNATURE_MISSING', 'FETCH_FAILED', 'OFFLINE_CACHE_MISS',
];
const EXAMPLES_PER_CODE = 5;
const STRIPPED = 'SIGNATURE_MISSING: the registry strips signatures, see above';

// The human summary of a check on stderr: what was read, what verified, what failed (grouped by
// code, a few examples each: the full list is in --json), and the verdict.
export function renderCheckSummary(result: CheckResult): string {
  const lines: string[] = [];
  const { inventory } = result;
  const version = inventory.lockfileVersion === null ? '' : ` (lockfileVersion ${inventory.lockfileVersion})`;
  lines.push(`verify-deps: read ${inventory.lockfile}${version}: ${inventory.packages.length} distinct packages`);
  for (const warning of [...inventory.warnings, ...result.warnings]) lines.push(`warning: ${warning}`);
  for (const registry of result.registries) {
    const count = result.packages.filter((o) => o.registry === registry.registry).length;
    lines.push(`  ${count} checked against ${registry.registry} (signing keys: ${describeKeys(registry.keysOrigin)})`);
  }
  if (result.trust.refreshError) lines.push(`  Sigstore trust root: embedded copy (refresh failed: ${result.trust.refreshError})`);
  const signatures = result.packages.filter((o) => o.facts?.registrySignature.status === 'verified').length;
  const provenance = result.packages.filter((o) => o.facts?.attestations.some((a) => a.status === 'verified')).length;
  lines.push(`  verified: ${signatures} registry signatures; provenance or publish attestations for ${provenance} packages`);
  if (result.coveredByBundle.length) lines.push(`  ${result.coveredByBundle.length} bundled inside a dependency's tarball (covered by that tarball)`);
  if (result.nonRegistry.length) {
    lines.push(`  ${result.nonRegistry.length} not from a registry (no signatures or provenance exist for these):`);
    for (const ref of result.nonRegistry) lines.push(`    ${ref.source.padEnd(10)} ${ref.name}${ref.version ? `@${ref.version}` : ''}${ref.resolved ? `  ${ref.resolved}` : ''}`);
  }

  for (const registry of result.signatureStrippingRegistries) {
    const count = result.packages.filter((o) => o.registry === registry).length;
    lines.push('');
    lines.push(`${registry} publishes signing keys, but served none of these ${count} packages with a registry signature.`);
    lines.push('It is most likely a mirror or proxy that strips dist.signatures and dist.attestations, so nothing');
    lines.push('could be verified. Point verify-deps (--registry URL) or npm at a registry that passes them through.');
  }

  const groups = groupByCode(result.packages, new Set(result.signatureStrippingRegistries));
  if (groups.length > 0) {
    const failing = result.packages.filter((o) => o.findings.length > 0).length;
    lines.push('');
    lines.push(`${failing} packages failed:`);
    for (const [code, items] of groups) {
      lines.push(`  ${code} (${items.length})`);
      if (code.startsWith(STRIPPED)) continue;
      for (const { outcome, finding } of items.slice(0, EXAMPLES_PER_CODE)) {
        lines.push(`    ${outcome.ref.name}@${outcome.ref.version}: ${finding.message}`);
      }
      if (items.length > EXAMPLES_PER_CODE) lines.push(`    … and ${items.length - EXAMPLES_PER_CODE} more (every one is in --json)`);
    }
  }
  lines.push('');
  lines.push(VERDICT_LINES[result.verdict]);
  return `${lines.join('\n')}\n`;
}

const VERDICT_LINES: Record<CheckResult['verdict'], string> = {
  pass: 'verdict: PASS',
  fail: 'verdict: FAIL (exit 1)',
  incomplete: 'verdict: INCOMPLETE — some packages could not be checked, so the gate fails closed (exit 3)',
};

function describeKeys(origin: string): string {
  switch (origin) {
    case 'tuf-embedded':
      return "npm's keys from the Sigstore TUF copy embedded in @sigstore/tuf";
    case 'tuf-refreshed':
      return "npm's keys from Sigstore's TUF repository";
    case 'file':
      return '--registry-keys';
    case 'registry':
      return 'the registry /-/npm/v1/keys';
    default:
      return 'none published';
  }
}

// Signature-missing lines for a stripping registry are replaced by the one explanation above.
function groupByCode(outcomes: readonly PackageOutcome[], stripping: ReadonlySet<string>): Array<[string, Array<{ outcome: PackageOutcome; finding: CheckFinding }>]> {
  const groups = new Map<string, Array<{ outcome: PackageOutcome; finding: CheckFinding }>>();
  for (const outcome of outcomes) {
    for (const finding of outcome.findings) {
      const code = finding.code === 'SIGNATURE_MISSING' && stripping.has(outcome.registry) ? STRIPPED : finding.code;
      const group = groups.get(code) ?? [];
      group.push({ outcome, finding });
      groups.set(code, group);
    }
  }
  const rank = (code: string): number => {
    const index = SEVERITY.indexOf(code.split(' ')[0] ?? code);
    return index === -1 ? SEVERITY.length : index;
  };
  return [...groups.entries()].sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : 1));
}

// The --json document of a check: every package with its facts and findings.
export function toCheckJson(result: CheckResult): Record<string, unknown> {
  return {
    schemaVersion: 1,
    verdict: result.verdict,
    now: result.now,
    lockfile: result.inventory.lockfile,
    lockfileVersion: result.inventory.lockfileVersion,
    trust: result.trust,
    registries: result.registries,
    signatureStrippingRegistries: result.signatureStrippingRegistries,
    requests: result.requests,
    warnings: [...result.inventory.warnings, ...result.warnings],
    packages: result.packages.map((o) => ({
      name: o.ref.name,
      version: o.ref.version,
      integrity: o.ref.integrity,
      registry: o.registry,
      fromCache: o.fromCache,
      locations: o.ref.locations,
      findings: o.findings,
      facts: o.facts ?? null,
    })),
    coveredByBundle: result.coveredByBundle.map((ref) => ({ name: ref.name, version: ref.version, locations: ref.locations })),
    nonRegistry: result.nonRegistry.map((ref) => ({ name: ref.name, version: ref.version, source: ref.source, resolved: ref.resolved })),
  };
}

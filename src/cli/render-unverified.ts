// The line every summary prints about the packages the gate let through unverified (the policy's
// and the report's notVerified): how many, and why, so that a pass never reads as "all verified".

import type { NotVerifiedKind } from '../policy/index.js';
import { plural } from './plural.js';
import { toSafeText } from './safe-text.js';

export interface UnverifiedPackage {
  name: string;
  version: string;
  reasons: ReadonlyArray<{ kind: NotVerifiedKind }>;
}

const EXAMPLES_PER_REASON = 5;

const REASON_LABELS: Record<NotVerifiedKind, string> = {
  'registry-publishes-no-keys': 'from a registry that publishes no signing keys, with no verified attestation',
  'no-verified-evidence': 'no registry signature or attestation verified',
  'findings-waived': 'findings waived by an exception',
  'findings-standing': 'findings reported',
  'evidence-not-fetched': 'evidence could not be fetched',
  'not-from-a-registry': 'not from a registry',
  bundled: "bundled inside another package's tarball",
};

// `passed without verified evidence: N packages (reason: count, …)`: one line, for every output.
export function renderUnverifiedLine(packages: readonly UnverifiedPackage[]): string {
  const counts = countByReason(packages);
  const why = [...counts].map(([kind, count]) => `${REASON_LABELS[kind]}: ${count}`).join('; ');
  return `passed without verified evidence: ${plural(packages.length, 'package')}${why === '' ? '' : ` (${why})`}`;
}

// A few packages of each reason, for the human summary (every one is in the report).
export function renderUnverifiedExamples(packages: readonly UnverifiedPackage[]): string[] {
  const lines: string[] = [];
  for (const kind of countByReason(packages).keys()) {
    const named = packages.filter((p) => p.reasons.some((r) => r.kind === kind)).map((p) => `${p.name}@${p.version}`);
    const more = named.length > EXAMPLES_PER_REASON ? `, … and ${named.length - EXAMPLES_PER_REASON} more (every one is in the report's notVerified)` : '';
    lines.push(toSafeText(`${REASON_LABELS[kind]}: ${named.slice(0, EXAMPLES_PER_REASON).join(', ')}${more}`));
  }
  return lines;
}

// Reasons in a fixed order (the label table's), each with how many packages give it.
function countByReason(packages: readonly UnverifiedPackage[]): Map<NotVerifiedKind, number> {
  const counts = new Map<NotVerifiedKind, number>();
  for (const kind of Object.keys(REASON_LABELS) as NotVerifiedKind[]) {
    const count = packages.filter((p) => p.reasons.some((r) => r.kind === kind)).length;
    if (count > 0) counts.set(kind, count);
  }
  return counts;
}

import { PROJECT_POLICY_FILE, type GateResult } from '../gate/index.js';
import { unsignedOptIn } from '../policy/index.js';
import { plural } from './plural.js';

// What the summary says once about a registry that publishes no signing keys, and the packages
// whose NO_EVIDENCE findings that explanation stands for.
export interface KeylessExplanation {
  lines: string[];
  packages: Set<string>;
}

// Registries that publish no signing keys and served packages with no verified evidence: said
// once, plainly, with the policy text that accepts them unsigned, instead of once per package.
export function explainKeylessRegistries({ check, decision, policy }: GateResult): KeylessExplanation {
  const lines: string[] = [];
  const packages = new Set<string>();
  for (const { registry } of check.registries.filter((r) => !r.publishesKeys)) {
    const names = new Set(check.packages.filter((o) => o.registry === registry).map((o) => `${o.ref.name}@${o.ref.version}`));
    const unverified = decision.packages.flatMap((p) => p.findings).filter((f) => f.code === 'NO_EVIDENCE' && names.has(f.package));
    if (unverified.length === 0) continue;
    for (const finding of unverified) packages.add(finding.package);
    const host = new URL(registry).host;
    const accepted = unverified.filter((f) => f.details?.acceptedUnsigned === true).length;
    const rejected = unverified.length - accepted;
    if (rejected > 0) {
      const { snippet, place } = unsignedOptIn(host, policy.policy.format);
      const file = policy.source.origin === 'builtin' ? `${PROJECT_POLICY_FILE}, which \`verify-deps init\` writes` : policy.source.path;
      lines.push('', `${registry} publishes no signing keys, and served ${rejected} of these ${plural(names.size, 'package')} with no registry`);
      lines.push('signature or attestation that verified: nothing about them was verified, so they fail (NO_EVIDENCE).');
      lines.push(`If you trust this registry's packages unverified, add ${place} (${file}):`, `  ${snippet}`);
    }
    if (accepted > 0) {
      lines.push('', `${registry} publishes no signing keys; the policy accepts it unsigned (registries.unsigned),`);
      lines.push(`so ${plural(accepted, 'package')} passed without verified evidence.`);
    }
  }
  return { lines, packages };
}

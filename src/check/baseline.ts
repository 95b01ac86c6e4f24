import type { PackageFacts } from '../verify/types.js';
import type { CheckFinding, PackageOutcome, RegistryTrust, Verdict } from './types.js';

// The built-in judgement until a policy is given: every finding of verification is a failure,
// except a missing signature from a registry that publishes no keys (nothing could sign it).
// Pure: facts in, findings out.
export function judgeBaseline(facts: PackageFacts, registry: RegistryTrust): CheckFinding[] {
  return facts.findings.filter((finding) => registry.publishesKeys || finding.code !== 'SIGNATURE_MISSING');
}

// incomplete when any package could not be checked (the gate fails closed), else fail when any
// package has a finding, else pass.
export function toVerdict(outcomes: readonly PackageOutcome[]): Verdict {
  if (outcomes.some((o) => o.findings.some((f) => f.code === 'FETCH_FAILED' || f.code === 'OFFLINE_CACHE_MISS'))) return 'incomplete';
  return outcomes.some((o) => o.findings.length > 0) ? 'fail' : 'pass';
}

// Registries with keys where not one package carried a signature: almost certainly a mirror or
// proxy that strips `dist.signatures` (as this project's own development mirror does).
export function findSignatureStrippingRegistries(outcomes: readonly PackageOutcome[], registries: readonly RegistryTrust[]): string[] {
  return registries
    .filter((r) => r.publishesKeys)
    .map((r) => r.registry)
    .filter((registry) => {
      const fetched = outcomes.filter((o) => o.registry === registry && o.facts !== undefined);
      return fetched.length > 0 && fetched.every((o) => o.facts?.registrySignature.status === 'missing');
    });
}

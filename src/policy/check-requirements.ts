// A rule's `require`: evidence that must be present AND verified.

import type { AttestationRole } from '../verify/attestation/role.js';
import type { PackageFacts } from '../verify/types.js';
import { attestationsOf, verifiedOf, type RawFinding } from './evidence.js';
import type { NormalizedRule, PolicySubject } from './types.js';

// Checks the evidence a rule requires. A missing signature from a registry that publishes keys
// is already a verification finding; from one that publishes none it is a finding only here,
// when the rule requires a signature.
export function checkRequirements(subject: PolicySubject, facts: PackageFacts, rule: NormalizedRule): RawFinding[] {
  const findings: RawFinding[] = [];
  if (rule.require.registrySignature && facts.registrySignature.status === 'missing' && !subject.registryPublishesKeys) {
    findings.push({ code: 'SIGNATURE_MISSING', detail: `expected a registry signature (rule "${rule.name}" requires one), got none: the registry publishes no signing keys` });
  }
  if (rule.require.provenance) findings.push(...requireVerified(facts, 'provenance', 'PROVENANCE_MISSING', rule));
  if (rule.require.publishAttestation) findings.push(...requireVerified(facts, 'publish', 'PUBLISH_ATTESTATION_MISSING', rule));
  return findings;
}

function requireVerified(facts: PackageFacts, role: AttestationRole, code: RawFinding['code'], rule: NormalizedRule): RawFinding[] {
  if (verifiedOf(facts, role).length > 0) return [];
  const what = role === 'provenance' ? 'provenance' : 'publish attestation';
  const present = attestationsOf(facts, role).length;
  const got = present > 0 ? `a ${what} that failed verification` : facts.attestationsAdvertised ? `none (advertised, none usable)` : 'none';
  return [{ code, detail: `expected a verified ${what} (rule "${rule.name}" requires one), got ${got}`, details: { present } }];
}

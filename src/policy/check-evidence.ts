// Whether a package from a registry that publishes no signing keys carries any verified evidence
// at all. Such a registry (a private registry, or a proxy that 404s /-/npm/v1/keys and strips
// signatures) can sign nothing, so a missing signature says nothing; but a package with no
// verified signature and no verified attestation was not verified, and must not pass as if it were.

import type { PackageFacts } from '../verify/types.js';
import type { RawFinding } from './evidence.js';
import type { NormalizedPolicy, PolicySubject } from './types.js';

// Fails (NO_EVIDENCE) a registry package without verified evidence from a keyless registry,
// unless the policy accepts that registry unsigned: then the finding is kept under audit, so the
// package passes and the decision still records that nothing about it was verified.
export function checkEvidence(subject: PolicySubject, facts: PackageFacts, policy: NormalizedPolicy): RawFinding[] {
  // A registry with keys could have signed: its missing signature is SIGNATURE_MISSING already.
  if (subject.registryPublishesKeys) return [];
  if (facts.registrySignature.status === 'verified' || facts.attestations.some((a) => a.status === 'verified')) return [];
  // The registry the evidence was fetched from is the one that publishes no keys.
  const registry = subject.registryHost?.toLowerCase() ?? null;
  const acceptedUnsigned = registry !== null && policy.registriesUnsigned.includes(registry);
  const served = facts.attestations.length === 0 ? 'served no signature or attestation for this package' : 'served no signature, and no attestation of this package verified';
  const named = registry ?? 'an unknown registry';
  const details = { registry, acceptedUnsigned };
  if (acceptedUnsigned) {
    return [{ code: 'NO_EVIDENCE', detail: `the registry ${named} publishes no signing keys and ${served}; the policy accepts it unsigned (registries.unsigned): passed unverified`, details, audit: true }];
  }
  const optIn = unsignedOptIn(named, policy.format);
  return [{ code: 'NO_EVIDENCE', detail: `expected a verified registry signature or attestation, got none: the registry ${named} publishes no signing keys and ${served}; to accept its packages unverified, add ${optIn.snippet} ${optIn.place}`, details }];
}

// The policy text that accepts a keyless registry unsigned, and where it goes in either shape.
export function unsignedOptIn(host: string, format: NormalizedPolicy['format']): { snippet: string; place: string } {
  return { snippet: `"registries": { "unsigned": ["${host}"] }`, place: format === 'identities' ? `inside the policy's "policy" object` : 'to the policy' };
}

// What an attestation is for, read from its predicate type: the policy reads it without loading
// the Sigstore libraries that verify a bundle.

export const PUBLISH_PREDICATE_TYPE = 'https://github.com/npm/attestation/tree/main/specs/publish/v0.1';
export const PROVENANCE_PREDICATE_TYPES: ReadonlySet<string> = new Set(['https://slsa.dev/provenance/v0.2', 'https://slsa.dev/provenance/v1']);

export type AttestationRole = 'publish' | 'provenance' | 'other';

// Returns what the predicate type makes an attestation: npm's publish attestation, SLSA
// provenance, or something this tool records but does not interpret.
export function getRole(predicateType: string): AttestationRole {
  if (predicateType === PUBLISH_PREDICATE_TYPE) return 'publish';
  if (PROVENANCE_PREDICATE_TYPES.has(predicateType)) return 'provenance';
  return 'other';
}

// Every code a verification Finding can carry, as a runtime list (the FindingCode type is derived
// from it), so that tests and tools can tell a known code from anything else. The strings are a
// contract with the policy stage and the report: add codes, never rename them.

// The codes, in the order the README's table lists them.
export const FINDING_CODES = [
  // The lockfile pins no integrity, so nothing can be bound to it.
  'INTEGRITY_MISSING',
  // The registry's dist.integrity differs from the lockfile's pinned value.
  'INTEGRITY_MISMATCH',
  // Registry signatures (dist.signatures).
  'SIGNATURE_MISSING',
  'SIGNATURE_INVALID',
  'UNKNOWN_KEY',
  'KEY_EXPIRED',
  'PUBLISH_TIME_UNKNOWN',
  // The attestations document and its bundles.
  'ATTESTATIONS_MISSING',
  'ATTESTATIONS_MALFORMED',
  'BUNDLE_MALFORMED',
  'DUPLICATE_PREDICATE_TYPE',
  'UNEXPECTED_SIGNER',
  'CERT_CHAIN_INVALID',
  'TLOG_INVALID',
  'TIMESTAMP_INVALID',
  'TIMESTAMP_MISSING',
  'VERIFICATION_ERROR',
  // The signed in-toto statement and what it says about this package.
  'STATEMENT_MALFORMED',
  'PREDICATE_TYPE_MISMATCH',
  'SUBJECT_NAME_MISMATCH',
  'SUBJECT_DIGEST_MISMATCH',
  // Time.
  'CERT_WINDOW',
  'FUTURE_TIMESTAMP',
  'MISSING_INCLUSION_PROOF',
  'PROVENANCE_AFTER_PUBLISH',
  // Evidence larger than any real one (a statement with more than MAX_SUBJECTS subjects, an
  // attestations document with more than MAX_ATTESTATIONS entries): refused whole instead of
  // judged item by item.
  'INPUT_TOO_LARGE',
] as const;

// A code of FINDING_CODES.
export type FindingCode = (typeof FINDING_CODES)[number];

const KNOWN: ReadonlySet<string> = new Set(FINDING_CODES);

// True when `code` is one of FINDING_CODES.
export function isFindingCode(code: unknown): code is FindingCode {
  return typeof code === 'string' && KNOWN.has(code);
}

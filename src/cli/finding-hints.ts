// The one place that says what to do about each finding code, in one line, for the grouped CI
// outputs (annotations, job summary, SARIF rules, --quiet). Codes are stable; these sentences may
// improve. The README's finding-code table says the same at more length.

import type { PolicyFindingCode } from '../policy/index.js';

// Every finding code's fix; the Record type makes a new code without a fix a compile error.
export const FINDING_HINTS: Readonly<Record<PolicyFindingCode, string>> = {
  INTEGRITY_MISSING: 'Regenerate the lockfile (`npm install --package-lock-only`) so it pins an integrity.',
  INTEGRITY_MISMATCH: 'Treat as tampering until explained: the registry serves other bytes than the lockfile pins.',
  INTEGRITY_WEAK_PIN: 'Delete the sha1-pinned entries from package-lock.json and run `npm install --package-lock-only`.',
  SIGNATURE_MISSING: 'If every package says so, the registry strips signatures: point npm or --registry at one that passes them through.',
  SIGNATURE_INVALID: 'Treat as tampering: do not install.',
  UNKNOWN_KEY: 'Refresh the trust material (run online, or pass --registry-keys); otherwise treat as tampering.',
  KEY_EXPIRED: 'A signature made with a retired key: treat as tampering or a mis-dated publish.',
  PUBLISH_TIME_UNKNOWN: 'The registry served no publish time: investigate the registry.',
  ATTESTATIONS_MISSING: 'The registry advertised attestations and served none: retry, then investigate.',
  ATTESTATIONS_MALFORMED: 'Tampering or a registry bug: do not install.',
  BUNDLE_MALFORMED: 'Tampering or a registry bug: do not install.',
  DUPLICATE_PREDICATE_TYPE: 'Treat as tampering: do not install.',
  UNEXPECTED_SIGNER: 'Treat as tampering: do not install.',
  CERT_CHAIN_INVALID: 'Refresh the Sigstore trust root (run online); otherwise treat as forgery.',
  TLOG_INVALID: 'Refresh the Sigstore trust root (run online); otherwise treat as forgery.',
  TIMESTAMP_INVALID: 'The bundle cannot be placed in time: do not install.',
  TIMESTAMP_MISSING: 'The bundle cannot be placed in time: do not install.',
  VERIFICATION_ERROR: 'Rerun with --debug and report it: an unexpected failure is never a pass.',
  STATEMENT_MALFORMED: 'Tampering or a registry bug: do not install.',
  PREDICATE_TYPE_MISMATCH: 'Treat as tampering: do not install.',
  SUBJECT_NAME_MISMATCH: 'A bundle replayed from another package or version: treat as tampering.',
  SUBJECT_DIGEST_MISMATCH: 'The provenance is for other bytes: treat as tampering.',
  CERT_WINDOW: 'Signed outside the certificate lifetime: treat as forgery.',
  FUTURE_TIMESTAMP: "Check the machine's clock (or --now); otherwise treat as forgery.",
  MISSING_INCLUSION_PROOF: "The log inclusion is unproven: do not install.",
  PROVENANCE_AFTER_PUBLISH: 'Provenance attached after the fact: investigate before installing.',
  INPUT_TOO_LARGE: 'A hostile or broken registry: do not install.',
  FETCH_FAILED: 'Check the URL the finding names and rerun, or use --offline with a warm cache.',
  OFFLINE_CACHE_MISS: 'Run once online with the same --cache.',
  TARBALL_DIGEST_MISMATCH: 'Tampering or a corrupt npm cache (`npm cache verify`): do not install.',
  INSTALLED_TREE_MODIFIED: 'node_modules is not what was verified: delete it, reinstall with `npm ci --ignore-scripts`, and find out what wrote there.',
  INSTALLED_PACKAGE_MISSING: 'Install before checking (`npm ci --ignore-scripts`), with the same --omit as the check.',
  PACKAGE_NAME_INVALID: 'Regenerate the lockfile and find out how the entry got there.',
  PROVENANCE_MISSING: 'Ask the maintainers to publish with provenance, or add a reviewed exception.',
  PUBLISH_ATTESTATION_MISSING: 'Ask the maintainers to publish from a registry that attests, or add a reviewed exception.',
  NO_EVIDENCE: 'Use a registry that serves signatures or provenance, or accept it unsigned in the policy (registries.unsigned).',
  UNTRUSTED_SIGNER: 'Someone else built this version: investigate before updating the pinned identity.',
  SOURCE_REPOSITORY_MISMATCH: 'Built from another repository than the package claims: investigate.',
  BUILDER_MISMATCH: 'Built by another workflow than required: investigate, or widen the rule deliberately.',
  RUNNER_ENVIRONMENT_MISMATCH: 'Built on another runner than required: investigate, or widen the rule deliberately.',
  BUILD_TRIGGER_MISMATCH: 'Built by another trigger than required: investigate, or widen the rule deliberately.',
  REGISTRY_NOT_ALLOWED: 'Dependency confusion or a stray registry: fix the lockfile or the policy.',
  SOURCE_DENIED: 'Replace it with a registry package, or allow the source deliberately.',
  SOURCE_UNVERIFIABLE: 'Replace it with a registry package, or allow the source deliberately.',
  TLOG_NOT_PINNED: 'Investigate the log; update the pin if the log rotated.',
  TRUST_DOWNGRADE: 'A sign of a hijacked maintainer account: do not update.',
  RELEASE_TOO_NEW: 'Wait out the cooldown before updating to it, or add a reviewed exception for an urgent fix.',
  RELEASE_AGE_UNKNOWN: 'The registry lists no publish time for it: investigate, or add a reviewed exception.',
  IDENTITY_CHANGED: 'Confirm the move with the maintainers, then run `verify-deps policy learn`.',
  NO_MATCHING_RULE: 'End the policy rules with a catch-all rule matching package "*".',
  EXCEPTION_EXPIRED: 'Review the exception: renew it with a new date, or remove it.',
  INSTALL_SCRIPT_UNVERIFIED: 'Its install scripts run on your machine: deny them in package.json allowScripts, or ask the maintainers to publish with provenance.',
  SCRIPT_APPROVAL_UNVERIFIED: 'Review the approval in package.json allowScripts: deny its scripts ("name": false) unless you trust this version without provenance.',
  SCRIPT_APPROVAL_STALE: 'Remove the approval from package.json allowScripts (`npm install-scripts prune`), or pin it to the version you reviewed.',
  SCRIPT_NOT_APPROVED: 'Review its install scripts, then approve or deny them: `npm approve-scripts <name>` or `npm deny-scripts <name>`.',
};

// The fix for a code; a code this version does not know (from a newer report) gets the README.
export function getFindingHint(code: string): string {
  return (FINDING_HINTS as Readonly<Record<string, string>>)[code] ?? 'See the finding codes in the verify-deps README.';
}

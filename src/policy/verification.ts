// The one definition of "verified". The SRI manifest lists digests, the verification summary
// lists subjects, and the report and every summary call a package verified only by it: whatever
// else the policy lets through is counted and listed apart, with its reasons.

import type { NotVerifiedReason, PackageDecision, PackageVerification, PolicySubject, VerifiedBy } from './types.js';

// A package is verified when a registry signature over the lockfile's integrity, or an attestation
// whose subject is the lockfile's sha512, verified, and the policy neither waived nor reported any
// finding of it. For a sha1-only pin, the lockfile's digest is the sha512 of the downloaded bytes
// that matched it (facts.integrity.bound), and the weak-pin warning alone leaves it verified.
// Anything else (a bundled or non-registry package, no evidence fetched, none that verified, a
// finding waived or standing) is not, and each such fact is a reason.
export function getVerification(subject: PolicySubject, decision: Pick<PackageDecision, 'findings' | 'waived'>): PackageVerification {
  const { ref, facts } = subject;
  const verifiedBy: VerifiedBy[] = [];
  const reasons: NotVerifiedReason[] = [];
  if (ref.bundled) {
    // Its bytes are inside another package's tarball: that tarball's digest is what verified.
    reasons.push({ kind: 'bundled' });
  } else if (ref.source !== 'registry') {
    reasons.push({ kind: 'not-from-a-registry', source: ref.source });
  } else if (facts === undefined) {
    reasons.push({ kind: 'evidence-not-fetched' });
  } else {
    // verifyRegistrySignatures checks the signature over the LOCKFILE's integrity, and an
    // attestation is `verified` only when it has no finding, so its subject digest is the
    // lockfile's sha512 (verifySubjects); a signature over the registry's claim would not do.
    if (facts.registrySignature.status === 'verified') verifiedBy.push('registry-signature');
    if (facts.attestations.some((a) => a.status === 'verified')) verifiedBy.push('attestation');
    if (verifiedBy.length === 0) reasons.push({ kind: subject.registryPublishesKeys ? 'no-verified-evidence' : 'registry-publishes-no-keys' });
  }
  // Security: a waived INTEGRITY_MISMATCH or SUBJECT_DIGEST_MISMATCH may leave a verified signature
  // beside a digest nobody vouches for; a waiver lets a package through, it never makes it verified.
  if (decision.waived.length > 0) {
    reasons.push({ kind: 'findings-waived', waived: decision.waived.map((f) => ({ code: f.code, exception: f.exception })) });
  }
  // A sha1-only pin warned about (INTEGRITY_WEAK_PIN under audit) does not unverify a package
  // whose evidence verified over the sha512 of the downloaded bytes that matched the pin: that
  // sha512 is what was verified, and what the SRI manifest lists. Denied (strict), it fails.
  const standing = decision.findings.filter((f) => !(f.code === 'INTEGRITY_WEAK_PIN' && f.enforcement === 'audit' && facts?.integrity.bound !== undefined));
  if (standing.length > 0) {
    reasons.push({ kind: 'findings-standing', codes: standing.map((f) => f.code) });
  }
  return { verified: reasons.length === 0, verifiedBy, reasons };
}

// True for a package the policy let through (no strict finding stands) that is not verified.
export function isPassedUnverified(decision: Pick<PackageDecision, 'findings' | 'verification'>): boolean {
  return !decision.verification.verified && decision.findings.every((f) => f.enforcement !== 'strict');
}

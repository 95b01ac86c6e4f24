// What the verified evidence of a package shows, read from its facts. Only attestations that
// verified count: no claim inside an unverified payload is believed.

import { getRole, type AttestationRole } from '../verify/attestation/role.js';
import type { AttestationFacts, FulcioExtensions, PackageFacts } from '../verify/types.js';
import type { PolicyFindingCode } from './types.js';

// A finding before it is attributed to a package and a rule; `audit` forces audit enforcement.
export interface RawFinding {
  code: PolicyFindingCode;
  detail: string;
  details?: Record<string, unknown>;
  audit?: boolean;
}

// The identity a Fulcio certificate vouches for.
export interface CertificateIdentity {
  issuer: string | undefined;
  san: string | undefined;
  extensions: FulcioExtensions;
}

// The attestations of one role (provenance or publish), verified or not.
export function attestationsOf(facts: PackageFacts, role: AttestationRole): AttestationFacts[] {
  return facts.attestations.filter((a) => getRole(a.predicateType) === role);
}

// The attestations of one role that verified.
export function verifiedOf(facts: PackageFacts, role: AttestationRole): AttestationFacts[] {
  return attestationsOf(facts, role).filter((a) => a.status === 'verified');
}

// The signing identities of the verified provenance (verification rejects provenance not signed
// by a Fulcio certificate, so each verified one has one).
export function provenanceIdentities(facts: PackageFacts): CertificateIdentity[] {
  return verifiedOf(facts, 'provenance').flatMap((a) =>
    a.signer?.kind === 'certificate' ? [{ issuer: a.signer.issuer, san: a.signer.subjectAlternativeName, extensions: a.signer.extensions }] : [],
  );
}

// The Source Repository URI, from the 2023 extension or, on older certificates, the GitHub one.
export function sourceRepositoryOf(extensions: FulcioExtensions): string | undefined {
  if (extensions.sourceRepositoryURI !== undefined) return extensions.sourceRepositoryURI;
  return extensions.githubWorkflowRepository === undefined ? undefined : `https://github.com/${extensions.githubWorkflowRepository}`;
}

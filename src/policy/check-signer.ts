// A rule's constraints on who built and signed the provenance: signer identity, source
// repository, builder, runner environment, build trigger. Each verified provenance must satisfy
// every constraint; provenance that did not verify is not read (and, because these constraints
// require provenance, is a PROVENANCE_MISSING finding instead).

import type { RawFinding, CertificateIdentity } from './evidence.js';
import { sourceRepositoryOf } from './evidence.js';
import { repositoryIdsMatch, signerMatches } from './identity.js';
import { normalizeRepositoryUrl } from './repository-url.js';
import type { NormalizedRule, PolicySubject, SignerMatcher } from './types.js';
import { patternRegExp } from './patterns.js';

// Checks every verified provenance identity against the rule's signer constraints.
export function checkSigner(subject: PolicySubject, identities: readonly CertificateIdentity[], rule: NormalizedRule): RawFinding[] {
  return identities.flatMap((identity) => [
    ...checkIdentity(identity, rule),
    ...checkSourceRepository(subject, identity, rule),
    ...checkBuilder(identity, rule),
    ...checkOneOf('RUNNER_ENVIRONMENT_MISMATCH', 'runner environment', rule.runnerEnvironments, identity.extensions.runnerEnvironment),
    ...checkOneOf('BUILD_TRIGGER_MISMATCH', 'build trigger', rule.buildTriggers, identity.extensions.buildTrigger ?? identity.extensions.githubWorkflowTrigger),
  ]);
}

// Any listed identity may match; the SAN is tested against the anchored pattern, so a SAN that
// merely contains the expected one does not, and the repository and owner ids a github identity
// pins must be the certificate's too.
function checkIdentity(identity: CertificateIdentity, rule: NormalizedRule): RawFinding[] {
  const signers = rule.signers;
  if (signers === null || signers.some((s) => signerMatches(s, identity.issuer, identity.san) && repositoryIdsMatch(s, identity.extensions))) return [];
  const expected = signers.map((s) => `${s.expected}${describeIds(s)}`).join(' or ');
  const issuers = [...new Set(signers.map((s) => s.issuer))];
  const issuerNote = identity.issuer !== undefined && issuers.includes(identity.issuer) ? '' : ` (issuer ${identity.issuer ?? 'none'}, expected ${issuers.join(' or ')})`;
  // The ids are named only when the policy pins some: other findings keep their shape.
  const pinsIds = signers.some((s) => s.repositoryId !== undefined || s.ownerId !== undefined);
  const ext = identity.extensions;
  const gotIds = pinsIds ? { repositoryId: ext.sourceRepositoryIdentifier ?? null, ownerId: ext.sourceRepositoryOwnerIdentifier ?? null } : {};
  const idsNote = pinsIds ? ` (repository id ${gotIds.repositoryId ?? 'none'}, owner id ${gotIds.ownerId ?? 'none'})` : '';
  return [
    {
      code: 'UNTRUSTED_SIGNER',
      detail: `expected ${expected}, got ${identity.san ?? 'no subject alternative name'}${idsNote}${issuerNote}`,
      details: {
        expected: signers.map((s) => ({ issuer: s.issuer, san: s.expected, ...(s.repositoryId === undefined ? {} : { repositoryId: s.repositoryId }), ...(s.ownerId === undefined ? {} : { ownerId: s.ownerId }) })),
        got: { issuer: identity.issuer ?? null, san: identity.san ?? null, ...gotIds },
      },
    },
  ];
}

function describeIds(signer: SignerMatcher): string {
  const parts = [signer.repositoryId === undefined ? '' : `repository id ${signer.repositoryId}`, signer.ownerId === undefined ? '' : `owner id ${signer.ownerId}`].filter(Boolean);
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}

function checkSourceRepository(subject: PolicySubject, identity: CertificateIdentity, rule: NormalizedRule): RawFinding[] {
  const constraint = rule.sourceRepository;
  if (constraint === null) return [];
  const rawActual = sourceRepositoryOf(identity.extensions);
  const actual = rawActual === undefined ? null : normalizeRepositoryUrl(rawActual);
  if (constraint.kind === 'package-json') {
    const declared = subject.declaredRepository === undefined ? null : normalizeRepositoryUrl(subject.declaredRepository);
    if (declared === null) {
      const got = subject.declaredRepository === undefined ? 'no repository' : `an unusable repository ${JSON.stringify(subject.declaredRepository)}`;
      return [{ code: 'SOURCE_REPOSITORY_MISMATCH', detail: `expected the package.json repository to match the provenance's ${rawActual ?? '(none)'}, but package.json declares ${got}` }];
    }
    return actual === declared ? [] : [mismatch(`${declared} (package.json)`, rawActual)];
  }
  return actual === constraint.uri ? [] : [mismatch(constraint.uri, rawActual)];
}

function mismatch(expected: string, got: string | undefined): RawFinding {
  return {
    code: 'SOURCE_REPOSITORY_MISMATCH',
    detail: `expected source repository ${expected}, got ${got ?? 'none in the certificate'}`,
    details: { expected, got: got ?? null },
  };
}

function checkBuilder(identity: CertificateIdentity, rule: NormalizedRule): RawFinding[] {
  if (rule.builder === null) return [];
  const got = identity.extensions.buildSignerURI;
  if (got !== undefined && patternRegExp(rule.builder.pattern).test(got)) return [];
  return [{ code: 'BUILDER_MISMATCH', detail: `expected builder ${rule.builder.uri}, got ${got ?? 'none in the certificate'}`, details: { expected: rule.builder.uri, got: got ?? null } }];
}

function checkOneOf(code: RawFinding['code'], what: string, accepted: readonly string[] | null, got: string | undefined): RawFinding[] {
  if (accepted === null || (got !== undefined && accepted.includes(got))) return [];
  return [{ code, detail: `expected ${what} ${accepted.join(' or ')}, got ${got ?? 'none in the certificate'}`, details: { expected: accepted, got: got ?? null } }];
}

// The verify stage: from what the lockfile pins and what the registry serves, the facts about one
// package. Pure: no I/O, no clock (now is passed in), no throwing for a bad package.

import { getRole, toAttestationEntries, verifyAttestation, verifySingleRoles, type AttestationResult } from './attestation/index.js';
import { toDate } from './encoding.js';
import { toFinding } from './findings.js';
import { getSha512Hex, verifyIntegrityMatch } from './integrity.js';
import { verifyRegistrySignatures, type PublishTime } from './signature.js';
import { getEarliest, verifyProvenanceBeforePublish } from './timestamp/index.js';
import type { Trust } from './trust/index.js';
import type { Finding, PackageEvidence, PackageFacts, PublishTimeFacts } from './types.js';

export { createTrust, getSeedTargets, parseTrust, toRegistryKeys, toTrust, toTrustedRoot, type ParsedTrust, type Trust, type TrustInput, type TrustKeys } from './trust/index.js';
export { TrustMaterialError, type TrustErrorCode } from './errors.js';
export type * from './types.js';

// Verifies everything known about one package and returns its facts. `trust` is built once per
// run with createTrust; `now` is the run's clock.
export function verifyPackageEvidence(input: PackageEvidence, trust: Trust, now: Date): PackageFacts {
  // The digest everything binds to: the lockfile's pin, or the sha512 of the downloaded bytes that
  // matched a sha1-only pin (the registry signs and attests sha512, never sha1).
  const anchor = input.boundIntegrity ?? input.lockfileIntegrity;
  const packageFindings: Finding[] = [...verifyIntegrityMatch(anchor, input.manifest.integrity)];

  const results = verifyAttestations(input, anchor, trust, now, packageFindings);

  // Exactly one verified publish attestation gives a signed publish time; two would be a
  // contradiction (and are reported below), none leaves the packument's unsigned claim.
  const publishes = results.filter((r) => r.role === 'publish');
  const publish = publishes.length === 1 && publishes[0]?.facts.status === 'verified' ? publishes[0] : undefined;
  const signedPublish = publish === undefined ? undefined : getEarliest(publish.timestamps);

  // The signed predicate types may hold a duplicate the document's claims hid.
  packageFindings.push(...verifySingleRoles(results.map((r) => r.role)));

  if (signedPublish !== undefined) {
    for (const r of results) {
      // Any provenance whose bundle verified has trustworthy timestamps, even if its binding
      // failed; the order check runs on those too so that every problem is reported.
      const signed = getEarliest(r.timestamps);
      if (r.role === 'provenance' && signed !== undefined) {
        const late = verifyProvenanceBeforePublish(signed, signedPublish);
        r.facts.findings.push(...late);
        if (late.length > 0) r.facts.status = 'failed';
      }
    }
  }

  const publishTime = getPublishTime(signedPublish, input.manifest.time);
  const signature = verifyRegistrySignatures(
    {
      name: input.name,
      version: input.version,
      integrity: anchor,
      signatures: input.manifest.signatures,
      ...(publishTime === undefined ? {} : { publishTime }),
      publishAttestationFailed: signedPublish === undefined && hasFailedPublish(publishes, packageFindings),
    },
    trust.registryKeys,
  );

  const attestationFindings = results.flatMap((r, index) =>
    r.facts.findings.map((f) => ({ ...f, details: { ...f.details, attestation: index, predicateType: r.facts.predicateType } })),
  );
  return {
    name: input.name,
    version: input.version,
    integrity: {
      lockfile: input.lockfileIntegrity,
      ...(input.manifest.integrity === undefined ? {} : { registry: input.manifest.integrity }),
      ...(input.boundIntegrity === undefined ? {} : { bound: input.boundIntegrity }),
    },
    registrySignature: signature.facts,
    attestationsAdvertised: input.manifest.attestationsAdvertised,
    attestations: results.map((r) => r.facts),
    ...(publishTime === undefined ? {} : { publishTime: toPublishTimeFacts(publishTime) }),
    trust: trust.digests,
    findings: [...packageFindings, ...signature.findings, ...attestationFindings],
  };
}

function verifyAttestations(input: PackageEvidence, anchor: string | null, trust: Trust, now: Date, findings: Finding[]): AttestationResult[] {
  const advertised = input.manifest.attestationsAdvertised;
  if (input.attestations === undefined) {
    // The packument says there is provenance and we were given none: a stripped response must
    // not read as "this package never had provenance".
    if (advertised) {
      findings.push(toFinding('ATTESTATIONS_MISSING', 'expected the attestations the packument advertises (dist.attestations), got none'));
    }
    return [];
  }
  const doc = toAttestationEntries(input.attestations);
  if ('finding' in doc) {
    findings.push(doc.finding);
    return [];
  }
  if (doc.entries.length === 0 && advertised) {
    findings.push(toFinding('ATTESTATIONS_MISSING', 'expected the attestations the packument advertises (dist.attestations), got an empty list'));
  }
  // A document that is wrong as a whole (the claims of two entries collide) is refused before
  // any of its bundles is verified: verifying them could not make it right.
  const structural = verifySingleRoles(doc.entries.map((entry) => getRole(entry.predicateType)));
  if (structural.length > 0) {
    findings.push(...structural);
    return [];
  }
  const ctx = { name: input.name, version: input.version, sha512Hex: getSha512Hex(anchor), trust, now };
  return doc.entries.map((entry) => verifyAttestation(entry, ctx));
}

// True when a publish attestation was served and gave no signed time, with a finding that says
// why: it failed verification, or there was more than one (DUPLICATE_PREDICATE_TYPE).
function hasFailedPublish(publishes: readonly AttestationResult[], packageFindings: readonly Finding[]): boolean {
  return (
    publishes.some((r) => r.facts.status === 'failed' && r.facts.findings.length > 0) ||
    packageFindings.some((f) => f.code === 'DUPLICATE_PREDICATE_TYPE' && f.details?.role === 'publish')
  );
}

// The time registry keys are judged at: the publish attestation's verified log time when there
// is one (signed by the log), else the packument's claim (which the registry could change).
function getPublishTime(signed: Date | undefined, packumentTime: string | undefined): PublishTime | undefined {
  if (signed !== undefined) {
    return { value: signed, signed: true };
  }
  const claimed = toDate(packumentTime);
  return claimed === undefined ? undefined : { value: claimed, signed: false };
}

function toPublishTimeFacts(time: PublishTime): PublishTimeFacts {
  return { value: time.value.toISOString(), signed: time.signed, source: time.signed ? 'publish-attestation' : 'packument' };
}

// Verifies one entry of the attestations document: parse the bundle, verify it with
// @sigstore/verify, check the signer is the kind its predicate calls for, check time, then bind
// the signed statement to this package.

import type { Bundle } from '@sigstore/bundle';
import { canonicalJson, sha256Hex } from '../../canonical-json.js';
import { toFinding } from '../findings.js';
import {
  getVerifiedTimestamps,
  verifyInclusionProofs,
  verifyNotInFuture,
  verifyTimestampPresent,
  type VerifiedTimestamp,
} from '../timestamp/index.js';
import type { Trust } from '../trust/index.js';
import type { AttestationFacts, Finding, SignerFacts, TLogFacts } from '../types.js';
import { verifyPredicateType, verifySubjects } from './binding.js';
import { toBundle } from './bundle.js';
import type { AttestationEntry } from './document.js';
import { getCertificateSigner } from './identity.js';
import { verifyBundle } from './sigstore.js';
import { getRole, type AttestationRole } from './role.js';
import { toStatement } from './statement.js';

export { toAttestationEntries, type AttestationEntry } from './document.js';
export { toPurl, verifyPredicateType, verifySubjects } from './binding.js';
export { toStatement, type Statement } from './statement.js';
export { getRole, PROVENANCE_PREDICATE_TYPES, PUBLISH_PREDICATE_TYPE, type AttestationRole } from './role.js';

export interface AttestationContext {
  name: string;
  version: string;
  // The lockfile's sha512, hex; undefined when it pins none.
  sha512Hex: string | undefined;
  trust: Trust;
  now: Date;
}

export interface AttestationResult {
  facts: AttestationFacts;
  role: AttestationRole;
  // The verified timestamps (empty unless the bundle verified).
  timestamps: VerifiedTimestamp[];
}

// Finds a role held by more than one attestation: at most one publish attestation and one
// provenance are expected. Run on the document's claims before any bundle is verified (so that a
// document of many copies of one bundle costs no cryptography), and again on the signed
// predicate types after.
export function verifySingleRoles(roles: readonly AttestationRole[]): Finding[] {
  return (['publish', 'provenance'] as const).flatMap((role) => {
    const count = roles.filter((r) => r === role).length;
    return count > 1 ? [toFinding('DUPLICATE_PREDICATE_TYPE', `expected at most one ${role} attestation, got ${count}`, { role, count })] : [];
  });
}

// Verifies one attestation entry; never throws.
export function verifyAttestation(entry: AttestationEntry, ctx: AttestationContext): AttestationResult {
  const digest = toBundleDigest(entry.bundle);
  const parsed = toBundle(entry.bundle);
  if ('findings' in parsed) {
    return failed(entry.predicateType, parsed.findings, digest);
  }
  const { bundle } = parsed;
  const base = { ...digest, bundleMediaType: bundle.mediaType, tlog: toTLogFacts(bundle) };

  // Guard, see timestamp/index.ts: the bundle parser enforces this today, we do not rely on it.
  const proofFindings = verifyInclusionProofs(bundle);
  if (proofFindings.length > 0) {
    return failed(entry.predicateType, proofFindings, base);
  }

  const result = verifyBundle(bundle, ctx.trust);
  if (!result.ok) {
    // The payload is unauthenticated: no statement facts, no identity, nothing bound.
    return failed(entry.predicateType, result.findings, base);
  }

  const findings: Finding[] = [];
  const timestamps = getVerifiedTimestamps(result.entity);
  findings.push(...verifyTimestampPresent(timestamps), ...verifyNotInFuture(timestamps, ctx.now));

  let predicateType = entry.predicateType;
  if (bundle.content.$case === 'dsseEnvelope') {
    const decoded = toStatement(bundle.content.dsseEnvelope);
    if ('finding' in decoded) {
      findings.push(decoded.finding);
    } else {
      predicateType = decoded.statement.predicateType;
      findings.push(
        ...verifyPredicateType(entry.predicateType, decoded.statement),
        ...verifySubjects(decoded.statement, ctx.name, ctx.version, ctx.sha512Hex),
      );
    }
  }

  const signer: SignerFacts =
    result.entity.key.$case === 'certificate'
      ? getCertificateSigner(result.entity.key.certificate)
      : { kind: 'public-key', keyid: result.entity.key.hint };
  const role = getRole(predicateType);
  findings.push(...verifySignerKind(role, signer));

  return {
    role,
    timestamps,
    facts: {
      predicateType,
      status: findings.length === 0 ? 'verified' : 'failed',
      ...base,
      signer,
      timestamps: timestamps.map((t) => ({ source: t.source, time: t.time.toISOString() })),
      findings,
    },
  };
}

// The publish attestation must be signed by the registry's key and provenance by a Fulcio
// certificate. Without this, anyone with a CI identity could mint a "publish attestation" and
// choose the publish time that registry keys are judged at, and the registry could sign
// "provenance" for a build that never happened.
export function verifySignerKind(role: AttestationRole, signer: SignerFacts): Finding[] {
  const expected = role === 'publish' ? 'public-key' : role === 'provenance' ? 'certificate' : undefined;
  if (expected === undefined || signer.kind === expected) {
    return [];
  }
  const describe = (kind: SignerFacts['kind']) => (kind === 'public-key' ? 'a registry key' : 'a Fulcio certificate');
  return [toFinding('UNEXPECTED_SIGNER', `expected the ${role} attestation to be signed by ${describe(expected)}, got ${describe(signer.kind)}`, { role, signer: signer.kind })];
}

// The sha256 of the bundle's canonical JSON, so a report names exactly which bundle was judged.
function toBundleDigest(bundle: unknown): { bundleSha256?: string } {
  try {
    return { bundleSha256: sha256Hex(canonicalJson(bundle)) };
  } catch {
    return {};
  }
}

function toTLogFacts(bundle: Bundle): TLogFacts[] {
  return bundle.verificationMaterial.tlogEntries.map((e) => {
    // An unverified entry's time may be past what a Date holds: then it is left out.
    const integrated = new Date(Number(e.integratedTime) * 1000);
    const seconds = Number.isNaN(integrated.getTime()) ? 0 : Number(e.integratedTime);
    return {
      logId: e.logId?.keyId.toString('base64') ?? '',
      logIndex: e.logIndex,
      kind: `${e.kindVersion?.kind ?? ''}/${e.kindVersion?.version ?? ''}`,
      ...(seconds > 0 ? { integratedTime: new Date(seconds * 1000).toISOString() } : {}),
      inclusionPromise: e.inclusionPromise !== undefined,
      inclusionProof: e.inclusionProof?.checkpoint !== undefined,
    };
  });
}

function failed(predicateType: string, findings: Finding[], base: Partial<AttestationFacts> = {}): AttestationResult {
  return {
    role: getRole(predicateType),
    timestamps: [],
    facts: { predicateType, status: 'failed', tlog: [], ...base, timestamps: [], findings },
  };
}

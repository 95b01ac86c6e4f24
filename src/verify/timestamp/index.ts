// Time checks on a bundle, on top of what @sigstore/verify enforces.
//
// What @sigstore/verify (3.1) already does, and is relied on here:
//  - a tlog entry's integratedTime counts as a timestamp only when the entry has an inclusion
//    promise, and that promise (SET, which signs the time) must verify;
//  - RFC 3161 timestamps must verify against a trusted TSA valid at the signing time;
//  - at least `timestampThreshold` timestamps (we set 1);
//  - the certificate chain, leaf included, is valid at EVERY verified timestamp, and a public key
//    is valid (validFor) at every verified timestamp;
//  - an inclusion proof, when present, is checked against a signed checkpoint.
// What it does not do, and is added here:
//  - reject timestamps from the future (a log or TSA key compromise, or a skewed clock);
//  - require an inclusion proof for bundles of v0.2 and later (it accepts a promise alone;
//    @sigstore/bundle's parser rejects such bundles today, this does not rely on it);
//  - compare provenance and publish times.

import type { Bundle } from '@sigstore/bundle';
import type { X509Certificate } from '@sigstore/core';
import type { SignedEntity } from '@sigstore/verify';
import { toFinding } from '../findings.js';
import type { Finding, TimestampFacts } from '../types.js';

// How far ahead of `now` a signed time may be: clock skew between the log, the TSA and us.
export const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;
// How long after the publish attestation a provenance statement may have been signed.
export const PROVENANCE_PUBLISH_TOLERANCE_MS = 60 * 60 * 1000;

export interface VerifiedTimestamp {
  source: TimestampFacts['source'];
  time: Date;
}

// Returns the timestamps @sigstore/verify treats as verified for this entity: tlog times with an
// inclusion promise, and RFC 3161 signing times. Only meaningful once Verifier.verify passed.
export function getVerifiedTimestamps(entity: SignedEntity): VerifiedTimestamp[] {
  const result: VerifiedTimestamp[] = [];
  for (const ts of entity.timestamps) {
    if (ts.$case === 'transparency-log') {
      if (ts.tlogEntry.inclusionPromise !== undefined) {
        // A time past what a Date can hold (an unverified entry's, say) is no timestamp at all.
        const time = new Date(Number(ts.tlogEntry.integratedTime) * 1000);
        if (!Number.isNaN(time.getTime())) result.push({ source: 'transparency-log', time });
      }
    } else {
      result.push({ source: 'timestamp-authority', time: ts.timestamp.signingTime });
    }
  }
  return result;
}

// Fails a bundle that has no verified timestamp. The Verifier's threshold already demands one;
// this guards the list the other time checks run on, which is derived separately.
export function verifyTimestampPresent(timestamps: readonly VerifiedTimestamp[]): Finding[] {
  return timestamps.length > 0
    ? []
    : [toFinding('TIMESTAMP_MISSING', 'expected at least one verified timestamp (tlog integrated time with a promise, or RFC 3161), got none')];
}

// Fails every timestamp later than now + 5 minutes.
export function verifyNotInFuture(timestamps: readonly VerifiedTimestamp[], now: Date): Finding[] {
  const limit = now.getTime() + FUTURE_TOLERANCE_MS;
  return timestamps
    .filter((t) => t.time.getTime() > limit)
    .map((t) =>
      toFinding('FUTURE_TIMESTAMP', `expected ${t.source} time no later than ${new Date(limit).toISOString()} (now + 5 min), got ${t.time.toISOString()}`, {
        source: t.source,
        time: t.time.toISOString(),
      }),
    );
}

// Requires an inclusion proof (with a checkpoint) for every tlog entry that should have one. An
// inclusion promise is only the log's word that it will include the entry; the proof shows it
// did. Bundles v0.2 and later always carry proofs. v0.1 bundles predate them, but the media type
// is not signed: relabelling a stripped v0.2 bundle as v0.1 must not waive the proof. So a v0.1
// entry is excused only when the log integrated it before V01_WITHOUT_PROOF_UNTIL, the time by
// which every npm-published bundle carried a proof (npm's v0.1 bundles without proofs, recorded
// in test/fixtures, end in May 2023; from August 2023 they carry proofs; npm moved to v0.2 later
// that year).
export function verifyInclusionProofs(bundle: Pick<Bundle, 'mediaType' | 'verificationMaterial'>): Finding[] {
  return bundle.verificationMaterial.tlogEntries.flatMap((entry, i) =>
    entry.inclusionProof?.checkpoint?.envelope || !requiresInclusionProof(bundle.mediaType, toIntegratedTime(entry.integratedTime))
      ? []
      : [
          toFinding('MISSING_INCLUSION_PROOF', `expected tlog entry ${i} (log index ${entry.logIndex}) of a ${bundle.mediaType} bundle to carry an inclusion proof with a checkpoint, got none`, {
            logIndex: entry.logIndex,
          }),
        ],
  );
}

// The end of the time when a v0.1 bundle could lack an inclusion proof (see above).
export const V01_WITHOUT_PROOF_UNTIL = new Date('2024-01-01T00:00:00Z');

const V01 = 'application/vnd.dev.sigstore.bundle+json;version=0.1';

// Whether a tlog entry of a bundle of this media type, integrated at this time, must carry an
// inclusion proof: always from v0.2; for v0.1, when logged on or after V01_WITHOUT_PROOF_UNTIL
// (or when the entry states no time to excuse it).
export function requiresInclusionProof(mediaType: string, integratedTime: Date | undefined): boolean {
  if (mediaType !== V01) return true;
  return integratedTime === undefined || integratedTime >= V01_WITHOUT_PROOF_UNTIL;
}

function toIntegratedTime(value: unknown): Date | undefined {
  const seconds = Number(value);
  return value === undefined || value === null || value === '' || !Number.isFinite(seconds) || seconds <= 0 ? undefined : new Date(seconds * 1000);
}

// Fails each timestamp at which the signing certificate is not valid. @sigstore/verify enforces
// this inside its chain check; this is used to name the failure when that check throws.
export function verifyCertificateWindow(cert: X509Certificate, timestamps: readonly VerifiedTimestamp[]): Finding[] {
  return timestamps
    .filter((t) => !cert.validForDate(t.time))
    .map((t) =>
      toFinding('CERT_WINDOW', `expected the signing certificate (valid ${toIso(cert.notBefore)} to ${toIso(cert.notAfter)}) to be valid at the ${t.source} time, got ${toIso(t.time)}`, {
        notBefore: toIso(cert.notBefore),
        notAfter: toIso(cert.notAfter),
        time: toIso(t.time),
      }),
    );
}

// An unverified certificate may carry a date a Date cannot hold; toISOString would throw.
function toIso(date: Date): string {
  return Number.isNaN(date.getTime()) ? 'an invalid date' : date.toISOString();
}

// Fails a provenance signed more than an hour after the publish attestation. The builder signs
// provenance before `npm publish` and the registry signs the publish attestation on upload;
// provenance made later was made for a tarball the build did not publish.
export function verifyProvenanceBeforePublish(provenanceSigned: Date, published: Date): Finding[] {
  const limit = published.getTime() + PROVENANCE_PUBLISH_TOLERANCE_MS;
  return provenanceSigned.getTime() <= limit
    ? []
    : [
        toFinding('PROVENANCE_AFTER_PUBLISH', `expected provenance signed no later than ${new Date(limit).toISOString()} (publish attestation + 1 h), got ${provenanceSigned.toISOString()}`, {
          provenanceSigned: provenanceSigned.toISOString(),
          published: published.toISOString(),
        }),
      ];
}

// The earliest verified time: the best upper bound on when the bundle was signed.
export function getEarliest(timestamps: readonly VerifiedTimestamp[]): Date | undefined {
  return timestamps.reduce<Date | undefined>((min, t) => (min === undefined || t.time < min ? t.time : min), undefined);
}

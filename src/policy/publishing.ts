// How a version was published, ranked as pnpm's `trustPolicy: no-downgrade` ranks trust evidence:
// a staged publish a person approved, above trusted publishing (OIDC from CI, with provenance),
// above provenance alone, above none. Provenance is a fact this run verified; trusted publishing
// and the approver are the packument's `_npmUser` claims, unsigned registry metadata.

import type { PackageFacts } from '../verify/types.js';
import { verifiedOf } from './evidence.js';
import type { PublishingClaim, VersionHistoryEntry } from './types.js';

export type PublishingLevel = 'staged-publish' | 'trusted-publisher' | 'provenance' | 'none';

// Higher is stronger.
export const PUBLISHING_RANK: Readonly<Record<PublishingLevel, number>> = { 'staged-publish': 3, 'trusted-publisher': 2, provenance: 1, none: 0 };

// Who the registry says published a version: a trusted publisher, a person approving a staged
// publish, or (neither claimed) a token.
export type PublishedBy = 'staged-publish' | 'trusted-publisher' | 'token';

// One version's publishing evidence as the report records it: `provenance` verified by this run,
// the rest per the packument's `_npmUser` (source `packument`, signed false).
export interface PublishingEvidence {
  level: PublishingLevel;
  provenance: 'verified' | 'none';
  publishedBy: PublishedBy;
  trustedPublisher?: { id: string; oidcConfigId?: string };
  approver?: string;
  source: 'packument';
  signed: false;
}

// The publishing method a claim names; a staged publish wins (it may also name a trusted publisher).
export function toPublishedBy(claim: PublishingClaim | undefined): PublishedBy {
  if (claim?.approver !== undefined) return 'staged-publish';
  return claim?.trustedPublisher === undefined ? 'token' : 'trusted-publisher';
}

// pnpm's level from a claim and whether there is provenance: trusted publishing counts only with
// provenance (npm generates it for every trusted publish), a staged publish counts on its own.
function toLevel(claim: PublishingClaim | undefined, provenance: boolean): PublishingLevel {
  if (claim?.approver !== undefined) return 'staged-publish';
  if (claim?.trustedPublisher !== undefined && provenance) return 'trusted-publisher';
  return provenance ? 'provenance' : 'none';
}

// The judged version's level: its provenance as verified, its publishing as the registry claims.
export function getJudgedLevel(facts: PackageFacts, claim: PublishingClaim | undefined): PublishingLevel {
  return toLevel(claim, verifiedOf(facts, 'provenance').length > 0);
}

// An earlier version's level, from the registry's claims alone (it is not verified).
export function getEarlierLevel(entry: VersionHistoryEntry): PublishingLevel {
  return toLevel(entry, entry.provenance);
}

// The judged version's publishing evidence for the report.
export function getPublishingEvidence(facts: PackageFacts, claim: PublishingClaim | undefined): PublishingEvidence {
  return {
    level: getJudgedLevel(facts, claim),
    provenance: verifiedOf(facts, 'provenance').length > 0 ? 'verified' : 'none',
    publishedBy: toPublishedBy(claim),
    ...(claim?.trustedPublisher === undefined ? {} : { trustedPublisher: { ...claim.trustedPublisher } }),
    ...(claim?.approver === undefined ? {} : { approver: claim.approver }),
    source: 'packument',
    signed: false,
  };
}

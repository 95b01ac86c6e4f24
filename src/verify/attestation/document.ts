// The registry's attestations document, /-/npm/v1/attestations/NAME@VERSION:
// {"attestations": [{"predicateType": string, "bundle": object}, ...]}. Untrusted JSON: only
// its shape is checked here; each bundle is verified on its own.

import { isRecord } from '../encoding.js';
import { toFinding } from '../findings.js';
import type { Finding } from '../types.js';

// The most entries a document may hold. npm serves two (the publish attestation and SLSA
// provenance); eight leaves room for a few predicate types this tool records without
// interpreting, while bounding the signature, chain and log checks of one package at eight
// bundles. Without a bound, one 16 MB document of copies of a valid bundle costs seconds of
// verification per package.
export const MAX_ATTESTATIONS = 8;

export interface AttestationEntry {
  // The document's claim, unsigned; the signed statement's predicateType is what counts.
  predicateType: string;
  bundle: unknown;
}

// Narrows the document to its entries, or returns the ATTESTATIONS_MALFORMED (or
// INPUT_TOO_LARGE) finding; the count is checked before any entry is looked at.
export function toAttestationEntries(doc: unknown): { entries: AttestationEntry[] } | { finding: Finding } {
  if (!isRecord(doc)) {
    return { finding: toFinding('ATTESTATIONS_MALFORMED', `expected the attestations document to be an object, got ${describe(doc)}`) };
  }
  const list = doc.attestations;
  if (!Array.isArray(list)) {
    return { finding: toFinding('ATTESTATIONS_MALFORMED', `expected "attestations" to be an array, got ${describe(list)}`) };
  }
  if (list.length > MAX_ATTESTATIONS) {
    return {
      finding: toFinding('INPUT_TOO_LARGE', `expected at most ${MAX_ATTESTATIONS} entries in the attestations document, got ${list.length}`, {
        limit: MAX_ATTESTATIONS,
        actual: list.length,
      }),
    };
  }
  const entries: AttestationEntry[] = [];
  for (const [i, item] of list.entries()) {
    if (!isRecord(item) || typeof item.predicateType !== 'string' || !isRecord(item.bundle)) {
      return {
        finding: toFinding('ATTESTATIONS_MALFORMED', `expected attestations[${i}] to be {predicateType: string, bundle: object}, got ${describe(item)}`, {
          index: i,
        }),
      };
    }
    entries.push({ predicateType: item.predicateType, bundle: item.bundle });
  }
  return { entries };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (isRecord(value)) return `an object with keys ${Object.keys(value).slice(0, 5).join(', ') || '(none)'}`;
  return typeof value;
}

// The fuzz properties, shared by fuzz.test.ts (a small seeded sample in `npm test`) and
// `npm run fuzz` (the same file, FUZZ_RUNS=10000). Every property is seeded: a failure prints the
// seed and fast-check's replay path, and the same seed replays the same cases.
//
// What every property checks, on arbitrary and on mutated real inputs:
// - no unexpected exception: only the documented typed errors (InputError, PolicyError,
//   FetchError) with known codes;
// - no hang: every case is timed and one slower than CASE_TIME_LIMIT_MS counts as a hang;
// - every rejection carries a known finding code (FINDING_CODES);
// - verification: no attestation (and so no package) is reported verified once a SIGNED byte of
//   its bundle changed (DSSE payload, payload type or signature, a tlog entry's canonicalized
//   body, the signing certificate). Unsigned labels may change and still verify.
//
// The harness is harness.ts; the properties are in attestation-properties.ts (d) and
// input-properties.ts (a-c).

import { arbitraryAttestations, mutatedAttestations, mutatedEvidence, signedBitFlips } from './attestation-properties.js';
import { lockfileShapes, lockfileWalks, manifests, policies } from './input-properties.js';
import type { FuzzProperty } from './harness.js';

export { DEFAULT_SEED, fuzzSettings, formatReports, runsPerProperty, type FuzzSettings, type PropertyReport } from './harness.js';

// Every property, in the order they run and report.
export const PROPERTIES: readonly FuzzProperty[] = [mutatedAttestations, signedBitFlips, arbitraryAttestations, mutatedEvidence, manifests, policies, lockfileShapes, lockfileWalks];

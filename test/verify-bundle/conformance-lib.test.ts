// The same sample cases through verifyArtifactBundle, the library function the CLI calls, with
// the identity built the way the CLI builds it (the policy's expandIdentity). The failures are
// also pinned to the finding that names them.

import { describe, expect, test } from 'vitest';
import { verifyArtifactBundle } from '../../src/verify/artifact/index.js';
import { createTrust } from '../../src/verify/index.js';
import { CASES, KNOWN_FAILURE_RUNS, NOW, PASSING_RUNS, type Run, expectsFailure, readSample, readSampleJson, toArtifactInput, toIdentity } from './_cases.js';

// Why each failing case fails, as this tool names it: the flaw the case was written for.
const EXPECTED_CODE: Record<string, string> = {
  'checkpoint-wrong-roothash_fail': 'TLOG_INVALID',
  'dsse-mismatch-envelope_fail': 'TLOG_INVALID',
  // The next three are DSSE envelopes logged as hashedrekord entries, a form @sigstore/verify 3.x
  // cannot verify even when intact (dsse-with-hashedrekord-happy-path is a known gap), so these
  // codes show where the check stops, not that the form is supported.
  'dsse-with-hashedrekord-invalid-sig_fail': 'SIGNATURE_INVALID',
  'dsse-with-hashedrekord-mismatch-envelope_fail': 'TLOG_INVALID',
  'dsse-with-hashedrekord-mismatch-sig_fail': 'TLOG_INVALID',
  // Its Rekor time (May 2026) is outside the 10-minute certificate; the Verifier's chain check fails first.
  'integrated-time-in-future_fail': 'CERT_WINDOW',
  'intoto-missing-inclusion-proof_fail': 'MISSING_INCLUSION_PROOF',
  'intoto-set-outside-signing-cert-validity_fail': 'CERT_WINDOW',
  'signature-mismatch_fail': 'SIGNATURE_INVALID',
};

// Failing cases this tool rejects before reaching their flaw (`failsForAnotherReason` in cases.json says why).
const OTHER_REASON_CODE: Record<string, string> = {
  'cve-2022-36056-swapped-tlog-entry_fail': 'BUNDLE_MALFORMED',
};

function verifyRun({ c, mode }: Run): void {
  const trust = createTrust({ trustedRoot: readSample(c.trustedRoot), registryKeys: null });
  const result = verifyArtifactBundle({ bundle: readSampleJson(c.bundle), artifact: toArtifactInput(c, mode), identity: toIdentity(c) }, trust, NOW);
  if (expectsFailure(c)) {
    expect(result.verified).toBe(false);
    expect(result.findings[0]?.code).toBe(EXPECTED_CODE[c.case] ?? OTHER_REASON_CODE[c.case]);
    expect(result.timestamps).toEqual([]);
  } else {
    expect(result.findings).toEqual([]);
    expect(result.verified).toBe(true);
    expect(result.signer?.kind).toBe(c.key === undefined ? 'certificate' : 'public-key');
    expect(result.timestamps.length).toBeGreaterThan(0);
  }
}

describe('verify-bundle: sigstore-conformance sample through verifyArtifactBundle', () => {
  test('each failing case has one expected code, and only a case marked as failing for another reason uses the second list', () => {
    const failing = CASES.filter((c) => expectsFailure(c) && c.knownFailure === undefined);
    for (const c of failing) expect([EXPECTED_CODE[c.case], OTHER_REASON_CODE[c.case]].filter(Boolean), c.case).toHaveLength(1);
    expect(Object.keys(OTHER_REASON_CODE).sort()).toEqual(CASES.filter((c) => c.failsForAnotherReason !== undefined).map((c) => c.case).sort());
  });

  test.each(PASSING_RUNS)('$name', verifyRun);

  // Known gaps (`knownFailure` in cases.json): the suite's expectation, expected to fail until closed.
  test.fails.each(KNOWN_FAILURE_RUNS)('known gap: $name', verifyRun);
});

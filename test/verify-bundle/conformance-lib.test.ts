// The same sample cases through verifyArtifactBundle, the library function the CLI calls, with
// the identity built the way the CLI builds it (the policy's expandIdentity). The failures are
// also pinned to the finding that names them.

import { describe, expect, test } from 'vitest';
import { verifyArtifactBundle } from '../../src/verify/artifact/index.js';
import { createTrust } from '../../src/verify/index.js';
import { NOW, RUNS, expectsFailure, readSample, readSampleJson, toArtifactInput, toIdentity } from './_cases.js';

// Why each failing case fails, as this tool names it.
const EXPECTED_CODE: Record<string, string> = {
  'checkpoint-wrong-roothash_fail': 'TLOG_INVALID',
  'dsse-mismatch-envelope_fail': 'TLOG_INVALID',
  // Its Rekor time (May 2026) is outside the 10-minute certificate; the Verifier's chain check fails first.
  'integrated-time-in-future_fail': 'CERT_WINDOW',
  'intoto-missing-inclusion-proof_fail': 'MISSING_INCLUSION_PROOF',
  'intoto-set-outside-signing-cert-validity_fail': 'CERT_WINDOW',
  'signature-mismatch_fail': 'SIGNATURE_INVALID',
};

describe('verify-bundle: sigstore-conformance sample through verifyArtifactBundle', () => {
  test.each(RUNS)('$name', ({ c, mode }) => {
    const trust = createTrust({ trustedRoot: readSample(c.trustedRoot), registryKeys: null });
    const result = verifyArtifactBundle({ bundle: readSampleJson(c.bundle), artifact: toArtifactInput(c, mode), identity: toIdentity(c) }, trust, NOW);
    if (expectsFailure(c)) {
      expect(result.verified).toBe(false);
      expect(result.findings[0]?.code).toBe(EXPECTED_CODE[c.case]);
      expect(result.timestamps).toEqual([]);
    } else {
      expect(result.findings).toEqual([]);
      expect(result.verified).toBe(true);
      expect(result.signer?.kind).toBe(c.key === undefined ? 'certificate' : 'public-key');
      expect(result.timestamps.length).toBeGreaterThan(0);
    }
  });
});

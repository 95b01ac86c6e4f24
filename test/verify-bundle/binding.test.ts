// The bundle must be about THIS artifact: a message signature's messageDigest is the artifact's
// digest, a DSSE statement names the artifact's sha256 among its subjects. Also the strict
// parsing, inclusion-proof and timestamp rules `check` uses, applied to any bundle.

import { describe, expect, test } from 'vitest';
import { toBundle } from '../../src/verify/attestation/bundle.js';
import { verifyArtifactBundle, type ArtifactInput } from '../../src/verify/artifact/index.js';
import { createTrust } from '../../src/verify/index.js';
import { CASES, NOW, PRODUCTION_ROOT, readSample, readSampleJson, toIdentity, type SampleCase } from './_cases.js';

const production = createTrust({ trustedRoot: readSample(PRODUCTION_ROOT), registryKeys: null });
const byName = (name: string): SampleCase => CASES.find((c) => c.case === name)!;
const DSSE = byName('happy-path-intoto-in-dsse-v3');
const MESSAGE = byName('happy-path-v0.3');
const V01 = byName('happy-path-v0.1');
const OTHER_BYTES = Buffer.from('not the artifact\n');
const OTHER_DIGEST = 'b'.repeat(64);

type Json = Record<string, any>;

function verify(c: SampleCase, artifact: ArtifactInput, bundle: unknown = readSampleJson(c.bundle), now = NOW) {
  return verifyArtifactBundle({ bundle, artifact, identity: toIdentity(c) }, production, now);
}

function codes(result: { findings: { code: string }[] }): string[] {
  return result.findings.map((f) => f.code);
}

describe('verify-bundle binding', () => {
  test.each([
    ['other bytes', { bytes: OTHER_BYTES }],
    ['another digest', { sha256Hex: OTHER_DIGEST }],
  ])('a DSSE statement whose subjects do not include the artifact is rejected (%s)', (_label, artifact) => {
    const result = verify(DSSE, artifact);
    expect(result.verified).toBe(false);
    expect(codes(result)).toEqual(['SUBJECT_DIGEST_MISMATCH']);
    // The envelope verified; only the binding failed.
    expect(result.signer?.kind).toBe('certificate');
  });

  test.each([
    ['other bytes', { bytes: OTHER_BYTES }],
    ['another digest', { sha256Hex: OTHER_DIGEST }],
  ])('a message signature over another artifact is rejected (%s)', (_label, artifact) => {
    expect(codes(verify(MESSAGE, artifact))).toEqual(['SUBJECT_DIGEST_MISMATCH']);
  });

  test('the digest is accepted in either case of hex', () => {
    expect(verify(MESSAGE, { sha256Hex: MESSAGE.artifactDigest.slice(7).toUpperCase() }).verified).toBe(true);
  });

  test('a malformed digest is the caller\'s error', () => {
    expect(() => verify(MESSAGE, { sha256Hex: 'abc' })).toThrow(TypeError);
  });

  test('a bundle carrying both a DSSE envelope and a message signature is malformed, here and in check', () => {
    const dsse = readSampleJson(DSSE.bundle) as Json;
    const both = { ...dsse, messageSignature: (readSampleJson(MESSAGE.bundle) as Json).messageSignature };
    expect(codes(verify(DSSE, { bytes: readSample(DSSE.artifactOrDigest) }, both))).toEqual(['BUNDLE_MALFORMED']);
    // The parser keeps messageSignature when both are present; check's DSSE-only parser must not.
    const parsed = toBundle(both);
    expect('findings' in parsed && parsed.findings.map((f) => f.code)).toEqual(['BUNDLE_MALFORMED']);
    expect('bundle' in toBundle(dsse)).toBe(true);
  });

  test('an unknown media type is malformed (strict parsing)', () => {
    const bundle = { ...(readSampleJson(MESSAGE.bundle) as Json), mediaType: 'application/vnd.dev.sigstore.bundle.v9+json' };
    expect(codes(verify(MESSAGE, { bytes: readSample(MESSAGE.artifactOrDigest) }, bundle))).toEqual(['BUNDLE_MALFORMED']);
  });

  test('a tampered message signature fails in both modes', () => {
    const bundle = readSampleJson(MESSAGE.bundle) as Json;
    const sig = Buffer.from(bundle.messageSignature.signature, 'base64');
    sig[sig.length - 1]! ^= 1;
    bundle.messageSignature.signature = sig.toString('base64');
    expect(verify(MESSAGE, { bytes: readSample(MESSAGE.artifactOrDigest) }, bundle).verified).toBe(false);
    expect(verify(MESSAGE, { sha256Hex: MESSAGE.artifactDigest.slice(7) }, bundle).verified).toBe(false);
  });
});

describe('verify-bundle time and inclusion rules (the same as check)', () => {
  test('a log time after now + 5 min is FUTURE_TIMESTAMP', () => {
    const result = verify(MESSAGE, { bytes: readSample(MESSAGE.artifactOrDigest) }, undefined, new Date('2024-01-01T00:00:00Z'));
    expect(codes(result)).toEqual(['FUTURE_TIMESTAMP']);
  });

  test('a v0.1 bundle logged before 2024 may lack an inclusion proof; relabelled v0.2 it may not', () => {
    const bundle = readSampleJson(V01.bundle) as Json;
    delete bundle.verificationMaterial.tlogEntries[0].inclusionProof;
    expect(verify(V01, { bytes: readSample(V01.artifactOrDigest) }, bundle).verified).toBe(true);
    const relabelled = { ...bundle, mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.2' };
    expect(codes(verify(V01, { bytes: readSample(V01.artifactOrDigest) }, relabelled))).toEqual(['MISSING_INCLUSION_PROOF']);
  });
});

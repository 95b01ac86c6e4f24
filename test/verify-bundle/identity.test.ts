// The pinned signer: the SAN is compared whole (escaped and anchored by the policy's
// expandIdentity), the issuer exactly, and the kind of key must be the pinned kind.

import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { GITHUB_ACTIONS_ISSUER, expandIdentity } from '../../src/policy/identity.js';
import { verifyArtifactBundle, type ExpectedSigner, type KeylessSigner } from '../../src/verify/artifact/index.js';
import { createTrust } from '../../src/verify/index.js';
import { CASES, NOW, PRODUCTION_ROOT, readSample, readSampleJson } from './_cases.js';

const trust = createTrust({ trustedRoot: readSample(PRODUCTION_ROOT), registryKeys: null });
const HAPPY = CASES.find((c) => c.case === 'happy-path-v0.3')!;
const KEYED = CASES.find((c) => c.case === 'managed-key-happy-path')!;
const SAN = HAPPY.identity!;
const ISSUER = HAPPY.issuer!;

function verifyHappy(identity: ExpectedSigner) {
  return verifyArtifactBundle({ bundle: readSampleJson(HAPPY.bundle), artifact: { bytes: readSample(HAPPY.artifactOrDigest) }, identity }, trust, NOW);
}

function literal(san: string, issuer = ISSUER): KeylessSigner {
  const { sanPattern } = expandIdentity({ san, oidcIssuer: issuer });
  return { issuer, sanPattern: sanPattern! };
}

describe('verify-bundle identity', () => {
  test('the exact SAN and issuer verify', () => {
    expect(verifyHappy(literal(SAN))).toMatchObject({ verified: true, findings: [] });
  });

  test.each([
    ['a prefix of the SAN', SAN.replace('@refs/heads/main', '')],
    ['a suffix of the SAN', SAN.replace('https://github.com/', 'github.com/')],
    ['the SAN without its last character', SAN.slice(0, -1)],
  ])('a SAN that merely contains the pinned identity (%s) is rejected', (_label, pinned) => {
    const result = verifyHappy(literal(pinned));
    expect(result.verified).toBe(false);
    expect(result.findings.map((f) => f.code)).toEqual(['UNEXPECTED_SIGNER']);
    // The bundle itself verified: the signer it names is reported.
    expect(result.signer).toMatchObject({ kind: 'certificate', subjectAlternativeName: SAN });
  });

  test('regex metacharacters in the pinned SAN are literal: "." does not match another character', () => {
    const dotted = SAN.replace('github.com', 'github_com');
    expect(verifyHappy(literal(dotted)).verified).toBe(false);
    // The unescaped form would have matched it: this is what the escaping prevents.
    expect(new RegExp(`^${dotted.replace('github_com', 'github.com')}$`).test(SAN)).toBe(true);
  });

  test.each([
    ['another issuer', 'https://accounts.google.com'],
    ['the issuer with a trailing slash', `${ISSUER}/`],
    ['the issuer with another case', ISSUER.toUpperCase()],
  ])('a wrong issuer (%s) is rejected', (_label, issuer) => {
    const result = verifyHappy({ issuer, sanPattern: literal(SAN).sanPattern });
    expect(result.verified).toBe(false);
    expect(result.findings[0]?.code).toBe('UNEXPECTED_SIGNER');
  });

  test('the github preset pins the issuer and the anchored workflow SAN, ref globs included', () => {
    const github = (ref: string) => expandIdentity({ github: { repo: 'sigstore-conformance/extremely-dangerous-public-oidc-beacon', workflow: '.github/workflows/extremely-dangerous-oidc-beacon.yml', ref } });
    for (const [ref, verified] of [['refs/heads/main', true], ['refs/heads/*', true], ['refs/heads/mai', false], ['refs/tags/*', false]] as const) {
      const { issuer, sanPattern } = github(ref);
      expect(issuer).toBe(GITHUB_ACTIONS_ISSUER);
      expect(verifyHappy({ issuer, sanPattern: sanPattern! }).verified, ref).toBe(verified);
    }
    const other = expandIdentity({ github: { repo: 'sigstore-conformance/extremely-dangerous-public-oidc-beaco', workflow: '.github/workflows/extremely-dangerous-oidc-beacon.yml', ref: 'refs/heads/main' } });
    expect(verifyHappy({ issuer: other.issuer, sanPattern: other.sanPattern! }).verified).toBe(false);
  });

  test('a certificate bundle does not pass a pinned key (the CA chain is not the key)', () => {
    const result = verifyHappy({ publicKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey });
    expect(result.findings.map((f) => f.code)).toEqual(['UNEXPECTED_SIGNER']);
  });

  test('a key-signed bundle does not pass a pinned identity', () => {
    const result = verifyArtifactBundle({ bundle: readSampleJson(KEYED.bundle), artifact: { bytes: readSample(KEYED.artifactOrDigest) }, identity: literal(SAN) }, trust, NOW);
    expect(result.findings.map((f) => f.code)).toEqual(['UNEXPECTED_SIGNER']);
  });

  test.each(['path', 'digest'] as const)('a key-signed bundle does not pass another key (%s)', (mode) => {
    const artifact = mode === 'path' ? { bytes: readSample(KEYED.artifactOrDigest) } : { sha256Hex: KEYED.artifactDigest.slice('sha256:'.length) };
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    const result = verifyArtifactBundle({ bundle: readSampleJson(KEYED.bundle), artifact, identity: { publicKey: other } }, trust, NOW);
    expect(result.verified).toBe(false);
    expect(result.findings[0]?.code).toBe('SIGNATURE_INVALID');
  });
});

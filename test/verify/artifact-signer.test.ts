// The pinned signer of verify-bundle (src/verify/artifact/signer.ts), on plain values: the key
// lookup the Verifier is given, its identity policy, the kind of key, the identity comparison on
// this tool's reading of the certificate, and the findings' details.

import { createHash, generateKeyPairSync } from 'node:crypto';
import { PolicyError, VerificationError, type SignedEntity } from '@sigstore/verify';
import { describe, expect, it } from 'vitest';
import { getKeySigner, toPolicyFinding, toSignerTrust, toVerificationPolicy, verifyIdentity, verifySignerKind, type KeylessSigner, type KeySigner } from '../../src/verify/artifact/signer.js';
import type { SignerFacts } from '../../src/verify/types.js';
import { codes, realTrust } from './_helpers.js';

const ISSUER = 'https://token.actions.githubusercontent.com';
const SAN = 'https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main';
const KEYLESS: KeylessSigner = { issuer: ISSUER, sanPattern: '^https://github\\.com/acme/app/\\.github/workflows/release\\.yml@refs/heads/main$' };
const KEY: KeySigner = { publicKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey };

function certificate(issuer: string | undefined, san: string | undefined): SignerFacts {
  return { kind: 'certificate', extensions: {}, ...(issuer === undefined ? {} : { issuer }), ...(san === undefined ? {} : { subjectAlternativeName: san }) } as SignerFacts;
}

const CERTIFICATE = certificate(ISSUER, SAN);
const PUBLIC_KEY: SignerFacts = { kind: 'public-key', keyid: 'SHA256:some-key' };

function entityWith(kind: 'certificate' | 'public-key'): SignedEntity {
  return { key: kind === 'certificate' ? { $case: 'certificate', certificate: {} } : { $case: 'public-key', hint: 'a hint' } } as unknown as SignedEntity;
}

describe('toSignerTrust', () => {
  it('a pinned key is the only key, whatever the bundle\'s hint, with no validity window of its own', () => {
    const trust = realTrust();
    const signerTrust = toSignerTrust(trust, KEY);
    for (const hint of ['', 'SHA256:another-key', 'a hint']) {
      const found = signerTrust.material.publicKey(hint);
      expect(found.publicKey).toBe(KEY.publicKey);
      expect(found.validFor(new Date(0))).toBe(true);
    }
    // The trusted root's logs and CAs are kept.
    expect(signerTrust.material.tlogs).toBe(trust.material.tlogs);
    expect(signerTrust.material.certificateAuthorities).toBe(trust.material.certificateAuthorities);
    expect(signerTrust.verifier).not.toBe(trust.verifier);
  });

  it('a pinned identity trusts no key at all: the lookup refuses with PUBLIC_KEY_ERROR', () => {
    const signerTrust = toSignerTrust(realTrust(), KEYLESS);
    let thrown: unknown;
    try {
      signerTrust.material.publicKey('SHA256:some-key');
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(VerificationError);
    expect((thrown as VerificationError).code).toBe('PUBLIC_KEY_ERROR');
  });
});

describe('toVerificationPolicy', () => {
  it('an identity is handed to the Verifier as the SAN pattern and the exact issuer extension', () => {
    expect(toVerificationPolicy(KEYLESS)).toStrictEqual({ subjectAlternativeName: KEYLESS.sanPattern, extensions: { issuer: ISSUER } });
  });

  it('a key has no identity policy', () => {
    expect(toVerificationPolicy(KEY)).toBeUndefined();
  });
});

describe('verifySignerKind', () => {
  it('the bundle\'s key kind must be the pinned kind', () => {
    expect(verifySignerKind(entityWith('certificate'), KEYLESS)).toEqual([]);
    expect(verifySignerKind(entityWith('public-key'), KEY)).toEqual([]);
  });

  it.each([
    ['a certificate against a pinned key', 'certificate', KEY, { expected: 'public-key', actual: 'certificate' }],
    ['a key against a pinned identity', 'public-key', KEYLESS, { expected: 'certificate', actual: 'public-key' }],
  ] as const)('%s is UNEXPECTED_SIGNER naming both kinds', (_label, kind, signer, details) => {
    expect(verifySignerKind(entityWith(kind), signer)).toEqual([expect.objectContaining({ code: 'UNEXPECTED_SIGNER', details })]);
  });
});

describe('verifyIdentity', () => {
  it('the exact issuer and a SAN the pattern matches pass', () => {
    expect(verifyIdentity(CERTIFICATE, KEYLESS)).toEqual([]);
  });

  it.each([
    ['another issuer', certificate('https://accounts.google.com', SAN), { issuer: 'https://accounts.google.com', san: SAN }],
    ['no issuer', certificate(undefined, SAN), { issuer: null, san: SAN }],
    ['another SAN', certificate(ISSUER, `${SAN}x`), { issuer: ISSUER, san: `${SAN}x` }],
    ['no SAN', certificate(ISSUER, undefined), { issuer: ISSUER, san: null }],
  ])('%s is UNEXPECTED_SIGNER with what was expected and what the certificate says', (_label, facts, actual) => {
    expect(verifyIdentity(facts, KEYLESS)).toStrictEqual([
      { code: 'UNEXPECTED_SIGNER', message: expect.any(String), details: { expected: { issuer: ISSUER, sanPattern: KEYLESS.sanPattern }, actual } },
    ]);
  });

  it('a certificate without a SAN fails even a pattern that matches anything', () => {
    // RegExp.test(undefined) would test the string "undefined".
    expect(codes(verifyIdentity(certificate(ISSUER, undefined), { issuer: ISSUER, sanPattern: '^.*$' }))).toEqual(['UNEXPECTED_SIGNER']);
  });

  it('a pinned key is judged by the key alone; no identity is compared', () => {
    expect(verifyIdentity(PUBLIC_KEY, KEY)).toEqual([]);
    expect(verifyIdentity(certificate('https://accounts.google.com', 'someone'), KEY)).toEqual([]);
  });

  it('a key-signed bundle has no identity to compare here (verifySignerKind reports it)', () => {
    expect(verifyIdentity(PUBLIC_KEY, KEYLESS)).toEqual([]);
  });
});

describe('toPolicyFinding', () => {
  const policyError = new PolicyError({ code: 'UNTRUSTED_SIGNER_ERROR', message: 'certificate identity error' });

  it('the Verifier\'s identity refusal is UNEXPECTED_SIGNER, keeping its reason in the details', () => {
    expect(toPolicyFinding(policyError, certificate('https://accounts.google.com', 'someone'), KEYLESS)).toStrictEqual({
      code: 'UNEXPECTED_SIGNER',
      message: expect.any(String),
      details: { expected: { issuer: ISSUER, sanPattern: KEYLESS.sanPattern }, actual: { issuer: 'https://accounts.google.com', san: 'someone' }, sigstore: 'certificate identity error' },
    });
  });

  it('a signer that is no certificate names neither issuer nor SAN', () => {
    expect(toPolicyFinding(policyError, PUBLIC_KEY, KEYLESS)?.details).toMatchObject({ actual: { issuer: null, san: null } });
  });

  it('any other error, or any error for a pinned key, is not an identity finding', () => {
    expect(toPolicyFinding(new VerificationError({ code: 'SIGNATURE_ERROR', message: 'bad' }), CERTIFICATE, KEYLESS)).toBeUndefined();
    expect(toPolicyFinding(new Error('bad'), CERTIFICATE, KEYLESS)).toBeUndefined();
    expect(toPolicyFinding(policyError, PUBLIC_KEY, KEY)).toBeUndefined();
  });
});

describe('getKeySigner', () => {
  it('a pinned key is named by the npm-style id of its SPKI: SHA256: and the unpadded base64 of its sha256', () => {
    const spki = KEY.publicKey.export({ format: 'der', type: 'spki' });
    const base64 = createHash('sha256').update(spki).digest('base64');
    expect(base64.endsWith('=')).toBe(true);
    expect(getKeySigner(KEY)).toStrictEqual({ kind: 'public-key', keyid: `SHA256:${base64.slice(0, -1)}` });
  });
});

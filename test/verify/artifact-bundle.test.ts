// verifyArtifactBundle (src/verify/artifact/index.ts) on the paths the conformance sample does not
// reach: a bad SAN pattern, a certificate that does not parse, a key that cannot be checked over
// a digest alone, a DSSE payload that is no statement, the pinned key's id, and the timestamps.

import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { expandIdentity } from '../../src/policy/identity.js';
import { verifyArtifactBundle, type ArtifactInput, type ExpectedSigner } from '../../src/verify/artifact/index.js';
import { getKeySigner } from '../../src/verify/artifact/signer.js';
import { createTrust } from '../../src/verify/index.js';
import { BUNDLE_MEDIA_TYPE, signDsseBundle } from '../support/bundle.js';
import { createFulcioCa } from '../support/ca.js';
import * as der from '../support/der.js';
import { githubActionsIdentity } from '../support/identity.js';
import { generateEcKey } from '../support/keys.js';
import { createTestPki } from '../support/pki.js';
import { CASES, NOW, PRODUCTION_ROOT, readSample, readSampleJson, toIdentity, type SampleCase } from '../verify-bundle/_cases.js';
import { codes } from './_helpers.js';

type Json = Record<string, any>;

const production = createTrust({ trustedRoot: readSample(PRODUCTION_ROOT), registryKeys: null });
const byName = (name: string): SampleCase => CASES.find((c) => c.case === name)!;
const MESSAGE = byName('happy-path-v0.3');
const DSSE = byName('happy-path-intoto-in-dsse-v3');
const KEYED = byName('managed-key-happy-path');
const ED25519 = generateKeyPairSync('ed25519').publicKey;

const bytesOf = (c: SampleCase): ArtifactInput => ({ bytes: readSample(c.artifactOrDigest) });
const digestOf = (c: SampleCase): ArtifactInput => ({ sha256Hex: c.artifactDigest.slice('sha256:'.length) });

function verify(c: SampleCase, artifact: ArtifactInput, identity: ExpectedSigner = toIdentity(c), bundle: unknown = readSampleJson(c.bundle)) {
  return verifyArtifactBundle({ bundle, artifact, identity }, production, NOW);
}

// The sample's keyless message-signature bundle with its certificate replaced.
function withCertificate(certificate: Buffer): Json {
  const bundle = readSampleJson(MESSAGE.bundle) as Json;
  bundle.verificationMaterial.certificate.rawBytes = certificate.toString('base64');
  return bundle;
}

// A leaf certificate (from a test CA the production root does not trust) for the given SPKI.
function leafFor(spki: Buffer): Buffer {
  return createFulcioCa().issueLeaf({ identity: githubActionsIdentity(), key: { ...generateEcKey(), spki } }).der;
}

describe('verifyArtifactBundle: the caller\'s mistakes', () => {
  it('a SAN pattern that does not compile throws before the bundle is looked at', () => {
    expect(() => verifyArtifactBundle({ bundle: {}, artifact: digestOf(MESSAGE), identity: { issuer: 'https://issuer.example', sanPattern: '(' } }, production, NOW)).toThrow(SyntaxError);
  });
});

describe('verifyArtifactBundle: the bundle\'s key', () => {
  it('a certificate whose DER does not parse inside is BUNDLE_MALFORMED', () => {
    const notACertificate = Buffer.from('3003020500', 'hex');
    expect(codes(verify(MESSAGE, bytesOf(MESSAGE), undefined, withCertificate(notACertificate)).findings)).toEqual(['BUNDLE_MALFORMED']);
  });

  it('with only a digest, a pinned Ed25519 key cannot check a message signature: VERIFICATION_ERROR, not an invalid signature', () => {
    const result = verify(KEYED, digestOf(KEYED), { publicKey: ED25519 });
    expect(codes(result.findings)).toEqual(['VERIFICATION_ERROR']);
    expect(result.signer).toBeUndefined();
  });

  it('with the artifact\'s bytes, the same pinned Ed25519 key is checked and does not match: SIGNATURE_INVALID', () => {
    expect(codes(verify(KEYED, bytesOf(KEYED), { publicKey: ED25519 }).findings)).toEqual(['SIGNATURE_INVALID']);
  });

  it('a DSSE bundle is checked over its envelope: a pinned key of any type is only compared by kind', () => {
    expect(codes(verify(DSSE, digestOf(DSSE), { publicKey: ED25519 }).findings)).toEqual(['UNEXPECTED_SIGNER']);
  });

  it('with only a digest, a certificate for an Ed25519 key cannot check a message signature: VERIFICATION_ERROR before any chain check', () => {
    const bundle = withCertificate(leafFor(ED25519.export({ format: 'der', type: 'spki' })));
    expect(codes(verify(MESSAGE, digestOf(MESSAGE), undefined, bundle).findings)).toEqual(['VERIFICATION_ERROR']);
  });

  it('with only a digest, a certificate whose key Node cannot read is BUNDLE_MALFORMED', () => {
    const unknownKey = der.sequence(der.sequence(der.oid('1.3.6.1.4.1.99999.1')), der.bitString(Buffer.alloc(32, 1)));
    expect(codes(verify(MESSAGE, digestOf(MESSAGE), undefined, withCertificate(leafFor(unknownKey))).findings)).toEqual(['BUNDLE_MALFORMED']);
  });

  it('with only a digest, a key-signed message signature against a pinned identity is UNEXPECTED_SIGNER alone', () => {
    expect(codes(verify(KEYED, digestOf(KEYED), toIdentity(MESSAGE)).findings)).toEqual(['UNEXPECTED_SIGNER']);
  });
});

describe('verifyArtifactBundle: what a verified bundle reports', () => {
  it('the transparency log time, as an ISO string, and the certificate\'s signer', () => {
    const bundle = readSampleJson(MESSAGE.bundle) as Json;
    const logged = new Date(Number(bundle.verificationMaterial.tlogEntries[0].integratedTime) * 1000).toISOString();
    const result = verify(MESSAGE, digestOf(MESSAGE));
    expect(result).toMatchObject({ verified: true, findings: [], timestamps: [{ source: 'transparency-log', time: logged }] });
    expect(result.timestamps).toHaveLength(1);
    expect(result.signer).toMatchObject({ kind: 'certificate', subjectAlternativeName: MESSAGE.identity });
  });

  it('a bundle that verified but is about another artifact lists no timestamps', () => {
    const result = verify(DSSE, { sha256Hex: 'b'.repeat(64) });
    expect(codes(result.findings)).toEqual(['SUBJECT_DIGEST_MISMATCH']);
    expect(result.timestamps).toEqual([]);
  });

  it('a pinned key is named by its own id, not by the bundle\'s unsigned hint', () => {
    const bundle = readSampleJson(KEYED.bundle) as Json;
    bundle.verificationMaterial.publicKey.hint = 'SHA256:a-label-anyone-can-write';
    const identity = toIdentity(KEYED);
    const result = verify(KEYED, bytesOf(KEYED), identity, bundle);
    expect(result.verified).toBe(true);
    expect(result.signer).toStrictEqual(getKeySigner(identity as { publicKey: never }));
  });
});

describe('verifyArtifactBundle: bundles signed by a test key, logged in a test log', () => {
  const pki = createTestPki();
  const trust = createTrust({ trustedRoot: Buffer.from(JSON.stringify(pki.trustedRoot())), registryKeys: null });
  const LOGGED = new Date('2026-01-01T00:00:00Z');

  // A message signature over `bytes` with a P-384 key, its messageDigest in `hash`, logged as a
  // hashedrekord entry.
  function signMessage(bytes: Buffer, hash: 'sha384' | 'sha512') {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const digest = createHash(hash).update(bytes).digest();
    const signature = sign(hash, bytes, pair.privateKey);
    const pem = pair.publicKey.export({ format: 'pem', type: 'spki' }).toString();
    const body = {
      apiVersion: '0.0.1',
      kind: 'hashedrekord',
      spec: { data: { hash: { algorithm: hash, value: digest.toString('hex') } }, signature: { content: signature.toString('base64'), publicKey: { content: Buffer.from(pem).toString('base64') } } },
    };
    const bundle = {
      mediaType: BUNDLE_MEDIA_TYPE['0.3'],
      verificationMaterial: { publicKey: { hint: 'a-key' }, tlogEntries: [pki.tlog.append(body, { integratedTime: LOGGED })] },
      messageSignature: { messageDigest: { algorithm: hash === 'sha384' ? 'SHA2_384' : 'SHA2_512', digest: digest.toString('base64') }, signature: signature.toString('base64') },
    };
    return { bundle, publicKey: pair.publicKey };
  }

  it.each(['sha384', 'sha512'] as const)('with the artifact\'s bytes, a message signature with a %s messageDigest verifies over the bytes', (hash) => {
    const bytes = Buffer.from('the artifact\n');
    const { bundle, publicKey } = signMessage(bytes, hash);
    const result = verifyArtifactBundle({ bundle, artifact: { bytes }, identity: { publicKey } }, trust, NOW);
    expect(result.findings).toEqual([]);
    expect(result.timestamps).toEqual([{ source: 'transparency-log', time: LOGGED.toISOString() }]);
  });

  it('a signed DSSE payload that is no in-toto statement fails with the statement\'s finding, after the signature verified', () => {
    const key = pki.registryKey;
    const bundle = signDsseBundle(Buffer.from('not a statement'), { kind: 'publicKey', key: key.key, hint: key.keyid }, pki.tlog, { version: '0.3', integratedTime: new Date('2026-01-01T00:00:00Z') });
    const result = verifyArtifactBundle({ bundle, artifact: { sha256Hex: 'a'.repeat(64) }, identity: { publicKey: key.key.publicKey } }, trust, NOW);
    expect(result.verified).toBe(false);
    expect(codes(result.findings)).toEqual(['STATEMENT_MALFORMED']);
    expect(result.signer?.kind).toBe('public-key');
  });
});

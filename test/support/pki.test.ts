import crypto from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertBundleLatest, assertBundleV01, assertBundleV02, bundleFromJSON } from '@sigstore/bundle';
import { X509Certificate } from '@sigstore/core';
import { describe, expect, test } from 'vitest';
import { NPM_PUBLISH_V01, SLSA_PROVENANCE_V1, makeNpmAttestations, npmPurl, sha512HexOfIntegrity } from './attestations.js';
import { FULCIO_OID, gitlabCiIdentity } from './identity.js';
import { flipPayloadByte, replaceSignature, decodeStatement } from './mutate.js';
import { createTestPki } from './pki.js';
import { publicGoodTrustedRoot } from './recorded.js';
import { registrySignedMessage } from './registry-key.js';
import { verifyBundleJson } from './sigstore-verify.js';
import { makeTarball, sha512Integrity } from './tarball.js';
import { NPMJS_REGISTRY } from './public-urls.js';

const pki = createTestPki({ withTsa: true });
const tarball = makeTarball({ name: '@acme/widget', version: '1.2.3' });
const pkg = { name: '@acme/widget', version: '1.2.3', integrity: sha512Integrity(tarball) };
const doc = makeNpmAttestations(pki, pkg);
const provenance = doc.attestations.find((a) => a.predicateType === SLSA_PROVENANCE_V1)?.bundle;
const publish = doc.attestations.find((a) => a.predicateType === NPM_PUBLISH_V01)?.bundle;
if (!provenance || !publish) throw new Error('attestations missing');

const verifyTest = (bundle: unknown, root: unknown = pki.trustedRoot()) => verifyBundleJson(bundle, root, { keys: pki.tufKeys() });

describe('test PKI', () => {
  test('is generated in well under a second', () => {
    const t0 = performance.now();
    const p = createTestPki({ withTsa: true });
    makeNpmAttestations(p, pkg);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  test('keyless SLSA provenance bundle verifies with @sigstore/verify against the generated root', () => {
    const signer = verifyTest(provenance);
    expect(signer.identity?.subjectAlternativeName).toBe(
      'https://github.com/verify-deps-test/example/.github/workflows/release.yml@refs/tags/v1.0.0',
    );
    expect(signer.identity?.extensions?.issuer).toBe('https://token.actions.githubusercontent.com');
    // SCT (ctlogThreshold 1), tlog (SET + proof) and RFC 3161 timestamp all checked:
    verifyBundleJson(provenance, pki.trustedRoot(), { verifier: { ctlogThreshold: 1, tlogThreshold: 1, timestampThreshold: 2 } });
  });

  test('publish attestation signed by the registry key verifies through the keys argument', () => {
    expect(publish.verificationMaterial.publicKey?.hint).toBe(pki.registryKey.keyid);
    verifyTest(publish);
    expect(() => verifyBundleJson(publish, pki.trustedRoot())).toThrow(/key not found/);
  });

  test('statements are npm-shaped', () => {
    const prov = decodeStatement(provenance);
    expect(prov._type).toBe('https://in-toto.io/Statement/v1');
    expect(prov.subject).toEqual([{ name: 'pkg:npm/%40acme/widget@1.2.3', digest: { sha512: sha512HexOfIntegrity(pkg.integrity) } }]);
    expect(prov.predicate).toMatchObject({
      buildDefinition: { externalParameters: { workflow: { repository: 'https://github.com/verify-deps-test/example', path: '.github/workflows/release.yml', ref: 'refs/tags/v1.0.0' } } },
      runDetails: { builder: { id: 'https://github.com/actions/runner/github-hosted' } },
    });
    expect(decodeStatement(publish).predicate).toEqual({ name: '@acme/widget', version: '1.2.3', registry: NPMJS_REGISTRY });
    expect(npmPurl('plain', '1.0.0')).toBe('pkg:npm/plain@1.0.0');
    expect(sha512HexOfIntegrity(pkg.integrity)).toBe(crypto.createHash('sha512').update(tarball).digest('hex'));
  });

  test('fails after a one-byte payload change, a signature change, and against the public-good root', () => {
    expect(() => verifyTest(flipPayloadByte(provenance))).toThrow();
    expect(() => verifyTest(flipPayloadByte(publish))).toThrow();
    expect(() => verifyTest(replaceSignature(provenance))).toThrow();
    expect(() => verifyTest(replaceSignature(publish))).toThrow();
    expect(() => verifyTest(provenance, publicGoodTrustedRoot())).toThrow();
    expect(() => verifyTest(publish, publicGoodTrustedRoot())).toThrow();
  });

  test('leaf certificate carries the Fulcio extensions, SAN and an embedded SCT', () => {
    const raw = provenance.verificationMaterial.x509CertificateChain?.certificates[0]?.rawBytes ?? '';
    const cert = X509Certificate.parse(Buffer.from(raw, 'base64'));
    const value = (oid: string) => cert.extension(oid)?.valueObj.subs[0]?.value.toString('utf8');
    expect(value(FULCIO_OID.issuer)).toBe('https://token.actions.githubusercontent.com');
    expect(value(FULCIO_OID.buildSignerUri)).toBe(cert.subjectAltName);
    expect(value(FULCIO_OID.runnerEnvironment)).toBe('github-hosted');
    expect(value(FULCIO_OID.sourceRepositoryUri)).toBe('https://github.com/verify-deps-test/example');
    expect(value(FULCIO_OID.sourceRepositoryDigest)).toMatch(/^[0-9a-f]{40}$/);
    expect(value(FULCIO_OID.sourceRepositoryRef)).toBe('refs/tags/v1.0.0');
    expect(value(FULCIO_OID.buildConfigUri)).toBe(cert.subjectAltName);
    expect(value(FULCIO_OID.buildTrigger)).toBe('release');
    expect(value(FULCIO_OID.runInvocationUri)).toMatch(/actions\/runs\/\d+\/attempts\/1$/);
    expect(cert.extSCT?.signedCertificateTimestamps).toHaveLength(1);
    expect(cert.notAfter.getTime() - cert.notBefore.getTime()).toBe(10 * 60_000);
  });

  test('GitLab CI identity, bundle v0.1 (promise only), v0.3 (dsse entry, single certificate)', () => {
    const gitlab = makeNpmAttestations(pki, pkg, { identity: gitlabCiIdentity(), publish: false, bundle: { version: '0.3' } });
    const b03 = gitlab.attestations[0]?.bundle;
    expect(b03?.mediaType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json');
    expect(b03?.verificationMaterial.tlogEntries[0]?.kindVersion).toEqual({ kind: 'dsse', version: '0.0.1' });
    assertBundleLatest(bundleFromJSON(b03));
    expect(verifyTest(b03).identity?.extensions?.issuer).toBe('https://gitlab.com');

    const v01 = makeNpmAttestations(pki, pkg, { bundle: { version: '0.1' } });
    for (const a of v01.attestations) {
      expect(a.bundle.verificationMaterial.tlogEntries[0]?.inclusionProof).toBeUndefined();
      assertBundleV01(bundleFromJSON(a.bundle));
      verifyTest(a.bundle);
    }
    assertBundleV02(bundleFromJSON(provenance));
  });

  test('certificates parse and chain with node:crypto’s independent X.509 parser', () => {
    const raw = provenance.verificationMaterial.x509CertificateChain?.certificates[0]?.rawBytes ?? '';
    const leaf = new crypto.X509Certificate(Buffer.from(raw, 'base64'));
    const [intermediate, root] = pki.ca.chain.map((der) => new crypto.X509Certificate(der));
    if (!intermediate || !root) throw new Error('chain');
    expect(leaf.subjectAltName).toBe(`URI:${verifyTest(provenance).identity?.subjectAlternativeName}`);
    expect(leaf.checkIssued(intermediate)).toBe(true);
    expect(leaf.verify(intermediate.publicKey)).toBe(true);
    expect(intermediate.verify(root.publicKey)).toBe(true);
    expect(root.verify(root.publicKey)).toBe(true);
    expect(root.ca).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(leaf.keyUsage).toContain('1.3.6.1.5.5.7.3.3'); // codeSigning
    for (const der of pki.tsa?.chain ?? []) expect(() => new crypto.X509Certificate(der)).not.toThrow();
  });

  test('RFC 3161 timestamp alone (no SET, as with Rekor v2) satisfies the timestamp threshold', () => {
    const tsaOnly = makeNpmAttestations(pki, pkg, { publish: false, bundle: { version: '0.3', inclusionPromise: false } });
    const bundle = tsaOnly.attestations[0]?.bundle;
    expect(bundle?.verificationMaterial.tlogEntries[0]?.inclusionPromise).toBeUndefined();
    expect(bundle?.verificationMaterial.timestampVerificationData?.rfc3161Timestamps).toHaveLength(1);
    verifyTest(bundle);
    const noTsa = makeNpmAttestations(createTestPki(), pkg, { publish: false, bundle: { version: '0.3', inclusionPromise: false } });
    expect(() => verifyBundleJson(noTsa.attestations[0]?.bundle, pki.trustedRoot())).toThrow(/timestamp/);
  });

  test('chosen certificate window: a leaf that expired before the log time fails', () => {
    const time = new Date('2024-02-01T00:00:00Z');
    const leafEnding = (minutes: number) =>
      makeNpmAttestations(pki, pkg, {
        time,
        publish: false,
        leaf: { notBefore: new Date(time.getTime() - 20 * 60_000), notAfter: new Date(time.getTime() + minutes * 60_000) },
      }).attestations[0]?.bundle;
    verifyTest(leafEnding(+1));
    expect(() => verifyTest(leafEnding(-10))).toThrow(/certificate/i);
  });

  test('tlog entries have a real Merkle inclusion proof and signed checkpoint', () => {
    const entry = provenance.verificationMaterial.tlogEntries[0];
    expect(Number(entry?.inclusionProof?.treeSize)).toBeGreaterThan(Number(entry?.logIndex));
    expect(entry?.inclusionProof?.hashes.length).toBeGreaterThan(0);
    expect(entry?.inclusionProof?.checkpoint.envelope).toMatch(/^rekor\.sigstore\.test - \d+\n\d+\n\S+\n\n\u2014 rekor\.sigstore\.test \S+\n$/);
  });

  test('a chosen time: a 2023 publication verifies with a 2023 certificate and log time', () => {
    const time = new Date('2023-03-01T12:00:00Z');
    const old = makeNpmAttestations(pki, pkg, { time });
    for (const a of old.attestations) {
      verifyTest(a.bundle);
      expect(a.bundle.verificationMaterial.tlogEntries[0]?.integratedTime).toMatch(/^167767/);
    }
  });

  test('registry signatures are npm-shaped and verify with the published key', () => {
    const sig = pki.signPackage(pkg.name, pkg.version, pkg.integrity);
    const [key] = pki.npmKeys().keys;
    expect(key).toMatchObject({ keyid: sig.keyid, keytype: 'ecdsa-sha2-nistp256', scheme: 'ecdsa-sha2-nistp256', expires: null });
    expect(sig.keyid).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    const publicKey = crypto.createPublicKey({ key: Buffer.from(key?.key ?? '', 'base64'), format: 'der', type: 'spki' });
    const message = Buffer.from(registrySignedMessage(pkg.name, pkg.version, pkg.integrity));
    expect(crypto.verify('sha256', message, publicKey, Buffer.from(sig.sig, 'base64'))).toBe(true);
    expect(crypto.verify('sha256', Buffer.from(`${pkg.name}@1.2.4:${pkg.integrity}`), publicKey, Buffer.from(sig.sig, 'base64'))).toBe(false);
  });

  test('trusted root and TUF keys documents are written in the real files’ shapes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'verify-deps-pki-'));
    try {
      const root = JSON.parse(await readFile(await pki.writeTrustedRoot(join(dir, 'trusted_root.json')), 'utf8'));
      expect(root.mediaType).toBe('application/vnd.dev.sigstore.trustedroot+json;version=0.1');
      expect(Object.keys(root).sort()).toEqual(Object.keys(publicGoodTrustedRoot() as object).sort());
      const keys = JSON.parse(await readFile(await pki.writeTufKeys(join(dir, 'keys.json')), 'utf8'));
      const real = JSON.parse(await readFile(new URL('../fixtures/trusted-root/keys.json', import.meta.url), 'utf8'));
      expect(Object.keys(keys.keys[0]).sort()).toEqual(Object.keys(real.keys[0]).sort());
      expect(keys.keys.map((k: { keyUsage: string }) => k.keyUsage)).toEqual(['npm:signatures', 'npm:attestations']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

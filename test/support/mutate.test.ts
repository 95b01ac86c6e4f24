import crypto from 'node:crypto';
import { assertBundleV02, bundleFromJSON } from '@sigstore/bundle';
import { describe, expect, test } from 'vitest';
import { NPM_PUBLISH_V01, SLSA_PROVENANCE_V1, makeNpmAttestations, npmPurl } from './attestations.js';
import type { BundleJson } from './bundle.js';
import { gitlabCiIdentity } from './identity.js';
import * as mutate from './mutate.js';
import { createTestPki } from './pki.js';
import { registrySignedMessage } from './registry-key.js';
import { verifyBundleJson } from './sigstore-verify.js';
import { syntheticScenario } from './scenario.js';

const pki = createTestPki();
const scenario = syntheticScenario(pki, [{ name: 'pkg', version: '1.0.0' }, { name: 'pkg', version: '1.0.1' }], {
  provenanceShare: 1,
  attestation: { time: new Date('2024-06-01T10:00:00Z') },
});
const [v100, v101] = scenario.packages;
const doc = v100?.attestations;
if (!doc || !v101) throw new Error('scenario incomplete');
const bundleOf = (type: string): BundleJson => {
  const b = doc.attestations.find((a) => a.predicateType === type)?.bundle;
  if (!b) throw new Error(type);
  return b;
};
const provenance = bundleOf(SLSA_PROVENANCE_V1);
const publish = bundleOf(NPM_PUBLISH_V01);
const verify = (b: BundleJson, keys = pki.tufKeys()) => verifyBundleJson(b, pki.trustedRoot(), { keys });
const snapshot = JSON.stringify(doc);

describe('mutations', () => {
  test('subject digest / name swaps: plain breaks the signature, resealed leaves only the subject wrong', () => {
    const otherDigest = 'ab'.repeat(64);
    expect(() => verify(mutate.swapSubjectDigest(provenance, otherDigest))).toThrow(/payload hash mismatch|signature/i);
    for (const original of [provenance, publish]) {
      const resealed = mutate.swapSubjectDigest(original, otherDigest, { pki });
      verify(resealed);
      expect(mutate.decodeStatement(resealed).subject[0]?.digest.sha512).toBe(otherDigest);
      expect(resealed.mediaType).toBe(original.mediaType);
      expect(resealed.verificationMaterial.publicKey).toEqual(original.verificationMaterial.publicKey);
    }
    const renamed = mutate.swapSubjectName(provenance, npmPurl('evil', '1.0.0'), { pki });
    verify(renamed);
    expect(mutate.decodeStatement(renamed).subject[0]?.name).toBe('pkg:npm/evil@1.0.0');
    const added = mutate.addSubject(publish, { name: npmPurl('extra', '1.0.0'), digest: { sha512: otherDigest } }, { pki });
    verify(added);
    expect(mutate.decodeStatement(added).subject).toHaveLength(2);
  });

  test('re-signing with another identity gives a valid bundle from someone else', () => {
    const other = mutate.resignWithIdentity(provenance, pki, gitlabCiIdentity({ repository: 'attacker/fork' }));
    expect(verify(other).identity?.subjectAlternativeName).toBe('https://gitlab.com/attacker/fork//.gitlab-ci.yml@refs/heads/main');
    expect(mutate.decodeStatement(other)).toEqual(mutate.decodeStatement(provenance));
  });

  test('stripping the inclusion proof breaks a v0.2 bundle; stripping the promise too leaves no inclusion', () => {
    assertBundleV02(bundleFromJSON(provenance));
    const noProof = mutate.stripInclusionProof(provenance);
    expect(() => verify(noProof)).toThrow(/invalid v0.2 bundle/); // bundleFromJSON requires the proof
    const relabelled = { ...noProof, mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.1' };
    verify(relabelled); // as v0.1 the SET alone proves inclusion to @sigstore/verify
    expect(() => verify(mutate.stripInclusionPromise(relabelled))).toThrow(/invalid v0.1 bundle/); // v0.1 requires the SET
  });

  test('moving the integrated time re-signs the SET: within the certificate window it verifies, after expiry it does not', () => {
    const entry = provenance.verificationMaterial.tlogEntries[0];
    const t = new Date(Number(entry?.integratedTime) * 1000);
    verify(mutate.moveIntegratedTime(provenance, pki.tlog, new Date(t.getTime() + 60_000)));
    const late = mutate.moveIntegratedTime(provenance, pki.tlog, new Date(t.getTime() + 3600_000));
    expect(() => verify(late)).toThrow(/certificate/i);
    // an unsigned time change is caught by the SET instead
    const unsigned = structuredClone(provenance);
    const first = unsigned.verificationMaterial.tlogEntries[0];
    if (first) first.integratedTime = String(Number(first.integratedTime) + 60);
    expect(() => verify(unsigned)).toThrow(/inclusion promise/i);
  });

  test('expiring the registry key (TUF and npm shapes) before the publish time fails the publish bundle', () => {
    const expired = mutate.expireKey(pki.tufKeys(), pki.registryKey.keyid, new Date('2024-01-01T00:00:00Z'));
    expect(() => verify(publish, expired)).toThrow(/not valid for timestamp/);
    const npmKeys = mutate.expireKey(pki.npmKeys(), pki.registryKey.keyid, new Date('2024-01-01T00:00:00Z'));
    expect(npmKeys.keys[0]?.expires).toBe('2024-01-01T00:00:00.000Z');
    expect(pki.npmKeys().keys[0]?.expires).toBeNull();
  });

  test('dropping an attestation and replaying another version’s bundle', () => {
    expect(mutate.dropAttestation(doc, SLSA_PROVENANCE_V1).attestations.map((a) => a.predicateType)).toEqual([NPM_PUBLISH_V01]);
    const replayed = mutate.serveOtherVersionBundle(scenario, 'pkg', '1.0.0', '1.0.1');
    const served = replayed.packages.find((p) => p.version === '1.0.1');
    const bundle = served?.attestations?.attestations[0]?.bundle;
    if (!bundle) throw new Error('no bundle');
    verify(bundle); // cryptographically fine ...
    expect(mutate.decodeStatement(bundle).subject[0]?.name).toBe('pkg:npm/pkg@1.0.0'); // ... but for 1.0.0
    expect(served?.tarball).toBeInstanceOf(Buffer);
    const mapped = mutate.mapBundle(doc, NPM_PUBLISH_V01, mutate.flipPayloadByte);
    expect(() => verify(mapped.attestations[1]?.bundle as BundleJson)).toThrow();
    verify(mapped.attestations[0]?.bundle as BundleJson);
  });

  test('patching a package and tampering with its registry signature', () => {
    const tampered = mutate.tamperRegistrySignature(scenario, 'pkg', '1.0.0');
    const before = scenario.packages[0]?.signatures?.[0];
    const after = tampered.packages[0]?.signatures?.[0];
    expect(after?.keyid).toBe(before?.keyid);
    expect(after?.sig).not.toBe(before?.sig);
    const [key] = pki.npmKeys().keys;
    const publicKey = crypto.createPublicKey({ key: Buffer.from(key?.key ?? '', 'base64'), format: 'der', type: 'spki' });
    const message = Buffer.from(registrySignedMessage('pkg', '1.0.0', v100?.integrity ?? ''));
    expect(crypto.verify('sha256', message, publicKey, Buffer.from(before?.sig ?? '', 'base64'))).toBe(true);
    expect(crypto.verify('sha256', message, publicKey, Buffer.from(after?.sig ?? '', 'base64'))).toBe(false);
    const patched = mutate.withPackage(scenario, 'pkg', '1.0.1', { integrity: 'sha512-AAAA' });
    expect(patched.packages[1]?.integrity).toBe('sha512-AAAA');
    expect(patched.packages[1]?.tarball).toBe(v101.tarball);
  });

  test('mutations never modify their input', () => {
    expect(JSON.stringify(doc)).toBe(snapshot);
    expect(scenario.packages.find((p) => p.version === '1.0.1')?.attestations).toEqual(v101.attestations);
  });

  test('makeNpmAttestations can pin bundle formats: old-style v0.1, and npm’s current mix', () => {
    const old = makeNpmAttestations(pki, v100, { bundle: { version: '0.1' } });
    for (const a of old.attestations) verify(a.bundle);
    const current = makeNpmAttestations(pki, v100, { provenanceBundle: { version: '0.3' }, publishBundle: { version: '0.2', tlogKind: 'dsse' } });
    expect(current.attestations.map((a) => [a.bundle.mediaType, a.bundle.verificationMaterial.tlogEntries[0]?.kindVersion.kind])).toEqual([
      ['application/vnd.dev.sigstore.bundle.v0.3+json', 'dsse'],
      ['application/vnd.dev.sigstore.bundle+json;version=0.2', 'dsse'],
    ]);
    for (const a of current.attestations) verify(a.bundle);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestPki, makeNpmAttestations, mutate, npmPurl, sha512HexOfIntegrity, sha512Integrity, startFixtureRegistry, syntheticScenario,
  NPM_PUBLISH_V01, SLSA_PROVENANCE_V1, type FixtureRegistry, type RegistryScenario,
} from '../support/index.js';
import { attestationsOf, bundleOf, mapPackageBundle, packageOf, stripCheckpoint } from '../support/attack-mutations.js';
import { checkRun, createWorkspace, pinned, HOUR, NOW, PUBLISHED, type CheckRun, type Workspace, writeTrustFiles } from '../support/attack-kit.js';
import { createRegistryKey } from '../support/registry-key.js';

// One end-to-end attack per verification finding code: the REAL CLI against the fixture registry,
// with a test PKI as --trusted-root and its registry keys as --registry-keys. Every package below is
// first checked unmutated (the positive control: all pass); the attack run then serves the same
// scenario with exactly one mutation per package, and each test reads its own package's findings.
// Fetch-level failures (exit 3) are in check-attacks-fetch.test.ts, since they change the exit code
// of the whole run.
const P = {
  digest: 'atk-subject-digest', name: 'atk-subject-name', secondSubject: 'atk-second-subject',
  lockfileIntegrity: 'atk-lockfile-integrity', registryIntegrity: 'atk-registry-integrity', replay: 'atk-replay',
  badSignature: 'atk-bad-signature', unknownKey: 'atk-unknown-key', unknownPublishKey: 'atk-unknown-publish-key',
  expiredSigned: 'atk-key-expired-signed', expiredPackument: 'atk-key-expired-packument', certWindow: 'atk-cert-window',
  future: 'atk-future-timestamp', proofV02: 'atk-proof-v02', proofV03: 'atk-proof-v03', proofCheckpoint: 'atk-proof-checkpoint',
  proofRelabelled: 'atk-proof-relabelled-v01',
  late: 'atk-provenance-late',
} as const;
const SPECS = [...Object.values(P).map((name) => `${name}@1.0.0`).filter((s) => s !== `${P.replay}@1.0.0`), `${P.replay}@1.0.1`];
const EXPIRED_AT = new Date(PUBLISHED.getTime() - 24 * HOUR); // the rotated key's end, in the attack run
const OTHER_SHA512 = sha512Integrity(Buffer.from('bytes the registry never served'));

const pki = createTestPki();
const rotated = pki.addRegistryKey(); // signs the KEY_EXPIRED packages; no end date until the attack
const stranger = createRegistryKey(); // in no keys file

function baseScenario(): RegistryScenario {
  const specs = [...Object.values(P).map((name) => ({ name, version: '1.0.0' })), { name: P.replay, version: '1.0.1' }];
  let s: RegistryScenario = syntheticScenario(pki, specs, { provenanceShare: 1, attestation: { time: PUBLISHED } });
  s = { ...s, packages: s.packages.map((p) => ({ ...p, publishedAt: PUBLISHED })) };
  const byRotated = (name: string) => [pki.signPackage(name, '1.0.0', packageOf(s, name).integrity, rotated)];
  // Its packument `time` claims a publish before the key's end (the attack run's); its signed publish
  // attestation says after. With a publish attestation the CLI never fetches that claim (asserted in 8a).
  s = mutate.withPackage(s, P.expiredSigned, '1.0.0', { signatures: byRotated(P.expiredSigned), publishedAt: new Date(PUBLISHED.getTime() - 60 * 24 * HOUR) });
  s = mutate.withPackage(s, P.expiredPackument, '1.0.0', { signatures: byRotated(P.expiredPackument), attestations: null });
  // npm's current shape: provenance as bundle v0.3, publish as v0.2 with a dsse tlog entry.
  const v03 = makeNpmAttestations(pki, packageOf(s, P.proofV03), { time: PUBLISHED, provenanceBundle: { version: '0.3' }, publishBundle: { version: '0.2', tlogKind: 'dsse' } });
  return mutate.withAttestations(s, P.proofV03, '1.0.0', v03);
}

function attackScenario(base: RegistryScenario): RegistryScenario {
  const reseal = { pki };
  const steps: Array<(s: RegistryScenario) => RegistryScenario> = [
    (s) => mapPackageBundle(s, P.digest, SLSA_PROVENANCE_V1, (b) => mutate.swapSubjectDigest(b, sha512HexOfIntegrity(OTHER_SHA512), reseal)),
    (s) => mapPackageBundle(s, P.name, SLSA_PROVENANCE_V1, (b) => mutate.swapSubjectName(b, npmPurl('atk-other-package', '1.0.0'), reseal)),
    (s) => mapPackageBundle(s, P.secondSubject, SLSA_PROVENANCE_V1, (b) =>
      mutate.addSubject(b, { name: npmPurl('atk-victim', '9.9.9'), digest: { sha512: sha512HexOfIntegrity(OTHER_SHA512) } }, reseal)),
    // The registry serves another dist.integrity while its signature and attestations still cover the lockfile's.
    (s) => mutate.withPackage(s, P.registryIntegrity, '1.0.0', { integrity: OTHER_SHA512 }),
    (s) => mutate.serveOtherVersionBundle(s, P.replay, '1.0.0', '1.0.1'),
    (s) => mutate.tamperRegistrySignature(s, P.badSignature, '1.0.0'),
    (s) => mutate.withPackage(s, P.unknownKey, '1.0.0', { signatures: [pki.signPackage(P.unknownKey, '1.0.0', packageOf(s, P.unknownKey).integrity, stranger)] }),
    (s) => {
      const publish = makeNpmAttestations(pki, packageOf(s, P.unknownPublishKey), { time: PUBLISHED, provenance: false, registryKey: stranger });
      const doc = attestationsOf(s, P.unknownPublishKey);
      return mutate.withAttestations(s, P.unknownPublishKey, '1.0.0', { attestations: [...mutate.dropAttestation(doc, NPM_PUBLISH_V01).attestations, ...publish.attestations] });
    },
    // Leaf valid PUBLISHED-30s .. +9.5 min; the log time (SET re-signed) moves 30 min later.
    (s) => mapPackageBundle(s, P.certWindow, SLSA_PROVENANCE_V1, (b) => mutate.moveIntegratedTime(b, pki.tlog, new Date(PUBLISHED.getTime() + HOUR / 2))),
    (s) => mapPackageBundle(s, P.future, NPM_PUBLISH_V01, (b) => mutate.moveIntegratedTime(b, pki.tlog, new Date(Date.parse(NOW) + 24 * HOUR))),
    (s) => mapPackageBundle(s, P.proofV02, SLSA_PROVENANCE_V1, mutate.stripInclusionProof),
    (s) => mapPackageBundle(s, P.proofV03, SLSA_PROVENANCE_V1, mutate.stripInclusionProof),
    (s) => mapPackageBundle(s, P.proofCheckpoint, SLSA_PROVENANCE_V1, stripCheckpoint),
    // The media type is not signed: a stripped v0.2 bundle relabelled v0.1 must not pass as old.
    (s) => mapPackageBundle(s, P.proofRelabelled, SLSA_PROVENANCE_V1, (b) => ({
      ...mutate.stripInclusionProof(b),
      mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.1',
    })),
    (s) => {
      // A fresh, fully valid provenance, but logged 2 h after the publish attestation.
      const provenance = makeNpmAttestations(pki, packageOf(s, P.late), { time: new Date(PUBLISHED.getTime() + 2 * HOUR), publish: false });
      return mutate.withAttestations(s, P.late, '1.0.0', { attestations: [...provenance.attestations, ...mutate.dropAttestation(attestationsOf(s, P.late), SLSA_PROVENANCE_V1).attestations] });
    },
  ];
  return steps.reduce((s, step) => step(s), base);
}

// The full packument (the only one with `time`: read for a key's validity at publish time, and by
// the downgrade rule for every package without verified provenance or publish attestation).
function fullPackumentRequests(registry: FixtureRegistry, name: string): number {
  return registry.requestsFor(`/${name}`).filter((r) => !(r.headers.accept ?? '').includes('application/vnd.npm.install-v1+json')).length;
}

describe('check: one end-to-end attack per verification finding code', () => {
  let ws: Workspace;
  let base: RegistryScenario;
  let baseRegistry: FixtureRegistry;
  let attackRegistry: FixtureRegistry;
  let control: CheckRun;
  let attack: CheckRun;

  beforeAll(async () => {
    ws = await createWorkspace();
    base = baseScenario();
    [baseRegistry, attackRegistry] = await Promise.all([startFixtureRegistry(base), startFixtureRegistry(attackScenario(base))]);
    const { trustedRoot, registryKeys: baseKeys } = await writeTrustFiles(ws, pki);
    const attackKeys = await ws.writeJson('keys-rotated-expired.json', mutate.expireKey(pki.tufKeys(), rotated.keyid, EXPIRED_AT));
    // The lockfile of the attack run pins, for one package, a sha512 the registry neither serves nor signs.
    const attackLock = pinned(base, SPECS).map((p) => (p.name === P.lockfileIntegrity ? { ...p, integrity: OTHER_SHA512 } : p));
    [control, attack] = await Promise.all([
      checkRun({ ws, label: 'control', registry: baseRegistry, packages: pinned(base, SPECS), trustedRoot, registryKeys: baseKeys }),
      checkRun({ ws, label: 'attack', registry: attackRegistry, packages: attackLock, trustedRoot, registryKeys: attackKeys }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([baseRegistry?.close(), attackRegistry?.close()]);
    await ws?.cleanup();
  });

  // Each attacked package passed in the control run, and fails in the attack run (exit 1: every
  // package of this run was fetched, so the verdict is fail, not incomplete) with exactly these codes.
  const expectAttack = (name: string, expected: string[], version = '1.0.0') => {
    expect(control.codes(name, version)).toEqual([]);
    expect(attack.code).toBe(1);
    expect(attack.report.verdict).toBe('fail');
    expect(attack.codes(name, version)).toEqual(expected);
  };

  it('positive control: the unmutated scenario passes (exit 0), signature and both attestations verified', () => {
    expect(control.report.packages.flatMap((p) => p.findings)).toEqual([]);
    expect(control.report.verdict).toBe('pass');
    expect(control.code).toBe(0);
    expect(control.report.packages.map((p) => `${p.name}@${p.version}`).sort()).toEqual([...SPECS].sort());
    for (const pkg of control.report.packages) {
      expect(pkg.evidence?.registrySignature.status).toBe('verified');
      const expected = pkg.name === P.expiredPackument ? [] : ['verified', 'verified'];
      expect(pkg.evidence?.attestations.map((a) => a.status)).toEqual(expected);
    }
    // No key had an end date, so the evidence needed no publish time: the one full packument read
    // is the downgrade rule's (the package has no attestations).
    expect(control.pkg(P.expiredPackument).evidence?.publishTime).toBeUndefined();
    expect(fullPackumentRequests(baseRegistry, P.expiredPackument)).toBe(1);
  });

  it('1. a swapped subject digest (re-sealed, so only the digest is wrong) → SUBJECT_DIGEST_MISMATCH', () => {
    expectAttack(P.digest, ['SUBJECT_DIGEST_MISMATCH']);
    expect(attack.pkg(P.digest).evidence?.attestations.map((a) => a.status)).toEqual(['failed', 'verified']);
  });

  it('2. a swapped subject name → SUBJECT_NAME_MISMATCH', () => expectAttack(P.name, ['SUBJECT_NAME_MISMATCH']));

  it('3. a second subject naming another package → SUBJECT_NAME_MISMATCH (on subject[1])', () => {
    expectAttack(P.secondSubject, ['SUBJECT_NAME_MISMATCH']);
    expect(attack.pkg(P.secondSubject).findings[0]?.details).toMatchObject({ index: 1, actual: npmPurl('atk-victim', '9.9.9') });
  });

  it('4a. the lockfile pins a sha512 the registry neither serves nor signs → INTEGRITY_MISMATCH', () => {
    // Everything else is bound to the lockfile's pin too, so the signature and both subjects fail as well.
    expectAttack(P.lockfileIntegrity, ['INTEGRITY_MISMATCH', 'SIGNATURE_INVALID', 'SUBJECT_DIGEST_MISMATCH', 'SUBJECT_DIGEST_MISMATCH']);
  });

  it('4b. the registry serves another dist.integrity than the one it signed and attested → INTEGRITY_MISMATCH alone', () =>
    expectAttack(P.registryIntegrity, ['INTEGRITY_MISMATCH']));

  it('5. a replayed bundle of another version → SUBJECT_NAME_MISMATCH on both attestations', () => {
    // The subjects name pkg:npm/atk-replay@1.0.0: the name (purl, version included) is compared first
    // and a subject with the wrong name is not compared further, so the digest mismatch is not reported.
    // The default policy adds its trust-downgrade rule: 1.0.0 had provenance, 1.0.1 has none verified.
    expectAttack(P.replay, ['SUBJECT_NAME_MISMATCH', 'SUBJECT_NAME_MISMATCH', 'TRUST_DOWNGRADE'], '1.0.1');
  });

  it('6. a bad registry signature → SIGNATURE_INVALID', () => {
    expectAttack(P.badSignature, ['SIGNATURE_INVALID']);
    expect(attack.pkg(P.badSignature).evidence?.registrySignature.status).toBe('failed');
  });

  it('7a. a registry signature by an unknown keyid → UNKNOWN_KEY', () => expectAttack(P.unknownKey, ['UNKNOWN_KEY']));

  it('7b. a publish attestation signed by an unknown key → UNKNOWN_KEY', () => expectAttack(P.unknownPublishKey, ['UNKNOWN_KEY']));

  it('8a. key expired at publish time, judged at the publish attestation\'s signed log time → KEY_EXPIRED', () => {
    // Judged at the signed log time: the full packument (whose `time` claims a publish before the key's
    // end) is not read for the key. Without the signed time this would be PUBLISH_TIME_UNKNOWN instead.
    expectAttack(P.expiredSigned, ['KEY_EXPIRED']);
    expect(attack.pkg(P.expiredSigned).evidence?.publishTime).toMatchObject({ signed: true, source: 'publish-attestation' });
    // Read once, by the downgrade rule alone (only the packument says how a version was published).
    expect(fullPackumentRequests(attackRegistry, P.expiredSigned)).toBe(1);
  });

  it('8b. key expired at publish time, no attestations: the full packument\'s time is fetched → KEY_EXPIRED', () => {
    expectAttack(P.expiredPackument, ['KEY_EXPIRED']);
    expect(attack.pkg(P.expiredPackument).evidence?.publishTime).toEqual({ value: PUBLISHED.toISOString(), signed: false, source: 'packument' });
    // One read serves both the key's validity at publish time and the downgrade rule.
    expect(fullPackumentRequests(attackRegistry, P.expiredPackument)).toBe(1);
  });

  it('9. a tlog integrated time outside the certificate\'s validity → CERT_WINDOW', () => expectAttack(P.certWindow, ['CERT_WINDOW']));

  it('10. a log time more than 5 min after now → FUTURE_TIMESTAMP', () => expectAttack(P.future, ['FUTURE_TIMESTAMP']));

  // The CLI reaches MISSING_INCLUSION_PROOF through src/verify/attestation/bundle.ts: @sigstore/bundle's
  // parser rejects a v0.2+ bundle without a proof (ValidationError on ...inclusionProof), and that
  // rejection is named MISSING_INCLUSION_PROOF rather than BUNDLE_MALFORMED. The SET still verifies.
  it('11a. a v0.2 bundle with its inclusion proof stripped → MISSING_INCLUSION_PROOF', () =>
    expectAttack(P.proofV02, ['MISSING_INCLUSION_PROOF']));

  it('11b. a v0.3 bundle (npm\'s current shape) with its inclusion proof stripped → MISSING_INCLUSION_PROOF', () => {
    expectAttack(P.proofV03, ['MISSING_INCLUSION_PROOF']);
    expect(bundleOf(base, P.proofV03, SLSA_PROVENANCE_V1).mediaType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json');
  });

  it('11c. a v0.2 inclusion proof without its signed checkpoint → MISSING_INCLUSION_PROOF', () =>
    expectAttack(P.proofCheckpoint, ['MISSING_INCLUSION_PROOF']));

  it('11d. a stripped v0.2 bundle relabelled v0.1 (an unsigned label), logged in 2026 → MISSING_INCLUSION_PROOF', () =>
    expectAttack(P.proofRelabelled, ['MISSING_INCLUSION_PROOF']));

  it('12. provenance signed 2 h after the publish attestation → PROVENANCE_AFTER_PUBLISH', () => expectAttack(P.late, ['PROVENANCE_AFTER_PUBLISH']));
});

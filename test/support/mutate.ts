// Attack mutations for tests. Every function is pure: it returns a modified deep copy and never
// touches its input. Where a defect must be the ONLY one, pass `reseal` (or the tlog) so the
// signature, tlog entry, SET and inclusion proof are recomputed around the change.
import { type AttestationsDocument, type Statement, statementPayload } from './attestations.js';
import { BUNDLE_MEDIA_TYPE, type BundleJson, type BundleVersion, type TlogKind, signDsseBundle } from './bundle.js';
import { type CiIdentity, githubActionsIdentity } from './identity.js';
import type { TestPki } from './pki.js';
import type { TestTlog } from './tlog.js';
import type { RegistryScenario, ScenarioPackage } from './scenario-types.js';

const clone = <T>(value: T): T => structuredClone(value);

// How to re-sign a changed statement: with the PKI's registry key (key-signed bundles, matched by
// the bundle's hint) or with a fresh leaf for `identity` (keyless bundles).
export interface Reseal {
  pki: TestPki;
  identity?: CiIdentity;
}

// The in-toto statement inside a bundle.
export const decodeStatement = (bundle: BundleJson): Statement =>
  JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8')) as Statement;

const versionOf = (bundle: BundleJson): BundleVersion =>
  ((Object.keys(BUNDLE_MEDIA_TYPE) as BundleVersion[]).find((v) => BUNDLE_MEDIA_TYPE[v] === bundle.mediaType) ?? '0.2');

const firstEntry = (bundle: BundleJson) => {
  const entry = bundle.verificationMaterial.tlogEntries[0];
  if (!entry) throw new Error('bundle has no tlog entry');
  return entry;
};

// Replaces the statement. Without `reseal` the old signature stays (so it no longer verifies);
// with it the bundle is re-signed and re-logged at the same integrated time, keeping its format.
export function withStatement(bundle: BundleJson, statement: Statement, reseal?: Reseal, forceKeyless = false): BundleJson {
  const payload = statementPayload(statement);
  if (!reseal) {
    const out = clone(bundle);
    out.dsseEnvelope.payload = payload.toString('base64');
    return out;
  }
  const entry = firstEntry(bundle);
  const time = new Date(Number(entry.integratedTime) * 1000);
  const options = {
    version: versionOf(bundle),
    tlogKind: entry.kindVersion.kind as TlogKind,
    integratedTime: time,
    inclusionProof: entry.inclusionProof !== undefined,
    inclusionPromise: entry.inclusionPromise !== undefined,
  };
  const hint = bundle.verificationMaterial.publicKey?.hint;
  if (hint && !forceKeyless) {
    const key = reseal.pki.registryKeys.find((k) => k.keyid === hint) ?? reseal.pki.registryKey;
    return signDsseBundle(payload, { kind: 'publicKey', key: key.key, hint: key.keyid }, reseal.pki.tlog, options);
  }
  const leaf = reseal.pki.ca.issueLeaf({
    identity: reseal.identity ?? githubActionsIdentity(),
    notBefore: new Date(time.getTime() - 30_000),
  });
  return signDsseBundle(payload, { kind: 'certificate', leaf }, reseal.pki.tlog, options);
}

// Changes the first subject's sha512 digest (hex).
export function swapSubjectDigest(bundle: BundleJson, sha512Hex: string, reseal?: Reseal): BundleJson {
  const st = decodeStatement(bundle);
  const first = st.subject[0];
  if (first) first.digest = { ...first.digest, sha512: sha512Hex };
  return withStatement(bundle, st, reseal);
}

// Changes the first subject's name (e.g. another purl).
export function swapSubjectName(bundle: BundleJson, name: string, reseal?: Reseal): BundleJson {
  const st = decodeStatement(bundle);
  const first = st.subject[0];
  if (first) first.name = name;
  return withStatement(bundle, st, reseal);
}

// Adds a subject to the statement.
export function addSubject(bundle: BundleJson, subject: Statement['subject'][number], reseal?: Reseal): BundleJson {
  const st = decodeStatement(bundle);
  st.subject.push(subject);
  return withStatement(bundle, st, reseal);
}

// Re-signs the unchanged statement keylessly as another identity (a fully valid bundle).
export const resignWithIdentity = (bundle: BundleJson, pki: TestPki, identity: CiIdentity): BundleJson =>
  withStatement(bundle, decodeStatement(bundle), { pki, identity }, true);

// Removes the inclusion proof from every tlog entry.
export function stripInclusionProof(bundle: BundleJson): BundleJson {
  const out = clone(bundle);
  for (const e of out.verificationMaterial.tlogEntries) delete e.inclusionProof;
  return out;
}

// Removes the inclusion promise (SET) from every tlog entry.
export function stripInclusionPromise(bundle: BundleJson): BundleJson {
  const out = clone(bundle);
  for (const e of out.verificationMaterial.tlogEntries) delete e.inclusionPromise;
  return out;
}

// Moves the integrated time and re-signs the SET with the log key, so only the time is wrong
// (the inclusion proof does not cover the time and stays valid).
export function moveIntegratedTime(bundle: BundleJson, tlog: TestTlog, time: Date): BundleJson {
  const out = clone(bundle);
  for (const e of out.verificationMaterial.tlogEntries) {
    e.integratedTime = String(Math.floor(time.getTime() / 1000));
    if (e.inclusionPromise) e.inclusionPromise = { signedEntryTimestamp: tlog.signEntryTimestamp(e) };
  }
  return out;
}

// Flips one byte of the DSSE payload (signature no longer matches).
export function flipPayloadByte(bundle: BundleJson, index = 10): BundleJson {
  const out = clone(bundle);
  const bytes = Buffer.from(out.dsseEnvelope.payload, 'base64');
  bytes[index % bytes.length] = (bytes[index % bytes.length] ?? 0) ^ 0x01;
  out.dsseEnvelope.payload = bytes.toString('base64');
  return out;
}

// Replaces the DSSE signature with a different (valid-looking DER) signature.
export function replaceSignature(bundle: BundleJson, signatureB64?: string): BundleJson {
  const out = clone(bundle);
  const sig = out.dsseEnvelope.signatures[0];
  if (sig) {
    const bytes = Buffer.from(sig.sig, 'base64');
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0x01;
    sig.sig = signatureB64 ?? bytes.toString('base64');
  }
  return out;
}

// Ends a key's validity at `at`: sets `expires` (npm /-/npm/v1/keys shape) or `publicKey.validFor.end`
// (TUF keys.json shape) of every entry with that keyid.
export function expireKey<T extends { keys: object[] }>(doc: T, keyid: string, at: Date): T {
  const out = clone(doc);
  for (const k of out.keys as Array<Record<string, unknown>>) {
    if (k.keyid === keyid) k.expires = at.toISOString();
    const pub = k.publicKey as { validFor?: { end?: string } } | undefined;
    if (k.keyId === keyid && pub) pub.validFor = { ...pub.validFor, end: at.toISOString() };
  }
  return out;
}

// Removes the attestations with the given predicate type.
export const dropAttestation = (doc: AttestationsDocument, predicateType: string): AttestationsDocument => ({
  attestations: clone(doc.attestations.filter((a) => a.predicateType !== predicateType)),
});

// Applies a bundle mutation to the attestation(s) of one predicate type.
export const mapBundle = (doc: AttestationsDocument, predicateType: string, fn: (b: BundleJson) => BundleJson): AttestationsDocument => ({
  attestations: doc.attestations.map((a) => (a.predicateType === predicateType ? { ...a, bundle: fn(clone(a.bundle)) } : clone(a))),
});

// Scenario in which one package version's fields are patched (integrity, signatures, tarball, ...).
export function withPackage(scenario: RegistryScenario, name: string, version: string, patch: Partial<ScenarioPackage>): RegistryScenario {
  // Copy per package (not structuredClone: it would turn tarball Buffers into plain Uint8Arrays).
  const out: RegistryScenario = { ...scenario, packages: scenario.packages.map((p) => ({ ...p })) };
  const pkg = out.packages.find((p) => p.name === name && p.version === version);
  if (!pkg) throw new Error(`no ${name}@${version} in scenario`);
  Object.assign(pkg, patch);
  return out;
}

// Scenario in which one package version's attestations are replaced (null removes them).
export const withAttestations = (scenario: RegistryScenario, name: string, version: string, doc: AttestationsDocument | null): RegistryScenario =>
  withPackage(scenario, name, version, { attestations: doc ? clone(doc) : null });

// Scenario in which one package's registry signature no longer verifies (one bit of `sig` flipped).
export function tamperRegistrySignature(scenario: RegistryScenario, name: string, version: string): RegistryScenario {
  const pkg = scenario.packages.find((p) => p.name === name && p.version === version);
  const signatures = (pkg?.signatures ?? []).map((s) => {
    const bytes = Buffer.from(s.sig, 'base64');
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0x01;
    return { ...s, sig: bytes.toString('base64') };
  });
  return withPackage(scenario, name, version, { signatures });
}

// Scenario in which `toVersion` serves `fromVersion`'s attestations (a replayed bundle).
export function serveOtherVersionBundle(scenario: RegistryScenario, name: string, fromVersion: string, toVersion: string): RegistryScenario {
  const from = scenario.packages.find((p) => p.name === name && p.version === fromVersion);
  if (!from?.attestations) throw new Error(`no attestations for ${name}@${fromVersion}`);
  return withAttestations(scenario, name, toVersion, from.attestations);
}

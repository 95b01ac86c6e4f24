// The attestation fuzz properties: mutations of the real recorded documents, verified with the
// real trust; no attestation is reported verified once a signed byte of its bundle changed.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { isFindingCode } from '../../src/verify/finding-codes.js';
import { verifyPackageEvidence } from '../../src/verify/index.js';
import type { PackageEvidence, PackageFacts } from '../../src/verify/types.js';
import { NOW, POSITIVE, evidenceFor, realTrust, type IndexEntry } from '../verify/_helpers.js';
import { PropertyViolation, checkProperty, type FuzzProperty } from './harness.js';
import { applyMutation, flipBit, getAt, mutateString, mutationArbitrary, setAt, type Json, type Path } from './json-mutation.js';

// (d) Attestations: mutations of the real recorded documents, verified with the real trust.

const SIGNED_OR_LABEL = /^(payload|payloadType|sig|keyid|canonicalizedBody|rawBytes|signedEntryTimestamp|integratedTime|logIndex|keyId|rootHash|hashes|envelope|treeSize|signedTimestamp|predicateType|mediaType|hint|kind|version)$/;

const interestingAttestationPath = (path: Path): boolean => {
  const last = path[path.length - 1];
  return typeof last === 'string' ? SIGNED_OR_LABEL.test(last) : path.includes('attestations') && path.length <= 3;
};

function get(value: unknown, ...keys: (string | number)[]): unknown {
  let cur = value;
  for (const key of keys) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[key];
  }
  return cur;
}

// The bytes a bundle's signatures cover, decoded as the bundle parser decodes base64 (Node's
// Buffer): a re-encoding that decodes to the same bytes is no change. Never throws.
export function signedFingerprint(bundle: unknown): string {
  const bytes = (v: unknown): string => (typeof v === 'string' ? `b:${Buffer.from(v, 'base64').toString('hex')}` : `j:${JSON.stringify(v) ?? 'undefined'}`);
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
  const unique = (items: string[]): string[] => [...new Set(items)].sort();
  const material = get(bundle, 'verificationMaterial');
  const parts = {
    payload: bytes(get(bundle, 'dsseEnvelope', 'payload')),
    payloadType: JSON.stringify(get(bundle, 'dsseEnvelope', 'payloadType')) ?? 'undefined',
    signatures: unique(list(get(bundle, 'dsseEnvelope', 'signatures')).map((s) => bytes(get(s, 'sig')))),
    bodies: unique(list(get(material, 'tlogEntries')).map((e) => bytes(get(e, 'canonicalizedBody')))),
    certificate: bytes(get(material, 'x509CertificateChain', 'certificates', 0, 'rawBytes') ?? get(material, 'certificate', 'rawBytes')),
    messageSignature: JSON.stringify(get(bundle, 'messageSignature')) ?? 'undefined',
  };
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

interface RealDocument {
  entry: IndexEntry;
  evidence: PackageEvidence;
  doc: Json;
  // Fingerprints of the package's own original bundles.
  fingerprints: ReadonlySet<string>;
}

let realDocuments: RealDocument[] | undefined;

function getRealDocuments(): RealDocument[] {
  realDocuments ??= POSITIVE.map((entry) => {
    const evidence = evidenceFor(entry);
    const doc = evidence.attestations as Json;
    const list = get(doc, 'attestations') as unknown[];
    return { entry, evidence, doc, fingerprints: new Set(list.map((a) => signedFingerprint(get(a, 'bundle')))) };
  });
  return realDocuments;
}

function assertKnownCodes(facts: PackageFacts): void {
  const all = [...facts.findings, ...facts.attestations.flatMap((a) => a.findings)];
  for (const finding of all) {
    if (!isFindingCode(finding.code)) throw new PropertyViolation(`unknown finding code ${JSON.stringify(finding.code)}: ${finding.message}`);
  }
  for (const a of facts.attestations) {
    if (a.status === 'failed' && a.findings.length === 0) throw new PropertyViolation('an attestation failed without a finding');
    if (a.status === 'verified' && a.findings.length > 0) throw new PropertyViolation(`an attestation is verified with findings ${a.findings.map((f) => f.code).join(', ')}`);
  }
}

// The attestations of a mutated document that verified although their signed bytes are not
// those of any of the package's own original bundles.
function verifiedWithChangedBytes(facts: PackageFacts, mutated: Json, original: ReadonlySet<string>): string[] {
  const list = get(mutated, 'attestations');
  const problems: string[] = [];
  facts.attestations.forEach((a, i) => {
    if (a.status !== 'verified') return;
    const bundle = Array.isArray(list) ? get(list[i], 'bundle') : undefined;
    if (!original.has(signedFingerprint(bundle))) problems.push(`attestation ${i} (${a.predicateType}) verified with changed signed bytes`);
  });
  return problems;
}

function outcomeOf(facts: PackageFacts, changed: boolean): string {
  const first = facts.findings[0];
  if (first !== undefined) return `rejected ${first.code}`;
  return changed ? 'verified (only unsigned fields changed)' : 'verified (unchanged)';
}

const attestationCase = fc.record({
  pkg: fc.nat(),
  mutations: fc.array(mutationArbitrary, { minLength: 1, maxLength: 3 }),
});

// (d) Mutated real attestation documents never verify with changed signed bytes.
export const mutatedAttestations: FuzzProperty = {
  name: 'attestations: mutated real documents',
  weight: 5,
  run: (numRuns, seed) =>
    checkProperty('attestations: mutated real documents', attestationCase, numRuns, seed, ({ pkg, mutations }) => {
      const docs = getRealDocuments();
      const real = docs[pkg % docs.length]!;
      const donors = docs.filter((d) => d !== real).map((d) => d.doc);
      let doc = structuredClone(real.doc);
      for (const m of mutations) doc = applyMutation(doc, m, interestingAttestationPath, donors);
      const facts = verifyPackageEvidence({ ...real.evidence, attestations: doc }, realTrust(), NOW);
      assertKnownCodes(facts);
      const problems = verifiedWithChangedBytes(facts, doc, real.fingerprints);
      if (problems.length > 0) throw new PropertyViolation(`${real.entry.name}@${real.entry.version}: ${problems.join('; ')}`);
      return outcomeOf(facts, JSON.stringify(doc) !== JSON.stringify(real.doc));
    }),
};

// Targeted: exactly one bit of exactly one signed field of one bundle flipped. Never verified.
const SIGNED_FIELDS: { label: string; path: (vm: 'x509CertificateChain' | 'certificate' | 'publicKey') => Path | undefined }[] = [
  { label: 'dsse payload', path: () => ['dsseEnvelope', 'payload'] },
  { label: 'dsse signature', path: () => ['dsseEnvelope', 'signatures', 0, 'sig'] },
  { label: 'tlog canonicalizedBody', path: () => ['verificationMaterial', 'tlogEntries', 0, 'canonicalizedBody'] },
  {
    label: 'certificate',
    path: (vm) => (vm === 'x509CertificateChain' ? ['verificationMaterial', 'x509CertificateChain', 'certificates', 0, 'rawBytes'] : vm === 'certificate' ? ['verificationMaterial', 'certificate', 'rawBytes'] : undefined),
  },
];

const bitFlipCase = fc.record({ pkg: fc.nat(), attestation: fc.nat(), field: fc.nat({ max: SIGNED_FIELDS.length - 1 }), bit: fc.nat({ max: 1 << 20 }) });

export const signedBitFlips: FuzzProperty = {
  name: 'attestations: one signed bit flipped',
  weight: 3,
  run: (numRuns, seed) =>
    checkProperty('attestations: one signed bit flipped', bitFlipCase, numRuns, seed, ({ pkg, attestation, field, bit }) => {
      const docs = getRealDocuments();
      const real = docs[pkg % docs.length]!;
      const doc = structuredClone(real.doc) as { attestations: { bundle: Json }[] };
      const index = attestation % doc.attestations.length;
      const bundle = doc.attestations[index]!.bundle;
      const material = get(bundle, 'verificationMaterial') as Record<string, unknown>;
      const kind = 'x509CertificateChain' in material ? 'x509CertificateChain' : 'certificate' in material ? 'certificate' : 'publicKey';
      const spec = SIGNED_FIELDS[field]!;
      const path = spec.path(kind) ?? SIGNED_FIELDS[0]!.path(kind)!;
      const before = getAt(bundle, path);
      if (typeof before !== 'string') throw new PropertyViolation(`fixture has no string at ${path.join('.')}`);
      setAt(bundle, path, flipBit(before, bit));
      const facts = verifyPackageEvidence({ ...real.evidence, attestations: doc }, realTrust(), NOW);
      assertKnownCodes(facts);
      const result = facts.attestations[index];
      if (result === undefined || result.status === 'verified' || facts.findings.length === 0) {
        throw new PropertyViolation(`${real.entry.name}@${real.entry.version}: attestation ${index} verified after flipping bit ${bit} of its ${spec.label}`);
      }
      return `${spec.label}: ${result.findings[0]?.code}`;
    }),
};

// Arbitrary attestation documents and bundles (shapes near the real ones, random contents).
const MEDIA_TYPES = [
  'application/vnd.dev.sigstore.bundle+json;version=0.1',
  'application/vnd.dev.sigstore.bundle+json;version=0.2',
  'application/vnd.dev.sigstore.bundle+json;version=0.3',
  'application/vnd.dev.sigstore.bundle.v0.3+json',
];
const b64 = fc.uint8Array({ maxLength: 96 }).map((b) => Buffer.from(b).toString('base64'));
const statementText = fc
  .record({
    _type: fc.constantFrom('https://in-toto.io/Statement/v1', 'https://in-toto.io/Statement/v0.1', 'x'),
    predicateType: fc.constantFrom('https://slsa.dev/provenance/v1', 'https://github.com/npm/attestation/tree/main/specs/publish/v0.1', ''),
    subject: fc.array(fc.record({ name: fc.constantFrom('pkg:npm/sigstore@2.3.1', 'pkg:npm/x@1'), digest: fc.dictionary(fc.constantFrom('sha512', 'sha256'), fc.string({ unit: fc.constantFrom(...'0123456789abcdef'.split('')) })) }), { maxLength: 3 }),
  })
  .map((s) => Buffer.from(JSON.stringify(s)).toString('base64'));
const arbitraryBundle = fc.record(
  {
    mediaType: fc.oneof(fc.constantFrom(...MEDIA_TYPES), fc.string()),
    verificationMaterial: fc.record(
      {
        publicKey: fc.record({ hint: fc.oneof(fc.constantFrom('SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA', 'SHA256:DhQ8wR5APBvFHLF/+Tc+AYvPOdTpcIDqOhxsBHRwC7U'), fc.string()) }),
        x509CertificateChain: fc.record({ certificates: fc.array(fc.record({ rawBytes: b64 }), { maxLength: 2 }) }),
        tlogEntries: fc.array(
          fc.record(
            {
              logIndex: fc.oneof(fc.nat().map(String), fc.string()),
              logId: fc.record({ keyId: b64 }),
              kindVersion: fc.record({ kind: fc.constantFrom('intoto', 'dsse', 'hashedrekord'), version: fc.constantFrom('0.0.1', '0.0.2') }),
              integratedTime: fc.oneof(fc.nat().map(String), fc.constantFrom('-1', '1e30', 'x')),
              inclusionPromise: fc.record({ signedEntryTimestamp: b64 }),
              inclusionProof: fc.record({ logIndex: fc.nat().map(String), rootHash: b64, treeSize: fc.nat().map(String), hashes: fc.array(b64, { maxLength: 3 }), checkpoint: fc.record({ envelope: fc.string() }) }),
              canonicalizedBody: b64,
            },
            { requiredKeys: [] },
          ),
          { maxLength: 2 },
        ),
      },
      { requiredKeys: [] },
    ),
    dsseEnvelope: fc.record({ payload: fc.oneof(statementText, b64), payloadType: fc.constantFrom('application/vnd.in-toto+json', 'text/plain'), signatures: fc.array(fc.record({ sig: b64, keyid: fc.string() }), { maxLength: 2 }) }, { requiredKeys: [] }),
    messageSignature: fc.record({ messageDigest: fc.record({ algorithm: fc.constantFrom('SHA2_256'), digest: b64 }), signature: b64 }),
  },
  { requiredKeys: [] },
);
const arbitraryDocument = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.record({ attestations: fc.array(fc.record({ predicateType: fc.oneof(fc.constantFrom('https://slsa.dev/provenance/v1', 'https://github.com/npm/attestation/tree/main/specs/publish/v0.1'), fc.string()), bundle: arbitraryBundle }), { maxLength: 3 }) }),
);

export const arbitraryAttestations: FuzzProperty = {
  name: 'attestations: arbitrary documents',
  weight: 2,
  run: (numRuns, seed) =>
    checkProperty('attestations: arbitrary documents', fc.record({ pkg: fc.nat(), doc: arbitraryDocument }), numRuns, seed, ({ pkg, doc }) => {
      const docs = getRealDocuments();
      const real = docs[pkg % docs.length]!;
      const facts = verifyPackageEvidence({ ...real.evidence, attestations: doc }, realTrust(), NOW);
      assertKnownCodes(facts);
      // Nothing random is validly signed by the public-good instance.
      const verified = facts.attestations.filter((a) => a.status === 'verified');
      if (verified.length > 0) throw new PropertyViolation(`a random bundle verified: ${JSON.stringify(doc).slice(0, 300)}`);
      return facts.findings[0] === undefined ? 'no findings' : `rejected ${facts.findings[0].code}`;
    }),
};

// The registry signature and integrity: string mutations of the evidence around a real document.
const evidenceCase = fc.record({
  pkg: fc.nat(),
  field: fc.constantFrom('name', 'version', 'lockfileIntegrity', 'manifest.integrity', 'sig', 'keyid', 'time'),
  mutation: mutationArbitrary,
});

export const mutatedEvidence: FuzzProperty = {
  name: 'evidence: mutated registry signature and integrity',
  weight: 1,
  run: (numRuns, seed) =>
    checkProperty('evidence: mutated registry signature and integrity', evidenceCase, numRuns, seed, ({ pkg, field, mutation }) => {
      const docs = getRealDocuments();
      const real = docs[pkg % docs.length]!;
      const evidence = structuredClone(real.evidence);
      const signature = evidence.manifest.signatures![0]!;
      const change = (text: string): string => (mutation.op === 'flipByte' ? flipBit(text, mutation.bit) : mutateString(text, mutation));
      if (field === 'name') evidence.name = change(evidence.name);
      else if (field === 'version') evidence.version = change(evidence.version);
      else if (field === 'lockfileIntegrity') evidence.lockfileIntegrity = change(evidence.lockfileIntegrity ?? '');
      else if (field === 'manifest.integrity') evidence.manifest.integrity = change(evidence.manifest.integrity ?? '');
      else if (field === 'sig') signature.sig = change(signature.sig);
      else if (field === 'keyid') signature.keyid = change(signature.keyid);
      else evidence.manifest.time = change(evidence.manifest.time ?? '');
      const facts = verifyPackageEvidence(evidence, realTrust(), NOW);
      assertKnownCodes(facts);
      const original = real.evidence;
      const signedChanged =
        evidence.name !== original.name ||
        evidence.version !== original.version ||
        evidence.lockfileIntegrity !== original.lockfileIntegrity ||
        !Buffer.from(signature.sig, 'base64').equals(Buffer.from(original.manifest.signatures![0]!.sig, 'base64'));
      if (signedChanged && facts.findings.length === 0) {
        throw new PropertyViolation(`${field} changed (${JSON.stringify(get(evidence, ...field.split('.')))}) and the package verified`);
      }
      return facts.findings[0] === undefined ? 'verified' : `rejected ${facts.findings[0].code}`;
    }),
};

// The fuzz properties of issue 9, shared by fuzz.test.ts (a small seeded sample in `npm test`) and
// `npm run fuzz` (the same file, FUZZ_RUNS=10000). Every property is seeded: a failure prints the
// seed and fast-check's replay path, and the same seed replays the same cases.
//
// What every property checks, on arbitrary and on mutated real inputs:
// - no unexpected exception: only the documented typed errors (InputError, PolicyError,
//   FetchError) with known codes;
// - no hang: every case is timed and one slower than CASE_TIME_LIMIT_MS counts as a hang;
// - every rejection carries a known finding code (FINDING_CODES);
// - verification: no attestation (and so no package) is reported verified once a SIGNED byte of
//   its bundle changed (DSSE payload, payload type or signature, a tlog entry's canonicalized
//   body, the signing certificate). Unsigned labels may change and still verify.

import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { VerifyDepsError } from '../../src/errors.js';
import { PolicyError } from '../../src/policy/errors.js';
import { parsePolicy } from '../../src/policy/load.js';
import { FetchError } from '../../src/registry/fetch-error.js';
import { toVersionManifest } from '../../src/registry/manifest.js';
import { FINDING_CODES, isFindingCode } from '../../src/verify/finding-codes.js';
import { verifyPackageEvidence } from '../../src/verify/index.js';
import type { PackageEvidence, PackageFacts } from '../../src/verify/types.js';
import { assertLockfileShape, walkTree } from '../../src/walk/index.js';
import { NOW, POSITIVE, evidenceFor, realTrust, type IndexEntry } from '../verify/_helpers.js';
import { NPMJS_REGISTRY, npmjsTarballUrl } from '../support/public-urls.js';

// The seed of every property unless FUZZ_SEED says otherwise.
export const DEFAULT_SEED = 20261123;
// Cases across all properties: small in `npm test`, FUZZ_RUNS in `npm run fuzz`.
export const DEFAULT_TOTAL_RUNS = 700;
// A case slower than this is a hang (synchronous code cannot be interrupted, so it is timed).
export const CASE_TIME_LIMIT_MS = 5_000;

export interface FuzzSettings {
  seed: number;
  totalRuns: number;
}

// Reads FUZZ_SEED and FUZZ_RUNS (both optional) from the environment.
export function fuzzSettings(env: NodeJS.ProcessEnv = process.env): FuzzSettings {
  const seed = env.FUZZ_SEED === undefined ? DEFAULT_SEED : Number(env.FUZZ_SEED);
  const totalRuns = env.FUZZ_RUNS === undefined ? DEFAULT_TOTAL_RUNS : Number(env.FUZZ_RUNS);
  if (!Number.isSafeInteger(seed)) throw new Error(`FUZZ_SEED: expected an integer, got ${env.FUZZ_SEED}`);
  if (!Number.isSafeInteger(totalRuns) || totalRuns < 1) throw new Error(`FUZZ_RUNS: expected a positive integer, got ${env.FUZZ_RUNS}`);
  return { seed, totalRuns };
}

// What one property run found.
export interface PropertyReport {
  name: string;
  seed: number;
  cases: number;
  crashes: number;
  hangs: number;
  violations: number;
  maxCaseMs: number;
  // How the cases ended (accepted, or the error / first finding code), with counts.
  outcomes: Record<string, number>;
  // fast-check's report of the first failing case (with the seed and replay path); undefined when none.
  failure?: string;
}

// One fuzz property: a share (weight) of the total runs, and how to run it.
export interface FuzzProperty {
  name: string;
  weight: number;
  run(numRuns: number, seed: number): Promise<PropertyReport>;
}

// A broken property (as opposed to a crash of the code under test).
class PropertyViolation extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PropertyViolation';
  }
}

class Tally {
  cases = 0;
  crashes = 0;
  hangs = 0;
  violations = 0;
  maxCaseMs = 0;
  readonly outcomes = new Map<string, number>();

  count(outcome: string): void {
    this.outcomes.set(outcome, (this.outcomes.get(outcome) ?? 0) + 1);
  }

  report(name: string, seed: number, failure: string | undefined): PropertyReport {
    const outcomes = Object.fromEntries([...this.outcomes].sort(([a], [b]) => (a < b ? -1 : 1)));
    return { name, seed, cases: this.cases, crashes: this.crashes, hangs: this.hangs, violations: this.violations, maxCaseMs: Math.round(this.maxCaseMs), outcomes, ...(failure === undefined ? {} : { failure }) };
  }
}

// Runs one case: times it, classifies what it threw, and counts it.
async function runCase(tally: Tally, body: () => string | Promise<string>): Promise<void> {
  const start = performance.now();
  let outcome: string;
  try {
    outcome = await body();
  } catch (error) {
    if (error instanceof PropertyViolation) tally.violations++;
    else tally.crashes++;
    throw error;
  }
  const ms = performance.now() - start;
  tally.maxCaseMs = Math.max(tally.maxCaseMs, ms);
  if (ms > CASE_TIME_LIMIT_MS) {
    tally.hangs++;
    throw new PropertyViolation(`a case took ${Math.round(ms)} ms (limit ${CASE_TIME_LIMIT_MS} ms): a hang`);
  }
  tally.cases++;
  tally.count(outcome);
}

// Checks a property with fast-check, counting every case; stops at the first failure (no
// shrinking, so that the counts are of distinct cases; the replay path reproduces it).
async function checkProperty<T>(name: string, arbitrary: fc.Arbitrary<T>, numRuns: number, seed: number, body: (value: T) => string | Promise<string>): Promise<PropertyReport> {
  const tally = new Tally();
  const property = fc.asyncProperty(arbitrary, async (value) => runCase(tally, () => body(value)));
  const details = await fc.check(property, { numRuns, seed, endOnFailure: true, timeout: CASE_TIME_LIMIT_MS * 2 });
  if (details.failed && details.errorInstance === null && tally.hangs === 0) tally.hangs++;
  const error = details.errorInstance as Error | null;
  const failure = details.failed ? `${fc.defaultReportMessage(details)}\nerror: ${error?.stack ?? String(error)}` : undefined;
  return tally.report(name, seed, failure);
}

// The outcome of a call that may throw only the documented typed errors.
function expectTypedError(error: unknown, allowed: (error: unknown) => string | undefined): string {
  const label = allowed(error);
  if (label === undefined) throw error;
  return label;
}

// ---------------------------------------------------------------------------------------------
// Generic JSON mutations: applied to deep copies of real documents.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

const MUTATION_OPS = ['delete', 'replace', 'retype', 'duplicate', 'string', 'flipByte', 'swap', 'borrow'] as const;

export interface JsonMutation {
  op: (typeof MUTATION_OPS)[number];
  at: number;
  at2: number;
  // When true, `at` indexes the "interesting" paths (signed fields, labels) rather than all.
  focus: boolean;
  donor: number;
  bit: number;
  value: Json;
  text: string;
}

const STRANGE_VALUES: Json[] = [null, 0, -1, 1.5, 1e308, '', ' ', 'x', '0', 'null', true, false, [], {}, [null], { '': null }, '\u0000', 'A'.repeat(300)];

// An arbitrary mutation of a JSON document.
export const mutationArbitrary: fc.Arbitrary<JsonMutation> = fc.record({
  op: fc.constantFrom(...MUTATION_OPS),
  at: fc.nat(),
  at2: fc.nat(),
  focus: fc.boolean(),
  donor: fc.nat(),
  bit: fc.nat({ max: 1 << 20 }),
  value: fc.oneof(fc.constantFrom(...STRANGE_VALUES), fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>),
  text: fc.oneof(fc.string({ maxLength: 24 }), fc.constantFrom('https://slsa.dev/provenance/v1', 'application/vnd.in-toto+json', 'pkg:npm/sigstore@2.3.1', '=', '==', '!', 'AAAA')),
});

function listPaths(value: Json, path: Path = [], out: Path[] = []): Path[] {
  out.push(path);
  if (Array.isArray(value)) value.forEach((v, i) => listPaths(v, [...path, i], out));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) listPaths(v, [...path, k], out);
  return out;
}

function getAt(value: Json, path: Path): Json | undefined {
  let cur: Json | undefined = value;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, Json>)[key];
  }
  return cur;
}

// Replaces the value at `path` (the root when path is empty: returns the new root).
function setAt(root: Json, path: Path, next: Json | undefined): Json {
  if (path.length === 0) return next ?? null;
  const parent = getAt(root, path.slice(0, -1));
  const key = path[path.length - 1]!;
  if (Array.isArray(parent) && typeof key === 'number') {
    if (next === undefined) parent.splice(key, 1);
    else parent[key] = next;
  } else if (parent !== null && typeof parent === 'object' && !Array.isArray(parent)) {
    if (next === undefined) delete parent[key as string];
    else parent[key as string] = next;
  }
  return root;
}

function flipBit(text: string, bit: number): string {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length === 0) return `${text}A`;
  const index = (bit >> 3) % bytes.length;
  bytes[index] = bytes[index]! ^ (1 << (bit & 7));
  return bytes.toString('base64');
}

function mutateString(text: string, m: JsonMutation): string {
  const where = text.length === 0 ? 0 : m.at2 % (text.length + 1);
  switch (m.bit % 5) {
    case 0:
      return m.text;
    case 1:
      return text.slice(0, where) + m.text + text.slice(where);
    case 2:
      return text.slice(0, where);
    case 3:
      return text.slice(0, where) + text.slice(where + 1 + (m.bit % 7));
    default:
      return text.toUpperCase() === text ? text.toLowerCase() : text.toUpperCase();
  }
}

// Applies one mutation to `doc` in place (returns the new root). `interesting` picks the paths
// `focus` draws from; `donors` are other documents to borrow values from.
export function applyMutation(doc: Json, m: JsonMutation, interesting: (path: Path) => boolean, donors: readonly Json[]): Json {
  const all = listPaths(doc);
  const focused = all.filter(interesting);
  const pool = m.focus && focused.length > 0 ? focused : all;
  const path = pool[m.at % pool.length]!;
  const current = getAt(doc, path);
  const clone = <T>(v: T): T => structuredClone(v);
  switch (m.op) {
    case 'delete':
      return path.length === 0 ? doc : setAt(doc, path, undefined);
    case 'replace':
      return setAt(doc, path, clone(m.value));
    case 'retype':
      return setAt(doc, path, STRANGE_VALUES[m.at2 % STRANGE_VALUES.length]!);
    case 'duplicate': {
      const parent = getAt(doc, path.slice(0, -1));
      const key = path[path.length - 1];
      if (Array.isArray(parent) && typeof key === 'number') parent.splice(key, 0, clone(parent[key]!));
      else if (Array.isArray(current)) current.push(clone(current[m.at2 % Math.max(current.length, 1)] ?? null));
      else return setAt(doc, path, [clone(current ?? null), clone(current ?? null)]);
      return doc;
    }
    case 'string':
      return typeof current === 'string' ? setAt(doc, path, mutateString(current, m)) : setAt(doc, path, m.text);
    case 'flipByte':
      return typeof current === 'string' ? setAt(doc, path, flipBit(current, m.bit)) : doc;
    case 'swap': {
      const other = all[m.at2 % all.length]!;
      const otherValue = getAt(doc, other);
      if (otherValue === undefined || current === undefined) return doc;
      // A path inside the other would make a cycle; replacing one by a copy of the other is enough.
      return setAt(doc, path, clone(otherValue));
    }
    case 'borrow': {
      if (donors.length === 0) return doc;
      const donor = donors[m.donor % donors.length]!;
      // The same path in the donor when it exists (a like-for-like swap), else any of its values.
      const same = getAt(donor, path);
      if (same !== undefined && m.bit % 4 !== 0) return setAt(doc, path, clone(same));
      const donorPaths = listPaths(donor);
      return setAt(doc, path, clone(getAt(donor, donorPaths[m.at2 % donorPaths.length]!) ?? null));
    }
  }
}

// ---------------------------------------------------------------------------------------------
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

// ---------------------------------------------------------------------------------------------
// (c) Version manifests.

const REAL_MANIFEST: Json = {
  name: 'sigstore',
  version: '2.3.1',
  repository: { type: 'git', url: 'git+https://github.com/sigstore/sigstore-js.git' },
  dist: {
    integrity: 'sha512-8G+/XDU8wNsJOQS5ysDVO0Etg9/2uA5gR9l4ZwijjlwxBcrU6RPfwi2+jJmbP+Ap1Hlp/nVAaEO4Fj22/SL2gQ==',
    shasum: 'c5f0a2c9c3a2b6b3e5f1b1b8b0b8a0e3f4b8c1d2',
    tarball: npmjsTarballUrl('sigstore', '2.3.1'),
    signatures: [{ keyid: 'SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA', sig: 'MEUCIQDrP3LkT2W1k0Y4mCn+Bd4=' }],
    attestations: { url: `${NPMJS_REGISTRY}/-/npm/v1/attestations/sigstore@2.3.1`, provenance: { predicateType: 'https://slsa.dev/provenance/v1' } },
  },
};

function checkManifest(body: unknown): string {
  try {
    const manifest = toVersionManifest(body, 'sigstore', '2.3.1', `${NPMJS_REGISTRY}/sigstore/2.3.1`);
    for (const [key, path] of [['attestationsPath', manifest.attestationsPath], ['tarballPath', manifest.tarballPath]] as const) {
      // Only a path: the (unsigned) packument must not choose the host we connect to.
      if (path !== undefined && (!path.startsWith('/') || /^[a-z][a-z0-9+.-]*:/i.test(path))) throw new PropertyViolation(`${key} ${JSON.stringify(path)} is not a path`);
    }
    if (manifest.integrity !== undefined && typeof manifest.integrity !== 'string') throw new PropertyViolation('integrity is not a string');
    if (manifest.signatures?.some((s) => typeof s.keyid !== 'string' || typeof s.sig !== 'string')) throw new PropertyViolation('a signature is not {keyid, sig} strings');
    if (manifest.attestationsAdvertised !== (manifest.attestationsPath !== undefined)) throw new PropertyViolation('attestationsAdvertised disagrees with attestationsPath');
    return 'accepted';
  } catch (error) {
    return expectTypedError(error, (e) => (e instanceof FetchError && e.kind === 'malformed' ? 'FetchError malformed' : undefined));
  }
}

export const manifests: FuzzProperty = {
  name: 'manifests: arbitrary and mutated',
  weight: 2,
  run: (numRuns, seed) =>
    checkProperty(
      'manifests: arbitrary and mutated',
      fc.oneof(fc.jsonValue({ maxDepth: 4 }).map((v) => ({ arbitrary: v as Json })), fc.array(mutationArbitrary, { minLength: 1, maxLength: 3 }).map((mutations) => ({ mutations }))),
      numRuns,
      seed,
      (input) => {
        if ('arbitrary' in input) return checkManifest(input.arbitrary);
        let doc: Json = structuredClone(REAL_MANIFEST);
        const interesting = (path: Path) => path.includes('dist') || path.includes('name') || path.includes('version');
        for (const m of input.mutations) doc = applyMutation(doc, m, interesting, []);
        return checkManifest(doc);
      },
    ),
};

// ---------------------------------------------------------------------------------------------
// (b) Policies.

const POLICIES_DIR = fileURLToPath(new URL('../../policies/', import.meta.url));
let realPolicies: { file: string; doc: Json; text: string }[] | undefined;

function getRealPolicies() {
  realPolicies ??= readdirSync(POLICIES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const text = readFileSync(join(POLICIES_DIR, file), 'utf8');
      return { file, doc: JSON.parse(text) as Json, text };
    });
  return realPolicies;
}

function checkPolicy(text: string): string {
  try {
    parsePolicy(text, 'fuzz.policy.json');
    return 'accepted';
  } catch (error) {
    return expectTypedError(error, (e) => (e instanceof PolicyError && e.code === 'POLICY_INVALID' && e.problems.length > 0 ? 'PolicyError POLICY_INVALID' : undefined));
  }
}

export const policies: FuzzProperty = {
  name: 'policies: arbitrary and mutated',
  weight: 2,
  run: (numRuns, seed) =>
    checkProperty(
      'policies: arbitrary and mutated',
      fc.oneof(
        fc.json({ maxDepth: 4 }).map((text) => ({ text })),
        fc.string({ maxLength: 64 }).map((text) => ({ text })),
        fc.record({ policy: fc.nat(), mutations: fc.array(mutationArbitrary, { minLength: 1, maxLength: 4 }) }),
        fc.record({ policy: fc.nat(), cut: fc.nat(), insert: fc.string({ maxLength: 4 }) }),
      ),
      numRuns,
      seed,
      (input) => {
        if ('text' in input) return checkPolicy(input.text);
        const all = getRealPolicies();
        const real = all[input.policy % all.length]!;
        if ('cut' in input) {
          const at = input.cut % (real.text.length + 1);
          return checkPolicy(real.text.slice(0, at) + input.insert + real.text.slice(at + (input.cut % 3)));
        }
        let doc = structuredClone(real.doc);
        for (const m of input.mutations) doc = applyMutation(doc, m, () => true, all.map((p) => p.doc));
        return checkPolicy(JSON.stringify(doc));
      },
    ),
};

// ---------------------------------------------------------------------------------------------
// (a) Lockfiles.

const LOCKFILES_DIR = fileURLToPath(new URL('../fixtures/lockfiles/', import.meta.url));
// Small real lockfiles (v1, v2, v3) to mutate.
const LOCKFILE_SAMPLES = ['firepit-builder-small', 'socket.io-4.3.2-v1', 'axios-1.7.9'];
let realLockfiles: { name: string; doc: Json; packageJson: string }[] | undefined;

function getRealLockfiles() {
  realLockfiles ??= LOCKFILE_SAMPLES.map((name) => ({
    name,
    doc: JSON.parse(readFileSync(join(LOCKFILES_DIR, name, 'package-lock.json'), 'utf8')) as Json,
    packageJson: readFileSync(join(LOCKFILES_DIR, name, 'package.json'), 'utf8'),
  }));
  return realLockfiles;
}

const LOCKFILE_ERRORS: ReadonlySet<string> = new Set(['LOCKFILE_INVALID', 'LOCKFILE_UNPARSEABLE', 'INPUT_TOO_LARGE', 'PACKAGE_JSON_UNPARSEABLE']);

const lockfileError = (e: unknown): string | undefined => (e instanceof VerifyDepsError && e.name === 'InputError' && LOCKFILE_ERRORS.has(e.code) ? `InputError ${e.code}` : undefined);

const interestingLockfilePath = (path: Path): boolean => path.length <= 4;

const lockfileCase = fc.oneof(
  fc.jsonValue({ maxDepth: 5 }).map((v) => ({ arbitrary: v as Json })),
  fc.record({ sample: fc.nat(), mutations: fc.array(mutationArbitrary, { minLength: 1, maxLength: 4 }) }),
  fc.record({ depth: fc.integer({ min: 1, max: 20_000 }), version: fc.constantFrom(1, 2, 3) }),
);

function buildLockfile(input: { arbitrary: Json } | { sample: number; mutations: JsonMutation[] } | { depth: number; version: number }): Json {
  if ('arbitrary' in input) return input.arbitrary;
  if ('depth' in input) {
    // Deep nesting: v1 `dependencies` (the shape check once recursed on it) or deep v2+ locations.
    if (input.version === 1) {
      let deps: Json = {};
      for (let i = 0; i < input.depth; i++) deps = { a: { version: '1.0.0', dependencies: deps } };
      return { lockfileVersion: 1, dependencies: deps };
    }
    return { lockfileVersion: input.version, packages: { '': { name: 'deep' }, [`${'node_modules/a/'.repeat(input.depth)}node_modules/a`]: { version: '1.0.0' } } };
  }
  const all = getRealLockfiles();
  let doc = structuredClone(all[input.sample % all.length]!.doc);
  for (const m of input.mutations) doc = applyMutation(doc, m, interestingLockfilePath, all.map((l) => l.doc));
  return doc;
}

export const lockfileShapes: FuzzProperty = {
  name: 'lockfiles: assertLockfileShape',
  weight: 3,
  run: (numRuns, seed) =>
    checkProperty('lockfiles: assertLockfileShape', lockfileCase, numRuns, seed, (input) => {
      const doc = buildLockfile(input);
      try {
        const version = assertLockfileShape(doc, 'package-lock.json');
        if (![1, 2, 3].includes(version)) throw new PropertyViolation(`lockfile version ${version} accepted`);
        return `accepted v${version}`;
      } catch (error) {
        return expectTypedError(error, lockfileError);
      }
    }),
};

// walkTree on a temporary project: the whole read (text, shape, arborist, inventory). Slower, so
// a smaller share of the runs.
export const lockfileWalks: FuzzProperty = {
  name: 'lockfiles: walkTree',
  weight: 1,
  run: async (numRuns, seed) => {
    const dir = mkdtempSync(join(tmpdir(), 'verify-deps-fuzz-'));
    try {
      return await checkProperty(
        'lockfiles: walkTree',
        fc.oneof(
          { weight: 4, arbitrary: lockfileCase.filter((c) => !('depth' in c) || c.depth <= 2_000).map((c) => ({ json: c })) },
          { weight: 1, arbitrary: fc.record({ sample: fc.nat(), cut: fc.nat(), insert: fc.string({ maxLength: 3 }) }) },
        ),
        numRuns,
        seed,
        async (input) => {
          const all = getRealLockfiles();
          let text: string;
          let packageJson = all[0]!.packageJson;
          if ('json' in input) {
            if ('sample' in input.json) packageJson = all[input.json.sample % all.length]!.packageJson;
            text = JSON.stringify(buildLockfile(input.json));
          } else {
            const real = all[input.sample % all.length]!;
            const source = JSON.stringify(real.doc, null, 2);
            const at = input.cut % (source.length + 1);
            text = source.slice(0, at) + input.insert + source.slice(at + (input.cut % 3));
            packageJson = real.packageJson;
          }
          writeFileSync(join(dir, 'package-lock.json'), text);
          writeFileSync(join(dir, 'package.json'), packageJson);
          try {
            const result = await walkTree(dir);
            for (const ref of result.packages) {
              if (typeof ref.name !== 'string' || typeof ref.version !== 'string') throw new PropertyViolation(`a package without a name/version string: ${JSON.stringify(ref).slice(0, 200)}`);
            }
            return `walked (${result.packages.length > 0 ? 'packages' : 'empty'})`;
          } catch (error) {
            return expectTypedError(error, lockfileError);
          }
        },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

// Every property, in the order they run and report.
export const PROPERTIES: readonly FuzzProperty[] = [mutatedAttestations, signedBitFlips, arbitraryAttestations, mutatedEvidence, manifests, policies, lockfileShapes, lockfileWalks];

// Shares `totalRuns` between the properties by weight (at least 10 each).
export function runsPerProperty(totalRuns: number, properties: readonly FuzzProperty[] = PROPERTIES): number[] {
  const weights = properties.reduce((sum, p) => sum + p.weight, 0);
  return properties.map((p) => Math.max(10, Math.round((totalRuns * p.weight) / weights)));
}

// One line per property, then the totals; for the log of `npm test` and `npm run fuzz`.
export function formatReports(reports: readonly PropertyReport[], seed: number): string {
  const lines = reports.map(
    (r) => `${r.name.padEnd(52)} cases ${String(r.cases).padStart(6)}  crashes ${r.crashes}  hangs ${r.hangs}  violations ${r.violations}  max ${r.maxCaseMs} ms`,
  );
  const total = (key: 'cases' | 'crashes' | 'hangs' | 'violations') => reports.reduce((sum, r) => sum + r[key], 0);
  lines.push(`total: ${total('cases')} cases, ${total('crashes')} crashes, ${total('hangs')} hangs, ${total('violations')} violations; seed ${seed} (FUZZ_SEED=${seed} replays)`);
  return lines.join('\n');
}

export { FINDING_CODES };

// The binding of a signed statement to THIS package, each check in isolation on decoded
// statements, then through the whole pipeline by editing real fixtures.

import { describe, expect, it } from 'vitest';
import { toPurl, toStatement, verifyPredicateType, verifySubjects } from '../../src/verify/attestation/index.js';
import { MAX_SUBJECTS } from '../../src/verify/attestation/statement.js';
import { verifySignerKind } from '../../src/verify/attestation/index.js';
import { getSha512Hex } from '../../src/verify/integrity.js';
import { verifyPackageEvidence } from '../../src/verify/index.js';
import { NOW, POSITIVE, clone, codes, evidenceFor, readJson, realTrust, signRegistry, TEST_KEYID } from './_helpers.js';

const SIGSTORE_040 = POSITIVE.find((e) => e.name === 'sigstore' && e.version === '0.4.0')!;
const SCOPED = POSITIVE.find((e) => e.name === '@laurentsimon/provenance-npm-test' && e.version === '1.0.0')!;
const SHA512 = getSha512Hex(SIGSTORE_040.integrity)!;

function decodedStatement(file: string, index: number) {
  const env = readJson(`attestations/${file}`).attestations[index].bundle.dsseEnvelope;
  const decoded = toStatement({ payloadType: env.payloadType, payload: Buffer.from(env.payload, 'base64') });
  if (!('statement' in decoded)) throw new Error('fixture statement did not decode');
  return decoded.statement;
}

describe('toPurl', () => {
  it('percent-encodes the scope and keeps the version verbatim', () => {
    expect(toPurl('sigstore', '0.4.0')).toBe('pkg:npm/sigstore@0.4.0');
    expect(toPurl('@scope/pkg', '1.0.0-rc.1+b')).toBe('pkg:npm/%40scope/pkg@1.0.0-rc.1+b');
  });

  it('has no package URL for a name npm refuses or a version that is not one exact version', () => {
    expect(toPurl('../escape', '1.0.0')).toBeUndefined();
    expect(toPurl('sigstore', '^1.0.0')).toBeUndefined();
    expect(toPurl('sigstore', '')).toBeUndefined();
  });

  it('asked about packages in turn, the same one twice included, answers for each the package asked about', () => {
    const asked: [string, string][] = [['a', '1.0.0'], ['a', '1.0.0'], ['sigstore', '^1.0.0'], ['sigstore', '^1.0.0'], ['a', '1.0.1'], ['@s/a', '1.0.1'], ['a', '1.0.1']];
    expect(asked.map(([name, version]) => toPurl(name, version))).toEqual(['pkg:npm/a@1.0.0', 'pkg:npm/a@1.0.0', undefined, undefined, 'pkg:npm/a@1.0.1', 'pkg:npm/%40s/a@1.0.1', 'pkg:npm/a@1.0.1']);
  });
});

describe('verifySubjects (on decoded real statements)', () => {
  const statement = decodedStatement(SIGSTORE_040.file, 1);

  it('accepts the real statement for its own package and digest', () => {
    expect(verifySubjects(statement, 'sigstore', '0.4.0', SHA512)).toEqual([]);
  });

  it('fails every subject of a package that has no package URL, naming none as expected', () => {
    const findings = verifySubjects(statement, 'sigstore', 'latest', SHA512);
    expect(codes(findings)).toEqual(['SUBJECT_NAME_MISMATCH']);
    expect(findings[0]?.details).toMatchObject({ expected: null, actual: 'pkg:npm/sigstore@0.4.0' });
  });

  it('fails another package name (SUBJECT_NAME_MISMATCH)', () => {
    expect(codes(verifySubjects(statement, 'sigstore', '1.4.0', SHA512))).toEqual(['SUBJECT_NAME_MISMATCH']);
    expect(codes(verifySubjects(statement, 'not-sigstore', '0.4.0', SHA512))).toEqual(['SUBJECT_NAME_MISMATCH']);
  });

  it('fails a digest other than the lockfile sha512 (SUBJECT_DIGEST_MISMATCH), with both values in the message', () => {
    const other = 'ab'.repeat(64);
    const findings = verifySubjects(statement, 'sigstore', '0.4.0', other);
    expect(codes(findings)).toEqual(['SUBJECT_DIGEST_MISMATCH']);
    expect(findings[0]?.message).toContain(other);
    expect(findings[0]?.message).toContain(SHA512);
  });

  it('checks every subject: a second subject naming another package fails', () => {
    const two = { subject: [...statement.subject, { name: 'pkg:npm/evil@1.0.0', digest: { sha512: SHA512 } }] };
    expect(codes(verifySubjects(two, 'sigstore', '0.4.0', SHA512))).toEqual(['SUBJECT_NAME_MISMATCH']);
  });

  it('checks every subject: a second subject with this name and another digest fails', () => {
    const two = { subject: [...statement.subject, { name: 'pkg:npm/sigstore@0.4.0', digest: { sha512: 'cd'.repeat(64) } }] };
    expect(codes(verifySubjects(two, 'sigstore', '0.4.0', SHA512))).toEqual(['SUBJECT_DIGEST_MISMATCH']);
  });

  it('fails a subject without a sha512 digest', () => {
    const none = { subject: [{ name: 'pkg:npm/sigstore@0.4.0', digest: { sha256: 'ef'.repeat(32) } }] };
    expect(codes(verifySubjects(none, 'sigstore', '0.4.0', SHA512))).toEqual(['SUBJECT_DIGEST_MISMATCH']);
  });

  it('fails when the lockfile pins no sha512 to bind to', () => {
    expect(getSha512Hex('sha1-' + Buffer.alloc(20).toString('base64'))).toBeUndefined();
    expect(codes(verifySubjects(statement, 'sigstore', '0.4.0', undefined))).toEqual(['SUBJECT_DIGEST_MISMATCH']);
  });

  it('accepts the encoded scope of a real scoped statement and rejects a raw "@"', () => {
    const scoped = decodedStatement(SCOPED.file, 0);
    const sha = getSha512Hex(SCOPED.integrity);
    expect(verifySubjects(scoped, SCOPED.name, SCOPED.version, sha)).toEqual([]);
    const raw = { subject: [{ ...scoped.subject[0]!, name: `pkg:npm/${SCOPED.name}@${SCOPED.version}` }] };
    expect(codes(verifySubjects(raw, SCOPED.name, SCOPED.version, sha))).toEqual(['SUBJECT_NAME_MISMATCH']);
  });
});

describe('toStatement', () => {
  const payload = (o: unknown) => Buffer.from(JSON.stringify(o));
  const ok = { _type: 'https://in-toto.io/Statement/v0.1', predicateType: 'p', subject: [{ name: 'n', digest: { sha512: 'x' } }] };

  it('decodes a statement', () => {
    expect(toStatement({ payloadType: 'application/vnd.in-toto+json', payload: payload(ok) })).toMatchObject({ statement: { predicateType: 'p' } });
  });

  // Statements are decoded without any signing here, so the limit itself is cheap to test.
  it('decodes MAX_SUBJECTS subjects and refuses one more (INPUT_TOO_LARGE with the limit and count)', () => {
    const subjects = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `n${i}`, digest: { sha512: 'x' } }));
    const decode = (n: number) => toStatement({ payloadType: 'application/vnd.in-toto+json', payload: payload({ ...ok, subject: subjects(n) }) });
    const atLimit = decode(MAX_SUBJECTS);
    expect('statement' in atLimit && atLimit.statement.subject).toHaveLength(MAX_SUBJECTS);
    expect(decode(MAX_SUBJECTS + 1)).toEqual({ finding: expect.objectContaining({ code: 'INPUT_TOO_LARGE', details: { limit: MAX_SUBJECTS, actual: MAX_SUBJECTS + 1 } }) });
  });

  it('keeps a subject without digests, as an empty digest set the binding then refuses', () => {
    const decoded = toStatement({ payloadType: 'application/vnd.in-toto+json', payload: payload({ ...ok, subject: [{ name: 'n' }] }) });
    expect(decoded).toMatchObject({ statement: { subject: [{ name: 'n', digest: {} }] } });
  });

  it.each([
    ['another payload type', { payloadType: 'text/plain', payload: payload(ok) }],
    ['non-JSON', { payloadType: 'application/vnd.in-toto+json', payload: Buffer.from('{') }],
    ['a wrong _type', { payloadType: 'application/vnd.in-toto+json', payload: payload({ ...ok, _type: 'x' }) }],
    ['no subjects', { payloadType: 'application/vnd.in-toto+json', payload: payload({ ...ok, subject: [] }) }],
    ['a subject without a name', { payloadType: 'application/vnd.in-toto+json', payload: payload({ ...ok, subject: [{ digest: {} }] }) }],
    ['no predicateType', { payloadType: 'application/vnd.in-toto+json', payload: payload({ ...ok, predicateType: undefined }) }],
    ['a digest that is not a string', { payloadType: 'application/vnd.in-toto+json', payload: payload({ ...ok, subject: [{ name: 'n', digest: { sha512: 1 } }] }) }],
    ['one digest of two that is not a string', { payloadType: 'application/vnd.in-toto+json', payload: payload({ ...ok, subject: [{ name: 'n', digest: { sha256: 'ab', sha512: 1 } }] }) }],
    ['a statement that is not an object', { payloadType: 'application/vnd.in-toto+json', payload: payload(null) }],
    ['an empty predicateType', { payloadType: 'application/vnd.in-toto+json', payload: payload({ ...ok, predicateType: '' }) }],
    ['digests that are not an object', { payloadType: 'application/vnd.in-toto+json', payload: payload({ ...ok, subject: [{ name: 'n', digest: 'x' }] }) }],
  ])('fails %s (STATEMENT_MALFORMED)', (_, env) => {
    expect(toStatement(env)).toMatchObject({ finding: { code: 'STATEMENT_MALFORMED' } });
  });
});

describe('verifyPredicateType and verifySignerKind', () => {
  it('fails a document predicateType that differs from the signed one', () => {
    expect(verifyPredicateType('a', { predicateType: 'a' })).toEqual([]);
    expect(codes(verifyPredicateType('a', { predicateType: 'b' }))).toEqual(['PREDICATE_TYPE_MISMATCH']);
  });

  it('requires a registry key for publish and a certificate for provenance', () => {
    const cert = { kind: 'certificate' as const, extensions: {} };
    const key = { kind: 'public-key' as const, keyid: 'k' };
    expect(verifySignerKind('publish', key)).toEqual([]);
    expect(verifySignerKind('provenance', cert)).toEqual([]);
    expect(verifySignerKind('other', key)).toEqual([]);
    expect(codes(verifySignerKind('publish', cert))).toEqual(['UNEXPECTED_SIGNER']);
    expect(codes(verifySignerKind('provenance', key))).toEqual(['UNEXPECTED_SIGNER']);
  });
});

describe('binding through the pipeline (real bundles, edited inputs)', () => {
  const trust = realTrust();

  it('a swapped subject digest inside the signed payload fails as SIGNATURE_INVALID first', () => {
    const doc = readJson(`attestations/${SIGSTORE_040.file}`);
    const env = doc.attestations[1].bundle.dsseEnvelope;
    const statement = JSON.parse(Buffer.from(env.payload, 'base64').toString());
    statement.subject[0].digest.sha512 = 'ab'.repeat(64);
    env.payload = Buffer.from(JSON.stringify(statement)).toString('base64');
    const facts = verifyPackageEvidence(evidenceFor(SIGSTORE_040, { attestations: doc }), trust, NOW);
    expect(codes(facts.findings)).toEqual(['SIGNATURE_INVALID']);
  });

  it('the real bundles for another version fail SUBJECT_NAME_MISMATCH on both attestations', () => {
    const base = evidenceFor(SIGSTORE_040);
    const facts = verifyPackageEvidence(
      { ...base, version: '0.4.1', manifest: { ...base.manifest, signatures: [{ keyid: TEST_KEYID, sig: signRegistry('sigstore', '0.4.1', SIGSTORE_040.integrity) }] } },
      trust,
      NOW,
    );
    expect(codes(facts.findings)).toEqual(['SUBJECT_NAME_MISMATCH', 'SUBJECT_NAME_MISMATCH']);
    expect(facts.attestations.map((a) => a.status)).toEqual(['failed', 'failed']);
    // The publish attestation did not bind, so its time is not used as the signed publish time.
    expect(facts.publishTime?.signed).toBe(false);
  });

  it('a lockfile pinning other bytes fails SUBJECT_DIGEST_MISMATCH on both attestations', () => {
    const other = 'sha512-' + Buffer.alloc(64, 1).toString('base64');
    const facts = verifyPackageEvidence(
      evidenceFor(SIGSTORE_040, {
        lockfileIntegrity: other,
        manifest: {
          integrity: other,
          attestationsAdvertised: true,
          time: '2023-01-11T17:31:54Z',
          signatures: [{ keyid: TEST_KEYID, sig: signRegistry('sigstore', '0.4.0', other) }],
        },
      }),
      trust,
      NOW,
    );
    expect(codes(facts.findings)).toEqual(['SUBJECT_DIGEST_MISMATCH', 'SUBJECT_DIGEST_MISMATCH']);
  });

  it("a registry dist.integrity that differs from the lockfile's fails INTEGRITY_MISMATCH", () => {
    const base = evidenceFor(SIGSTORE_040);
    const claimed = 'sha512-' + Buffer.alloc(64, 2).toString('base64');
    const facts = verifyPackageEvidence({ ...base, manifest: { ...base.manifest, integrity: claimed } }, trust, NOW);
    expect(codes(facts.findings)).toEqual(['INTEGRITY_MISMATCH']);
    expect(facts.findings[0]?.message).toContain(SIGSTORE_040.integrity);
    expect(facts.findings[0]?.message).toContain(claimed);
  });

  it('a lockfile without integrity fails INTEGRITY_MISSING and binds nothing', () => {
    const facts = verifyPackageEvidence(evidenceFor(SIGSTORE_040, { lockfileIntegrity: null }), trust, NOW);
    expect(codes(facts.findings)).toEqual(['INTEGRITY_MISSING', 'SUBJECT_DIGEST_MISMATCH', 'SUBJECT_DIGEST_MISMATCH']);
    expect(facts.registrySignature.status).toBe('failed');
  });

  it('relabelled predicate types fail PREDICATE_TYPE_MISMATCH', () => {
    const doc = readJson(`attestations/${SIGSTORE_040.file}`);
    [doc.attestations[0].predicateType, doc.attestations[1].predicateType] = [doc.attestations[1].predicateType, doc.attestations[0].predicateType];
    const facts = verifyPackageEvidence(evidenceFor(SIGSTORE_040, { attestations: doc }), trust, NOW);
    expect(codes(facts.findings)).toEqual(['PREDICATE_TYPE_MISMATCH', 'PREDICATE_TYPE_MISMATCH']);
    // Facts carry the signed predicate type, not the document's label.
    expect(facts.attestations[0]?.predicateType).toBe('https://slsa.dev/provenance/v0.2');
  });

  it('two publish attestations fail DUPLICATE_PREDICATE_TYPE and give no signed publish time', () => {
    const doc = readJson(`attestations/${SIGSTORE_040.file}`);
    doc.attestations.push(clone(doc.attestations[1]));
    const facts = verifyPackageEvidence(evidenceFor(SIGSTORE_040, { attestations: doc }), trust, NOW);
    expect(codes(facts.findings)).toEqual(['DUPLICATE_PREDICATE_TYPE']);
    expect(facts.publishTime?.signed).toBe(false);
  });
});

describe('the attestations document', () => {
  const trust = realTrust();
  const run = (attestations: unknown, advertised = true) =>
    verifyPackageEvidence(
      evidenceFor(SIGSTORE_040, { attestations, manifest: { ...evidenceFor(SIGSTORE_040).manifest, attestationsAdvertised: advertised } }),
      trust,
      NOW,
    );

  it.each([
    ['null', null],
    ['an array', []],
    ['a string', 'x'],
    ['attestations not an array', { attestations: {} }],
    ['an entry without a bundle', { attestations: [{ predicateType: 'p' }] }],
    ['an entry that is not an object', { attestations: [1] }],
  ])('fails %s (ATTESTATIONS_MALFORMED)', (_, doc) => {
    expect(codes(run(doc).findings)).toEqual(['ATTESTATIONS_MALFORMED']);
  });

  it('fails advertised attestations that were not supplied or are empty (ATTESTATIONS_MISSING)', () => {
    expect(codes(run(undefined).findings)).toEqual(['ATTESTATIONS_MISSING']);
    expect(codes(run({ attestations: [] }).findings)).toEqual(['ATTESTATIONS_MISSING']);
  });

  it('has nothing to say about a package that advertises none and has none', () => {
    const facts = run(undefined, false);
    expect(facts.findings).toEqual([]);
    expect(facts.attestations).toEqual([]);
    expect(facts.publishTime?.signed).toBe(false);
  });
});

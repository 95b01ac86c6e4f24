// Parsing a trusted root (src/verify/trust/trusted-root.ts) field by field: what each accepted
// field becomes, the defaults the parser fills, and the field each refusal names (a fact the
// error carries, not its message).

import { describe, expect, it } from 'vitest';
import { TrustMaterialError } from '../../src/verify/index.js';
import { toTrustedRoot } from '../../src/verify/trust/trusted-root.js';
import { TRUSTED_ROOT_BYTES } from './_helpers.js';
import { CTFE_URL, FULCIO_URL, REKOR_URL } from '../support/public-urls.js';

const root = () => JSON.parse(TRUSTED_ROOT_BYTES.toString('utf8'));

// The field of the TRUSTED_ROOT_INVALID error parsing throws (any other error fails the test).
function refusedField(doc: unknown): string | undefined {
  try {
    toTrustedRoot(doc);
  } catch (err) {
    expect(err).toBeInstanceOf(TrustMaterialError);
    expect((err as TrustMaterialError).code).toBe('TRUSTED_ROOT_INVALID');
    return (err as TrustMaterialError).field;
  }
  throw new Error('expected the trusted root to be refused');
}

function edited(edit: (r: any) => unknown): unknown {
  const r = root();
  edit(r);
  return r;
}

describe('toTrustedRoot: what an accepted root becomes', () => {
  it('keeps each log, CA and TSA with its values, filling only operator and checkpointKeyId', () => {
    const r = root();
    const parsed = toTrustedRoot(r);
    expect(parsed.mediaType).toBe(r.mediaType);
    expect(parsed.tlogs[0]).toEqual({
      baseUrl: REKOR_URL,
      hashAlgorithm: 1,
      publicKey: { rawBytes: Buffer.from(r.tlogs[0].publicKey.rawBytes, 'base64'), keyDetails: 5, validFor: { start: new Date('2021-01-12T11:53:27Z') } },
      logId: { keyId: Buffer.from(r.tlogs[0].logId.keyId, 'base64') },
      checkpointKeyId: undefined,
      operator: '',
    });
    expect(parsed.tlogs[1]?.publicKey?.keyDetails).toBe(7);
    expect(parsed.ctlogs.map((c) => c.baseUrl)).toEqual([`${CTFE_URL}/test`, `${CTFE_URL}/2022`]);
    expect(parsed.ctlogs[0]?.publicKey?.validFor).toEqual({ start: new Date('2021-03-14T00:00:00Z'), end: new Date('2022-10-31T23:59:59.999Z') });
    expect(parsed.certificateAuthorities[0]).toEqual({
      subject: { organization: 'sigstore.dev', commonName: 'sigstore' },
      uri: FULCIO_URL,
      certChain: { certificates: [{ rawBytes: Buffer.from(r.certificateAuthorities[0].certChain.certificates[0].rawBytes, 'base64') }] },
      validFor: { start: new Date('2021-03-07T03:20:29Z'), end: new Date('2022-12-31T23:59:59.999Z') },
      operator: '',
    });
    expect(parsed.certificateAuthorities[1]?.certChain?.certificates).toHaveLength(2);
    expect(parsed.timestampAuthorities[0]?.subject?.commonName).toBe('sigstore-tsa-selfsigned');
  });

  it('accepts the v0.2 media type', () => {
    const parsed = toTrustedRoot(edited((r) => (r.mediaType = 'application/vnd.dev.sigstore.trustedroot.v0.2+json')));
    expect(parsed.mediaType).toBe('application/vnd.dev.sigstore.trustedroot.v0.2+json');
  });

  it.each([
    ['PKCS1_RSA_PKCS1V5', 1],
    ['PKIX_RSA_PKCS1V5', 3],
    ['PKIX_ECDSA_P256_SHA_256', 5],
    ['PKIX_ED25519', 7],
    ['PKIX_RSA_PKCS1V15_2048_SHA256', 9],
    ['PKIX_RSA_PKCS1V15_3072_SHA256', 10],
    ['PKIX_RSA_PKCS1V15_4096_SHA256', 11],
    ['PKIX_ECDSA_P384_SHA_384', 12],
    ['PKIX_ECDSA_P521_SHA_512', 13],
  ])('reads the log key type %s as its protobuf value %d', (name, value) => {
    expect(toTrustedRoot(edited((r) => (r.tlogs[0].publicKey.keyDetails = name))).tlogs[0]?.publicKey?.keyDetails).toBe(value);
  });

  it.each([
    ['SHA2_256', 1],
    ['SHA2_384', 2],
    ['SHA2_512', 3],
  ])('reads the log hash %s as its protobuf value %d', (name, value) => {
    expect(toTrustedRoot(edited((r) => (r.tlogs[0].hashAlgorithm = name))).tlogs[0]?.hashAlgorithm).toBe(value);
  });

  it('keeps a checkpoint key id and an operator when given', () => {
    const parsed = toTrustedRoot(
      edited((r) => {
        r.tlogs[0].checkpointKeyId = { keyId: 'AAEC' };
        r.tlogs[0].operator = 'sigstore.dev';
        r.certificateAuthorities[0].operator = 'fulcio operator';
      }),
    );
    expect(parsed.tlogs[0]?.checkpointKeyId).toEqual({ keyId: Buffer.from([0, 1, 2]) });
    expect(parsed.tlogs[0]?.operator).toBe('sigstore.dev');
    expect(parsed.certificateAuthorities[0]?.operator).toBe('fulcio operator');
  });

  it('fills an operator, URI or subject that is not text with empty values', () => {
    const parsed = toTrustedRoot(
      edited((r) => {
        r.tlogs[0].operator = 7;
        r.certificateAuthorities[0].operator = 7;
        r.certificateAuthorities[0].uri = 7;
        r.certificateAuthorities[0].subject = {};
        delete r.certificateAuthorities[1].subject;
        delete r.certificateAuthorities[1].uri;
      }),
    );
    expect(parsed.tlogs[0]?.operator).toBe('');
    expect(parsed.certificateAuthorities[0]).toMatchObject({ operator: '', uri: '', subject: { organization: '', commonName: '' } });
    expect(parsed.certificateAuthorities[1]?.subject).toBeUndefined();
    expect(parsed.certificateAuthorities[1]?.uri).toBe('');
  });

  it('reads a root without timestamp authorities as having none', () => {
    expect(toTrustedRoot(edited((r) => delete r.timestampAuthorities)).timestampAuthorities).toEqual([]);
  });

  it('accepts a validity window that ends when it starts', () => {
    const parsed = toTrustedRoot(edited((r) => (r.tlogs[0].publicKey.validFor = { start: '2024-01-01T00:00:00Z', end: '2024-01-01T00:00:00Z' })));
    expect(parsed.tlogs[0]?.publicKey?.validFor).toEqual({ start: new Date('2024-01-01T00:00:00Z'), end: new Date('2024-01-01T00:00:00Z') });
  });
});

describe('toTrustedRoot: the field each refusal names', () => {
  it.each([
    ['no media type', (r: any) => delete r.mediaType, 'mediaType'],
    ['a media type that is not text', (r: any) => (r.mediaType = 1), 'mediaType'],
    ['an unknown media type', (r: any) => (r.mediaType = 'application/json'), 'mediaType'],
    ['tlogs not an array', (r: any) => (r.tlogs = {}), 'tlogs'],
    ['ctlogs missing', (r: any) => delete r.ctlogs, 'ctlogs'],
    ['certificate authorities missing', (r: any) => delete r.certificateAuthorities, 'certificateAuthorities'],
    ['timestamp authorities not an array', (r: any) => (r.timestampAuthorities = {}), 'timestampAuthorities'],
    ['no transparency log', (r: any) => (r.tlogs = []), '$'],
    ['a log that is not an object', (r: any) => (r.tlogs[1] = 'log'), 'tlogs[1]'],
    ['a CT log that is not an object', (r: any) => (r.ctlogs[1] = null), 'ctlogs[1]'],
    ['a log without a URL', (r: any) => delete r.tlogs[0].baseUrl, 'tlogs[0].baseUrl'],
    ['a log with an empty URL', (r: any) => (r.tlogs[0].baseUrl = ''), 'tlogs[0].baseUrl'],
    ['a log with an unknown hash', (r: any) => (r.tlogs[0].hashAlgorithm = 'MD5'), 'tlogs[0].hashAlgorithm'],
    ['a log with a hash that is not text', (r: any) => (r.tlogs[0].hashAlgorithm = 1), 'tlogs[0].hashAlgorithm'],
    ['a log hash named after an object property', (r: any) => (r.tlogs[0].hashAlgorithm = 'toString'), 'tlogs[0].hashAlgorithm'],
    ['a log without a public key', (r: any) => delete r.tlogs[0].publicKey, 'tlogs[0].publicKey'],
    ['a log key that is not base64', (r: any) => (r.tlogs[0].publicKey.rawBytes = 'not base64!'), 'tlogs[0].publicKey.rawBytes'],
    ['an unknown key type', (r: any) => (r.tlogs[0].publicKey.keyDetails = 'PKIX_WHATEVER'), 'tlogs[0].publicKey.keyDetails'],
    ['a key type named after an object property', (r: any) => (r.tlogs[0].publicKey.keyDetails = 'constructor'), 'tlogs[0].publicKey.keyDetails'],
    ['a key type that is not text', (r: any) => (r.tlogs[0].publicKey.keyDetails = 5), 'tlogs[0].publicKey.keyDetails'],
    ['a log key without validity', (r: any) => delete r.ctlogs[0].publicKey.validFor, 'ctlogs[0].publicKey.validFor'],
    ['a log without a log id', (r: any) => delete r.tlogs[0].logId, 'tlogs[0].logId.keyId'],
    ['a log id that is not base64', (r: any) => (r.tlogs[0].logId = { keyId: '!' }), 'tlogs[0].logId.keyId'],
    ['a checkpoint key id that is not base64', (r: any) => (r.tlogs[1].checkpointKeyId = { keyId: '!' }), 'tlogs[1].checkpointKeyId.keyId'],
    ['a checkpoint key id of null', (r: any) => (r.tlogs[1].checkpointKeyId = null), 'tlogs[1].checkpointKeyId.keyId'],
    ['a CA that is not an object', (r: any) => (r.certificateAuthorities[1] = []), 'certificateAuthorities[1]'],
    ['a CA without a chain', (r: any) => delete r.certificateAuthorities[0].certChain, 'certificateAuthorities[0].certChain.certificates'],
    ['a chain without certificates', (r: any) => (r.certificateAuthorities[0].certChain = {}), 'certificateAuthorities[0].certChain.certificates'],
    ['a chain of zero certificates', (r: any) => (r.certificateAuthorities[0].certChain.certificates = []), 'certificateAuthorities[0].certChain.certificates'],
    ['a certificate that is not an object', (r: any) => (r.certificateAuthorities[1].certChain.certificates[1] = 'MIIB'), 'certificateAuthorities[1].certChain.certificates[1].rawBytes'],
    ['a certificate that is not base64', (r: any) => (r.certificateAuthorities[1].certChain.certificates[1].rawBytes = '!'), 'certificateAuthorities[1].certChain.certificates[1].rawBytes'],
    ['a certificate that is not DER', (r: any) => (r.timestampAuthorities[0].certChain.certificates[1].rawBytes = 'AAAA'), 'timestampAuthorities[0].certChain.certificates[1]'],
    ['a CA without validity', (r: any) => delete r.certificateAuthorities[1].validFor, 'certificateAuthorities[1].validFor'],
    ['a validity without a start', (r: any) => delete r.certificateAuthorities[1].validFor.start, 'certificateAuthorities[1].validFor.start'],
    ['a start that is not a time', (r: any) => (r.tlogs[0].publicKey.validFor.start = 'soon'), 'tlogs[0].publicKey.validFor.start'],
    ['an end that is not a time', (r: any) => (r.tlogs[0].publicKey.validFor.end = 'later'), 'tlogs[0].publicKey.validFor.end'],
    ['an end of null', (r: any) => (r.tlogs[0].publicKey.validFor.end = null), 'tlogs[0].publicKey.validFor.end'],
    ['an end a millisecond before the start', (r: any) => (r.tlogs[0].publicKey.validFor = { start: '2024-01-01T00:00:00.001Z', end: '2024-01-01T00:00:00Z' }), 'tlogs[0].publicKey.validFor.end'],
  ])('%s is refused, naming that field', (_, edit, field) => {
    expect(refusedField(edited(edit as (r: any) => unknown))).toBe(field);
  });

  it('a root that is not an object is refused, naming the whole document', () => {
    expect(refusedField('trusted root')).toBe('$');
    expect(refusedField(null)).toBe('$');
    expect(refusedField([])).toBe('$');
  });
});

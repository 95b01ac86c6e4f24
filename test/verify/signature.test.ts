// Registry signatures with a key generated here: each finding is produced by exactly one check.

import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTrust } from '../../src/verify/index.js';
import { verifyRegistrySignatures } from '../../src/verify/signature.js';
import { TEST_KEYID, TEST_SIGNING, TRUSTED_ROOT_BYTES, codes, keysWithTestKey, signRegistry } from './_helpers.js';

const NAME = '@scope/pkg';
const VERSION = '1.2.3';
const INTEGRITY = 'sha512-' + Buffer.alloc(64, 7).toString('base64');
const PUBLISHED = { value: new Date('2024-06-01T00:00:00Z'), signed: true };

function trustWith(validFor: { start: string; end?: string }) {
  return createTrust({ trustedRoot: TRUSTED_ROOT_BYTES, registryKeys: keysWithTestKey(validFor) });
}
const trust = trustWith({ start: '2020-01-01T00:00:00Z' });

function check(signatures: unknown, opts: { integrity?: string | null; publishTime?: typeof PUBLISHED; keys?: typeof trust.registryKeys } = {}) {
  return verifyRegistrySignatures(
    {
      name: NAME,
      version: VERSION,
      integrity: opts.integrity === undefined ? INTEGRITY : opts.integrity,
      signatures,
      ...(opts.publishTime === undefined ? { publishTime: PUBLISHED } : { publishTime: opts.publishTime }),
    },
    opts.keys ?? trust.registryKeys,
  );
}

const good = () => [{ keyid: TEST_KEYID, sig: signRegistry(NAME, VERSION, INTEGRITY) }];

describe('verifyRegistrySignatures', () => {
  it('verifies a good signature over name@version:integrity', () => {
    const r = check(good());
    expect(r.findings).toEqual([]);
    expect(r.facts).toEqual({ status: 'verified', keyid: TEST_KEYID, keyids: [TEST_KEYID] });
  });

  it('fails a signature made by another key (SIGNATURE_INVALID)', () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const r = check([{ keyid: TEST_KEYID, sig: signRegistry(NAME, VERSION, INTEGRITY, other.privateKey) }]);
    expect(codes(r.findings)).toEqual(['SIGNATURE_INVALID']);
    expect(r.facts.status).toBe('failed');
  });

  it('fails garbage and non-base64 signatures without throwing', () => {
    expect(codes(check([{ keyid: TEST_KEYID, sig: Buffer.from('not a DER signature').toString('base64') }]).findings)).toEqual(['SIGNATURE_INVALID']);
    expect(codes(check([{ keyid: TEST_KEYID, sig: '!!!' }]).findings)).toEqual(['SIGNATURE_INVALID']);
  });

  it('checks the signature over the LOCKFILE integrity: a signature over another integrity fails', () => {
    const registryClaim = 'sha512-' + Buffer.alloc(64, 9).toString('base64');
    const r = check([{ keyid: TEST_KEYID, sig: signRegistry(NAME, VERSION, registryClaim) }]);
    expect(codes(r.findings)).toEqual(['SIGNATURE_INVALID']);
  });

  it('fails an unknown keyid (UNKNOWN_KEY)', () => {
    const r = check([{ keyid: 'SHA256:nobody', sig: signRegistry(NAME, VERSION, INTEGRITY) }]);
    expect(codes(r.findings)).toEqual(['UNKNOWN_KEY']);
    expect(r.findings[0]?.message).toContain('SHA256:nobody');
  });

  it('does not accept an npm:attestations-only key for registry signatures', () => {
    const attestationOnly = createTrust({
      trustedRoot: TRUSTED_ROOT_BYTES,
      registryKeys: {
        keys: [
          {
            keyId: TEST_KEYID,
            keyUsage: 'npm:attestations',
            publicKey: {
              rawBytes: TEST_SIGNING.publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
              keyDetails: 'PKIX_ECDSA_P256_SHA_256',
              validFor: { start: '2020-01-01T00:00:00Z' },
            },
          },
        ],
      },
    });
    expect(codes(check(good(), { keys: attestationOnly.registryKeys }).findings)).toEqual(['UNKNOWN_KEY']);
  });

  it('fails a key that expired before the publish time (KEY_EXPIRED)', () => {
    const expired = trustWith({ start: '2020-01-01T00:00:00Z', end: '2024-01-01T00:00:00Z' });
    const r = check(good(), { keys: expired.registryKeys });
    expect(codes(r.findings)).toEqual(['KEY_EXPIRED']);
    expect(r.findings[0]?.message).toContain('2024-06-01T00:00:00.000Z');
    expect(r.findings[0]?.details).toMatchObject({ publishTimeSigned: true });
  });

  it('fails a key not yet valid at the publish time (KEY_EXPIRED)', () => {
    const future = trustWith({ start: '2025-01-01T00:00:00Z' });
    expect(codes(check(good(), { keys: future.registryKeys }).findings)).toEqual(['KEY_EXPIRED']);
  });

  it('accepts a key that expired AFTER the publish time', () => {
    const later = trustWith({ start: '2020-01-01T00:00:00Z', end: '2025-01-01T00:00:00Z' });
    expect(check(good(), { keys: later.registryKeys }).findings).toEqual([]);
  });

  it('says the publish time was unsigned when judging at the packument time', () => {
    const expired = trustWith({ start: '2020-01-01T00:00:00Z', end: '2024-01-01T00:00:00Z' });
    const r = check(good(), { keys: expired.registryKeys, publishTime: { value: PUBLISHED.value, signed: false } });
    expect(r.findings[0]?.message).toContain('unsigned');
  });

  it('fails a key with an end date when no publish time is known (PUBLISH_TIME_UNKNOWN)', () => {
    const ending = trustWith({ start: '2020-01-01T00:00:00Z', end: '2030-01-01T00:00:00Z' });
    const r = verifyRegistrySignatures({ name: NAME, version: VERSION, integrity: INTEGRITY, signatures: good() }, ending.registryKeys);
    expect(codes(r.findings)).toEqual(['PUBLISH_TIME_UNKNOWN']);
  });

  it('leaves a key with an end date unjudged, without a finding of its own, when a failed publish attestation withheld the time', () => {
    const ending = trustWith({ start: '2020-01-01T00:00:00Z', end: '2030-01-01T00:00:00Z' });
    const input = { name: NAME, version: VERSION, integrity: INTEGRITY, signatures: good(), publishAttestationFailed: true };
    const r = verifyRegistrySignatures(input, ending.registryKeys);
    expect(r.findings).toEqual([]);
    // Never verified: the attestation's finding is what fails the package.
    expect(r.facts.status).toBe('failed');
    // A signature that does not verify is still reported on its own.
    expect(codes(verifyRegistrySignatures({ ...input, signatures: [{ keyid: TEST_KEYID, sig: '!!!' }] }, ending.registryKeys).findings)).toEqual(['SIGNATURE_INVALID']);
  });

  it('does not demand a publish time for a key with a start date and no end', () => {
    const open = trustWith({ start: '2020-01-01T00:00:00Z' });
    const r = verifyRegistrySignatures({ name: NAME, version: VERSION, integrity: INTEGRITY, signatures: good() }, open.registryKeys);
    expect(r.findings).toEqual([]);
  });

  it('reports SIGNATURE_MISSING for no or empty signatures', () => {
    expect(check(undefined).facts.status).toBe('missing');
    expect(codes(check(undefined).findings)).toEqual(['SIGNATURE_MISSING']);
    expect(codes(check([]).findings)).toEqual(['SIGNATURE_MISSING']);
  });

  it('fails malformed signature lists', () => {
    for (const bad of ['x', [{ keyid: 1, sig: 'a' }], [null], {}]) {
      expect(codes(check(bad).findings)).toEqual(['SIGNATURE_INVALID']);
    }
  });

  it('requires every signature to pass: one good and one unknown key fails', () => {
    const r = check([...good(), { keyid: 'SHA256:other', sig: signRegistry(NAME, VERSION, INTEGRITY) }]);
    expect(codes(r.findings)).toEqual(['UNKNOWN_KEY']);
    expect(r.facts).toEqual({ status: 'failed', keyid: TEST_KEYID, keyids: [TEST_KEYID, 'SHA256:other'] });
  });

  it('requires every signature to pass: one good and one bad signature fails', () => {
    const r = check([...good(), { keyid: TEST_KEYID, sig: good()[0]!.sig.replace(/^./, (c) => (c === 'M' ? 'N' : 'M')) }]);
    expect(codes(r.findings)).toEqual(['SIGNATURE_INVALID']);
  });

  it('fails (without a finding of its own) when the lockfile pins no integrity', () => {
    const r = check(good(), { integrity: null });
    expect(r.facts.status).toBe('failed');
  });

  // The facts and details each outcome records (what a report shows), not only the codes.
  it('records no keyids for missing and malformed signature lists', () => {
    expect(check(undefined).facts).toEqual({ status: 'missing', keyids: [] });
    expect(check([{ keyid: TEST_KEYID, sig: 'a' }, { keyid: TEST_KEYID }]).facts).toEqual({ status: 'failed', keyids: [] });
    expect(codes(check([{ keyid: TEST_KEYID, sig: 'a' }, { keyid: TEST_KEYID }]).findings)).toEqual(['SIGNATURE_INVALID']);
    expect(codes(check([{ keyid: TEST_KEYID }]).findings)).toEqual(['SIGNATURE_INVALID']);
  });

  it('records the keyids when the lockfile pins no integrity, with no finding', () => {
    expect(check(good(), { integrity: null })).toEqual({ facts: { status: 'failed', keyid: TEST_KEYID, keyids: [TEST_KEYID] }, findings: [] });
  });

  it('an index with no npm:signatures keys at all: UNKNOWN_KEY naming the keyid', () => {
    expect(check(good(), { keys: new Map() }).findings).toEqual([expect.objectContaining({ code: 'UNKNOWN_KEY', details: { keyid: TEST_KEYID } })]);
  });

  it('details of KEY_EXPIRED, PUBLISH_TIME_UNKNOWN and SIGNATURE_INVALID', () => {
    const expired = trustWith({ start: '2020-01-01T00:00:00Z', end: '2024-01-01T00:00:00Z' });
    expect(check(good(), { keys: expired.registryKeys, publishTime: { value: PUBLISHED.value, signed: false } }).findings).toEqual([
      expect.objectContaining({ code: 'KEY_EXPIRED', details: { keyid: TEST_KEYID, publishTime: '2024-06-01T00:00:00.000Z', publishTimeSigned: false } }),
    ]);
    const unknownTime = verifyRegistrySignatures({ name: NAME, version: VERSION, integrity: INTEGRITY, signatures: good() }, expired.registryKeys);
    expect(unknownTime.findings).toEqual([expect.objectContaining({ code: 'PUBLISH_TIME_UNKNOWN', details: { keyid: TEST_KEYID } })]);
    expect(check([{ keyid: TEST_KEYID, sig: '!!!' }]).findings).toEqual([expect.objectContaining({ code: 'SIGNATURE_INVALID', details: { keyid: TEST_KEYID } })]);
  });

  it('a key in the npm shape (an end, no start) with no publish time: PUBLISH_TIME_UNKNOWN, nothing throws', () => {
    const key = TEST_SIGNING.publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
    const npmShape = { keys: [{ expires: '2030-01-01T00:00:00.000Z', keyid: TEST_KEYID, keytype: 'ecdsa-sha2-nistp256', scheme: 'ecdsa-sha2-nistp256', key }] };
    const keys = createTrust({ trustedRoot: TRUSTED_ROOT_BYTES, registryKeys: npmShape }).registryKeys;
    const r = verifyRegistrySignatures({ name: NAME, version: VERSION, integrity: INTEGRITY, signatures: good() }, keys);
    expect(codes(r.findings)).toEqual(['PUBLISH_TIME_UNKNOWN']);
  });

  it('a key of a type that cannot verify a sha256 signature fails the signature instead of throwing', () => {
    const ed = generateKeyPairSync('ed25519');
    const keys = new Map([['npm:signatures', new Map([[TEST_KEYID, { keyid: TEST_KEYID, publicKey: ed.publicKey, usage: new Set(['npm:signatures']) }]])]]);
    const r = check([{ keyid: TEST_KEYID, sig: Buffer.alloc(64, 1).toString('base64') }], { keys: keys as never });
    expect(codes(r.findings)).toEqual(['SIGNATURE_INVALID']);
    expect(r.facts.status).toBe('failed');
  });
});

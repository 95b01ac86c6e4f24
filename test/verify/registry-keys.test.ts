// Parsing registry keys (src/verify/trust/registry-keys.ts) entry by entry: which shape an entry
// is read as, and the field a refusal names (a fact the error carries, not its message).

import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TrustMaterialError } from '../../src/verify/index.js';
import { isKeyValidAt, toRegistryKeyIndex, toRegistryKeys } from '../../src/verify/trust/registry-keys.js';
import { TEST_SIGNING, tufKey } from './_helpers.js';

const SPKI = TEST_SIGNING.publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
const NPM = { expires: null, keyid: 'SHA256:npm', keytype: 'ecdsa-sha2-nistp256', scheme: 'ecdsa-sha2-nistp256', key: SPKI };
const tuf = (validFor: { start: string; end?: string }) => tufKey('SHA256:tuf', 'npm:signatures', TEST_SIGNING.publicKey, validFor);

// The field of the REGISTRY_KEYS_INVALID error parsing throws (any other error fails the test).
function refusedField(doc: unknown): string | undefined {
  try {
    toRegistryKeys(doc);
  } catch (err) {
    expect(err).toBeInstanceOf(TrustMaterialError);
    expect((err as TrustMaterialError).code).toBe('REGISTRY_KEYS_INVALID');
    return (err as TrustMaterialError).field;
  }
  throw new Error('expected the keys to be refused');
}

describe('toRegistryKeys: the document', () => {
  it.each([
    ['null', null],
    ['a string', 'keys'],
    ['no keys array', { keys: 'x' }],
    ['an empty keys array', { keys: [] }],
  ])('%s is refused at "keys"', (_, doc) => {
    expect(refusedField(doc)).toBe('keys');
  });
});

describe('toRegistryKeys: which shape an entry is read as', () => {
  it.each([
    ['null', null],
    ['a number', 5],
    ['a TUF keyId without a publicKey', { keyId: 'SHA256:tuf' }],
    ['an npm keyid without a key (but a good type)', { keyid: 'SHA256:npm', keytype: NPM.keytype, scheme: NPM.scheme }],
    ['an npm key whose keyid is not a string', { ...NPM, keyid: 5 }],
  ])('an entry that is %s is refused at the entry', (_, entry) => {
    expect(refusedField({ keys: [entry] })).toBe('keys[0]');
  });

  it('an npm key that also carries a publicKey object is still read as an npm key (a TUF entry needs a keyId)', () => {
    const [key] = toRegistryKeys({ keys: [{ ...NPM, publicKey: { rawBytes: SPKI } }] });
    expect(key?.keyid).toBe('SHA256:npm');
    expect([...key!.usage]).toEqual(['npm:signatures', 'npm:attestations']);
  });

  it('an npm key with the right keytype and another scheme is refused', () => {
    expect(refusedField({ keys: [{ ...NPM, scheme: 'ecdsa-sha2-nistp384' }] })).toBe('keys[0]');
  });

  it('an npm key with no expires field never expires (no validUntil at all)', () => {
    const { expires: _, ...noExpires } = NPM;
    const [key] = toRegistryKeys({ keys: [noExpires] });
    expect(key).not.toHaveProperty('validUntil');
    expect(Object.keys(toRegistryKeys({ keys: [NPM] })[0]!)).not.toContain('validUntil');
  });

  it('a TUF key with no end has no validUntil property', () => {
    expect(Object.keys(toRegistryKeys({ keys: [tuf({ start: '2024-01-01T00:00:00Z' })] })[0]!)).not.toContain('validUntil');
  });

  it.each([
    ['not a time', 'soon'],
    ['before the start', '2023-12-31T23:59:59Z'],
  ])('a TUF key whose end is %s is refused at its end', (_, end) => {
    expect(refusedField({ keys: [tuf({ start: '2024-01-01T00:00:00Z', end })] })).toBe('keys[0].publicKey.validFor.end');
  });

  it('a TUF key whose end equals its start is read, and valid at no instant', () => {
    const [key] = toRegistryKeys({ keys: [tuf({ start: '2024-01-01T00:00:00Z', end: '2024-01-01T00:00:00Z' })] });
    expect(key!.validUntil).toEqual(new Date('2024-01-01T00:00:00Z'));
    expect(isKeyValidAt(key!, new Date('2024-01-01T00:00:00Z'))).toBe(false);
  });

  it.each([
    ['not base64', 'not base64!'],
    ['an Ed25519 key', generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).toString('base64')],
    ['an RSA key', generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'der', type: 'spki' }).toString('base64')],
  ])('an npm key that is %s is refused at its key field', (_, key) => {
    expect(refusedField({ keys: [{ ...NPM, key }] })).toBe('keys[0].key');
  });

  it.each([
    ['an npm key whose expiry is not a time', { ...NPM, expires: 'soon' }, 'keys[0].expires'],
    ['a TUF key for another usage', { ...tuf({ start: '2024-01-01T00:00:00Z' }), keyUsage: 'npm:other' }, 'keys[0].keyUsage'],
    ['a TUF key of another type', { ...tuf({ start: '2024-01-01T00:00:00Z' }), publicKey: { ...tuf({ start: '2024-01-01T00:00:00Z' }).publicKey, keyDetails: 'PKIX_ED25519' } }, 'keys[0].publicKey.keyDetails'],
    ['a TUF key without a start', tuf({} as never), 'keys[0].publicKey.validFor.start'],
    ['a TUF key without validity', { ...tuf({ start: '2024-01-01T00:00:00Z' }), publicKey: { ...tuf({ start: '2024-01-01T00:00:00Z' }).publicKey, validFor: undefined } }, 'keys[0].publicKey.validFor.start'],
  ])('%s is refused at that field', (_, entry, field) => {
    expect(refusedField({ keys: [entry] })).toBe(field);
  });

  it('a TUF key whose bytes are not a P-256 key is refused at its rawBytes field', () => {
    const entry = tuf({ start: '2024-01-01T00:00:00Z' });
    expect(refusedField({ keys: [{ ...entry, publicKey: { ...entry.publicKey, rawBytes: 'AAAA' } }] })).toBe('keys[0].publicKey.rawBytes');
  });

  it('a P-384 key is refused at its key field', () => {
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
    expect(refusedField({ keys: [{ ...NPM, key: p384 }] })).toBe('keys[0].key');
  });
});

describe('toRegistryKeyIndex', () => {
  it('refuses one keyid listed twice for one usage, naming the keys list', () => {
    const keys = toRegistryKeys({ keys: [tuf({ start: '2024-01-01T00:00:00Z' }), tuf({ start: '2025-01-01T00:00:00Z' })] });
    try {
      toRegistryKeyIndex(keys);
      expect.unreachable('expected the keys to be refused');
    } catch (err) {
      expect(err).toBeInstanceOf(TrustMaterialError);
      expect([(err as TrustMaterialError).code, (err as TrustMaterialError).field]).toEqual(['REGISTRY_KEYS_INVALID', 'keys']);
    }
  });

  it('skips a usage it does not index', () => {
    const index = toRegistryKeyIndex([{ keyid: 'k', publicKey: TEST_SIGNING.publicKey, usage: new Set(['npm:other' as never]) }]);
    expect([...index.keys()]).toEqual(['npm:signatures', 'npm:attestations']);
    expect([...index.values()].map((m) => m.size)).toEqual([0, 0]);
  });
});

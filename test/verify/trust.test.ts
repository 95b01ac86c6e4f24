// Trust material: strict trusted-root parsing, seeds.json extraction, both registry key shapes.

import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SIGSTORE_TUF_MIRROR } from '../../src/verify/trust/seeds.js';
import { TrustMaterialError, createTrust, getSeedTargets, toRegistryKeys, toTrustedRoot, verifyPackageEvidence } from '../../src/verify/index.js';
import { isKeyValidAt } from '../../src/verify/trust/index.js';
import { KEYS_BYTES, NOW, POSITIVE, TEST_KEYID, TEST_SIGNING, TRUSTED_ROOT_BYTES, evidenceFor, readJson, tufKey } from './_helpers.js';

const SEEDS = JSON.parse(readFileSync(fileURLToPath(new URL('../../node_modules/@sigstore/tuf/seeds.json', import.meta.url)), 'utf8'));
const root = () => JSON.parse(TRUSTED_ROOT_BYTES.toString('utf8'));

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(TrustMaterialError);
    return (err as TrustMaterialError).code;
  }
  return undefined;
}

describe('toTrustedRoot', () => {
  it('parses the public-good root', () => {
    const parsed = toTrustedRoot(root());
    expect(parsed.tlogs).toHaveLength(2);
    expect(parsed.certificateAuthorities).toHaveLength(2);
    expect(parsed.timestampAuthorities).toHaveLength(1);
    expect(parsed.tlogs[0]?.publicKey?.validFor?.start).toEqual(new Date('2021-01-12T11:53:27Z'));
  });

  it.each([
    ['tlogs', (r: any) => delete r.tlogs[0].publicKey.validFor.start],
    ['ctlogs', (r: any) => delete r.ctlogs[1].publicKey.validFor.start],
    ['certificateAuthorities', (r: any) => delete r.certificateAuthorities[1].validFor.start],
    ['timestampAuthorities', (r: any) => delete r.timestampAuthorities[0].validFor.start],
    ['tlogs (no validFor at all)', (r: any) => delete r.tlogs[1].publicKey.validFor],
  ])('rejects %s without validFor.start (TRUSTED_ROOT_INVALID)', (_, edit) => {
    const r = root();
    edit(r);
    expect(codeOf(() => toTrustedRoot(r))).toBe('TRUSTED_ROOT_INVALID');
  });

  it.each([
    ['a wrong media type', (r: any) => (r.mediaType = 'application/json')],
    ['an unknown key type', (r: any) => (r.tlogs[0].publicKey.keyDetails = 'PKIX_WHATEVER')],
    ['non-base64 key bytes', (r: any) => (r.tlogs[0].publicKey.rawBytes = 'not base64!')],
    ['a certificate that is not DER', (r: any) => (r.certificateAuthorities[0].certChain.certificates[0].rawBytes = 'AAAA')],
    ['an end before the start', (r: any) => (r.tlogs[0].publicKey.validFor.end = '2000-01-01T00:00:00Z')],
    ['tlogs not an array', (r: any) => (r.tlogs = {})],
  ])('rejects %s', (_, edit) => {
    const r = root();
    edit(r);
    expect(codeOf(() => toTrustedRoot(r))).toBe('TRUSTED_ROOT_INVALID');
  });

  it('reads a root without a certificate authority (a managed key\'s): a certificate then chains to nothing', () => {
    const r = root();
    r.certificateAuthorities = [];
    expect(toTrustedRoot(r).certificateAuthorities).toEqual([]);
  });

  it('names the field in the error', () => {
    const r = root();
    delete r.certificateAuthorities[1].validFor.start;
    expect(() => toTrustedRoot(r)).toThrow(/certificateAuthorities\[1\]\.validFor\.start/);
  });

  it('createTrust rejects bytes that are not JSON', () => {
    expect(codeOf(() => createTrust({ trustedRoot: '{', registryKeys: KEYS_BYTES }))).toBe('TRUSTED_ROOT_INVALID');
    expect(codeOf(() => createTrust({ trustedRoot: TRUSTED_ROOT_BYTES, registryKeys: 'nope' }))).toBe('REGISTRY_KEYS_INVALID');
  });
});

describe('getSeedTargets (@sigstore/tuf seeds.json)', () => {
  it('extracts the embedded trusted root and npm keys, byte-identical to the fixtures', () => {
    const targets = getSeedTargets(SEEDS);
    expect(targets.trustedRoot.equals(TRUSTED_ROOT_BYTES)).toBe(true);
    expect(targets.registryKeys.equals(KEYS_BYTES)).toBe(true);
  });

  it('records the sha256 of the bytes it was given', () => {
    const trust = createTrust(getSeedTargets(SEEDS));
    expect(trust.digests).toEqual({
      trustedRoot: '6494e21ea73fa7ee769f85f57d5a3e6a08725eae1e38c755fc3517c9e6bc0b66',
      registryKeys: '160677eb6e1c7083c89b166b20f8fe4e837fb71181506aff1991b80b89184f7d',
      basis: { trustedRoot: 'bytes', registryKeys: 'bytes' },
    });
  });

  it('records a canonical-JSON digest for parsed input, independent of key order', () => {
    const a = createTrust({ trustedRoot: root(), registryKeys: readJson('trusted-root/keys.json') });
    const reordered = Object.fromEntries(Object.entries(root()).reverse());
    const b = createTrust({ trustedRoot: reordered, registryKeys: readJson('trusted-root/keys.json') });
    expect(a.digests.basis.trustedRoot).toBe('canonical-json');
    expect(a.digests.trustedRoot).toBe(b.digests.trustedRoot);
  });

  it.each([
    ['not an object', null],
    ['another mirror only', { 'https://example.com': { targets: {} } }],
    ['a missing target', { [SIGSTORE_TUF_MIRROR]: { targets: { 'trusted_root.json': 'e30=' } } }],
  ])('rejects %s (SEEDS_INVALID)', (_, seeds) => {
    expect(codeOf(() => getSeedTargets(seeds))).toBe('SEEDS_INVALID');
  });
});

describe('registry keys', () => {
  const tuf = readJson('trusted-root/keys.json');
  // The same two keys in the /-/npm/v1/keys shape.
  const npm = {
    keys: [
      { expires: '2025-01-29T00:00:00.000Z', keyid: tuf.keys[0].keyId, keytype: 'ecdsa-sha2-nistp256', scheme: 'ecdsa-sha2-nistp256', key: tuf.keys[0].publicKey.rawBytes },
      { expires: null, keyid: tuf.keys[2].keyId, keytype: 'ecdsa-sha2-nistp256', scheme: 'ecdsa-sha2-nistp256', key: tuf.keys[2].publicKey.rawBytes },
    ],
  };

  it('normalises the TUF shape: one key per entry, usage and validity from the entry', () => {
    const keys = toRegistryKeys(tuf);
    expect(keys).toHaveLength(4);
    expect(keys[1]).toMatchObject({ keyid: tuf.keys[1].keyId, validFrom: new Date('2022-12-01T00:00:00Z'), validUntil: new Date('2025-01-29T00:00:00Z') });
    expect([...keys[1]!.usage]).toEqual(['npm:attestations']);
    expect(keys[2]?.validUntil).toBeUndefined();
  });

  it('normalises the npm shape: both usages, expires as validUntil, no validFrom', () => {
    const keys = toRegistryKeys(npm);
    expect(keys.map((k) => [k.keyid, [...k.usage], k.validFrom, k.validUntil])).toEqual([
      [tuf.keys[0].keyId, ['npm:signatures', 'npm:attestations'], undefined, new Date('2025-01-29T00:00:00.000Z')],
      [tuf.keys[2].keyId, ['npm:signatures', 'npm:attestations'], undefined, undefined],
    ]);
    expect(keys[0]!.publicKey.equals(toRegistryKeys(tuf)[0]!.publicKey)).toBe(true);
  });

  it('verifies the real publish attestations with keys in the npm shape', () => {
    const signing = { expires: null, keyid: TEST_KEYID, keytype: 'ecdsa-sha2-nistp256', scheme: 'ecdsa-sha2-nistp256', key: TEST_SIGNING.publicKey.export({ format: 'der', type: 'spki' }).toString('base64') };
    const trust = createTrust({ trustedRoot: TRUSTED_ROOT_BYTES, registryKeys: { keys: [...npm.keys, signing] } });
    for (const entry of POSITIVE) {
      expect(verifyPackageEvidence(evidenceFor(entry), trust, NOW).findings).toEqual([]);
    }
  });

  it('judges validity with an inclusive start and an exclusive end', () => {
    const [key] = toRegistryKeys({ keys: [tufKey('k', 'npm:signatures', TEST_SIGNING.publicKey, { start: '2024-01-01T00:00:00Z', end: '2025-01-01T00:00:00Z' })] });
    expect(isKeyValidAt(key!, new Date('2024-01-01T00:00:00Z'))).toBe(true);
    expect(isKeyValidAt(key!, new Date('2023-12-31T23:59:59Z'))).toBe(false);
    expect(isKeyValidAt(key!, new Date('2025-01-01T00:00:00Z'))).toBe(false);
  });

  it.each([
    ['an empty list', { keys: [] }],
    ['an entry of neither shape', { keys: [{ id: 'x' }] }],
    ['a TUF key without validFor.start', { keys: [{ ...tuf.keys[2], publicKey: { ...tuf.keys[2].publicKey, validFor: {} } }] }],
    ['a TUF key with another usage', { keys: [{ ...tuf.keys[2], keyUsage: 'npm:other' }] }],
    ['a TUF key of another type', { keys: [{ ...tuf.keys[2], publicKey: { ...tuf.keys[2].publicKey, keyDetails: 'PKIX_ED25519' } }] }],
    ['an npm key of another type', { keys: [{ ...npm.keys[0], keytype: 'ed25519' }] }],
    ['an npm key with a bad expiry', { keys: [{ ...npm.keys[0], expires: 'soon' }] }],
    ['a key that is not SPKI', { keys: [{ ...npm.keys[0], key: 'AAAA' }] }],
  ])('rejects %s (REGISTRY_KEYS_INVALID)', (_, doc) => {
    expect(codeOf(() => toRegistryKeys(doc))).toBe('REGISTRY_KEYS_INVALID');
  });

  it('rejects a P-384 key labelled as P-256', () => {
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const doc = { keys: [{ ...npm.keys[0], key: p384.publicKey.export({ format: 'der', type: 'spki' }).toString('base64') }] };
    expect(codeOf(() => toRegistryKeys(doc))).toBe('REGISTRY_KEYS_INVALID');
  });

  it('rejects the same keyid twice for one usage', () => {
    expect(codeOf(() => createTrust({ trustedRoot: TRUSTED_ROOT_BYTES, registryKeys: { keys: [tuf.keys[0], tuf.keys[0]] } }))).toBe('REGISTRY_KEYS_INVALID');
  });

  it("accepts npm's keys beside a registry's own; a registry key under one of npm's keyids is replaced, for every usage", () => {
    const own = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    const npmKeyid = tuf.keys[2].keyId as string;
    const registryKeys = { keys: [tufKey('SHA256:own', 'npm:signatures', own, { start: '2020-01-01T00:00:00Z' }), tufKey(npmKeyid, 'npm:signatures', own, { start: '2020-01-01T00:00:00Z' }), tufKey(npmKeyid, 'npm:attestations', own, { start: '2020-01-01T00:00:00Z' })] };
    const npmKeys = { keys: tuf.keys.filter((key: { keyUsage: string }) => key.keyUsage === 'npm:signatures') };
    const trust = createTrust({ trustedRoot: TRUSTED_ROOT_BYTES, registryKeys, npmKeys });
    const signing = trust.registryKeys.get('npm:signatures');
    expect([...(signing?.keys() ?? [])].sort()).toEqual(['SHA256:own', ...npmKeys.keys.map((key: { keyId: string }) => key.keyId)].sort());
    expect(signing?.get(npmKeyid)?.publicKey.equals(toRegistryKeys(tuf)[2]!.publicKey)).toBe(true);
    // npm lists this keyid for signatures only here: the registry's attestation key of that id is not kept either.
    expect(trust.registryKeys.get('npm:attestations')?.has(npmKeyid)).toBe(false);
    expect(trust.digests.npmKeys).toMatch(/^[0-9a-f]{64}$/);
    expect(createTrust({ trustedRoot: TRUSTED_ROOT_BYTES, registryKeys }).digests.npmKeys).toBeUndefined();
  });

  it("accepts npm's keys for a registry that publishes none", () => {
    const trust = createTrust({ trustedRoot: TRUSTED_ROOT_BYTES, registryKeys: null, npmKeys: KEYS_BYTES });
    expect(trust.registryKeys.get('npm:signatures')?.has(tuf.keys[2].keyId)).toBe(true);
  });

  it('parses each key once: lookups return the same KeyObject', () => {
    const trust = createTrust({ trustedRoot: TRUSTED_ROOT_BYTES, registryKeys: tuf });
    const a = trust.material.publicKey(tuf.keys[1].keyId).publicKey;
    expect(trust.material.publicKey(tuf.keys[1].keyId).publicKey).toBe(a);
    expect(trust.registryKeys.get('npm:signatures')?.get(tuf.keys[0].keyId)?.publicKey).toBe(trust.registryKeys.get('npm:signatures')?.get(tuf.keys[0].keyId)?.publicKey);
  });
});

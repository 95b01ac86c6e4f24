// Building the trust for a run (src/verify/trust/index.ts): the digests recorded, which keys may
// sign a publish attestation and when, npm's keys merged with a registry's, and the trusted
// certificates prepared once.

import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TrustMaterialError, createTrust } from '../../src/verify/index.js';
import { KEYS_BYTES, TRUSTED_ROOT_BYTES, tufKey } from './_helpers.js';

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const key = () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;

// The error createTrust throws (any other error, or none, fails the test).
function errorOf(fn: () => unknown): TrustMaterialError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(TrustMaterialError);
    return err as TrustMaterialError;
  }
  throw new Error('expected the trust to be refused');
}

describe('createTrust', () => {
  // A document that is not JSON is refused as a whole: no field inside it is named, unlike a
  // JSON document of the wrong shape.
  it.each([
    ['the bytes of a trusted root', { trustedRoot: '{', registryKeys: KEYS_BYTES }, 'TRUSTED_ROOT_INVALID'],
    ['the bytes of registry keys', { trustedRoot: TRUSTED_ROOT_BYTES, registryKeys: 'nope' }, 'REGISTRY_KEYS_INVALID'],
    ["the bytes of npm's keys", { trustedRoot: TRUSTED_ROOT_BYTES, registryKeys: KEYS_BYTES, npmKeys: Buffer.from('[') }, 'REGISTRY_KEYS_INVALID'],
  ])('refuses %s that do not parse as JSON, naming no field', (_, input, code) => {
    const err = errorOf(() => createTrust(input));
    expect(err.code).toBe(code);
    expect(err.field).toBeUndefined();
  });

  it('records a registry without keys as the digest of no bytes, and indexes no key', () => {
    const trust = createTrust({ trustedRoot: TRUSTED_ROOT_BYTES, registryKeys: null });
    expect(trust.digests.registryKeys).toBe(EMPTY_SHA256);
    expect(trust.digests.basis.registryKeys).toBe('bytes');
    expect(trust.digests.npmKeys).toBeUndefined();
    expect([...trust.registryKeys.values()].map((byId) => byId.size)).toEqual([0, 0]);
  });

  it("refuses npm's keys of the wrong shape, naming the field (REGISTRY_KEYS_INVALID)", () => {
    const err = errorOf(() => createTrust({ trustedRoot: TRUSTED_ROOT_BYTES, registryKeys: KEYS_BYTES, npmKeys: { keys: [] } }));
    expect([err.code, err.field]).toEqual(['REGISTRY_KEYS_INVALID', 'keys']);
  });

  it('lets only an attestation key sign a bundle, and only inside its validity window', () => {
    const registryKeys = {
      keys: [
        tufKey('SHA256:attest', 'npm:attestations', key(), { start: '2024-01-01T00:00:00Z', end: '2025-01-01T00:00:00Z' }),
        tufKey('SHA256:sign', 'npm:signatures', key(), { start: '2020-01-01T00:00:00Z' }),
      ],
    };
    const trust = createTrust({ trustedRoot: TRUSTED_ROOT_BYTES, registryKeys });
    const attest = trust.material.publicKey('SHA256:attest');
    expect(attest.publicKey).toBe(trust.registryKeys.get('npm:attestations')?.get('SHA256:attest')?.publicKey);
    expect(attest.validFor(new Date('2024-06-01T00:00:00Z'))).toBe(true);
    expect(attest.validFor(new Date('2023-06-01T00:00:00Z'))).toBe(false);
    expect(attest.validFor(new Date('2025-06-01T00:00:00Z'))).toBe(false);
    expect(() => trust.material.publicKey('SHA256:sign')).toThrow(expect.objectContaining({ code: 'PUBLIC_KEY_ERROR' }));
  });

  it("keeps every usage of either list when npm's keys are added: the registry's signatures, npm's attestations", () => {
    const own = { keys: [tufKey('SHA256:own', 'npm:signatures', key(), { start: '2020-01-01T00:00:00Z' })] };
    const npmKeys = { keys: [tufKey('SHA256:npm', 'npm:attestations', key(), { start: '2020-01-01T00:00:00Z' })] };
    const trust = createTrust({ trustedRoot: TRUSTED_ROOT_BYTES, registryKeys: own, npmKeys });
    expect([...(trust.registryKeys.get('npm:signatures')?.keys() ?? [])]).toEqual(['SHA256:own']);
    expect([...(trust.registryKeys.get('npm:attestations')?.keys() ?? [])]).toEqual(['SHA256:npm']);
    expect(trust.material.publicKey('SHA256:npm').validFor(new Date('2024-01-01T00:00:00Z'))).toBe(true);
  });
});

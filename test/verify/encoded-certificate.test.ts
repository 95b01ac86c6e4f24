// The run's own certificate objects answer exactly as @sigstore/core's do for the same bytes.
import { X509Certificate } from '@sigstore/core';
import { describe, expect, it } from 'vitest';
import { createTrust } from '../../src/verify/index.js';
import { EncodedCertificate } from '../../src/verify/trust/index.js';
import { KEYS_BYTES, TRUSTED_ROOT_BYTES } from './_helpers.js';

const trust = createTrust({ trustedRoot: TRUSTED_ROOT_BYTES, registryKeys: KEYS_BYTES });
const chains = [...trust.material.certificateAuthorities, ...trust.material.timestampAuthorities].map((a) => a.certChain);

describe('EncodedCertificate', () => {
  it('the trust material holds the trusted root\'s certificates as EncodedCertificates', () => {
    for (const chain of chains) for (const certificate of chain) expect(certificate).toBeInstanceOf(EncodedCertificate);
  });

  it('the same bytes, key, equality and signature checks as @sigstore/core\'s certificate, for every pair', () => {
    const all = chains.flat() as EncodedCertificate[];
    for (const a of all) {
      const plain = X509Certificate.parse(Buffer.from(a.der));
      expect(a.root.toDER().equals(plain.root.toDER())).toBe(true);
      expect(a.publicKey.equals(plain.publicKey)).toBe(true);
      expect(a.verify()).toBe(plain.verify());
      for (const b of all) {
        const plainB = X509Certificate.parse(Buffer.from(b.der));
        expect(a.equals(b)).toBe(plain.equals(plainB));
        expect(a.equals(plainB)).toBe(plain.equals(plainB));
        expect(a.verify(b)).toBe(plain.verify(plainB));
        // Asked again: the same answer.
        expect(a.verify(b)).toBe(plain.verify(plainB));
      }
    }
  });

  it('refuses bytes that are not one DER object', () => {
    const der = (chains[0]?.[0] as EncodedCertificate).der;
    expect(() => new EncodedCertificate(Buffer.concat([der, Buffer.from([0])]))).toThrow();
  });
});

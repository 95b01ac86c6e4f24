// The run's own certificate objects answer exactly as @sigstore/core's do for the same bytes.
import { crypto as sigstoreCrypto, X509Certificate } from '@sigstore/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTrust } from '../../src/verify/index.js';
import { EncodedCertificate } from '../../src/verify/trust/index.js';
import { KEYS_BYTES, TRUSTED_ROOT_BYTES } from './_helpers.js';

const trust = createTrust({ trustedRoot: TRUSTED_ROOT_BYTES, registryKeys: KEYS_BYTES });
const chains = [...trust.material.certificateAuthorities, ...trust.material.timestampAuthorities].map((a) => a.certChain);

describe('EncodedCertificate', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

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

  it('checks its signature against each issuer once, and its own signature once, however often asked', () => {
    const [leaf, issuer] = [...(chains.find((c) => c.length > 1) ?? [])] as EncodedCertificate[];
    const a = new EncodedCertificate(Buffer.from((leaf as EncodedCertificate).der));
    const b = new EncodedCertificate(Buffer.from((issuer as EncodedCertificate).der));
    const [plainA, plainB] = [X509Certificate.parse(Buffer.from(a.der)), X509Certificate.parse(Buffer.from(b.der))];
    const expected = [plainA.verify(plainB), plainA.verify(), plainB.verify()];
    const checks = vi.spyOn(sigstoreCrypto, 'verify');
    const first = [a.verify(b), a.verify(), b.verify()];
    expect(first).toEqual(expected);
    expect([a.verify(b), a.verify(), b.verify()]).toEqual(first);
    expect(checks).toHaveBeenCalledTimes(3);
  });

  it('remembers a failed check as well as a passed one', () => {
    const all = chains.flat() as EncodedCertificate[];
    const first = all[0] as EncodedCertificate;
    const other = all.find((c) => !first.verify(c)) as EncodedCertificate;
    const a = new EncodedCertificate(Buffer.from(first.der));
    const checks = vi.spyOn(sigstoreCrypto, 'verify');
    expect([a.verify(other), a.verify(other)]).toEqual([false, false]);
    expect(checks).toHaveBeenCalledTimes(1);
  });

  it('makes an issuer\'s key object once for all the certificates checked against it', () => {
    const [leaf, issuer] = [...(chains.find((c) => c.length > 1) ?? [])] as EncodedCertificate[];
    const b = new EncodedCertificate(Buffer.from((issuer as EncodedCertificate).der));
    const keys = vi.spyOn(sigstoreCrypto, 'createPublicKey');
    const answers = [1, 2, 3].map(() => new EncodedCertificate(Buffer.from((leaf as EncodedCertificate).der)).verify(b));
    expect(answers).toEqual([true, true, true]);
    expect(keys).toHaveBeenCalledTimes(1);
  });

  it('reads its public key once', () => {
    const a = new EncodedCertificate(Buffer.from((chains[0]?.[0] as EncodedCertificate).der));
    const reads = vi.spyOn(X509Certificate.prototype, 'publicKey', 'get');
    expect(a.publicKey.equals(a.publicKey)).toBe(true);
    expect(reads.mock.contexts.filter((self) => self === a)).toHaveLength(1);
  });

  it('answers with the bytes it was built from, not a re-encoding', () => {
    const der = Buffer.from((chains[0]?.[0] as EncodedCertificate).der);
    const a = new EncodedCertificate(der);
    expect(a.der).toBe(der);
    expect(a.root.toDER()).toBe(der);
  });
});

// The DER encoder verify-deps installs in @sigstore/core (src/verify/trust/certificate-memo.ts)
// must write exactly the bytes of @sigstore/core's own, for every object of every certificate
// the tests know: the public-good trusted root, the recorded npm bundles and the test PKI.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ASN1Obj, X509Certificate } from '@sigstore/core';
import { describe, expect, it } from 'vitest';
import { encodeDer, memoizeEncodings, memoizeTrustedCertificate, originalDerEncoding, useFastDerEncoder } from '../../src/verify/trust/certificate-memo.js';
import { SLSA_PROVENANCE_V1, createTestPki, githubActionsIdentity, inTotoStatement, signStatementKeyless } from '../support/index.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

// Every base64 `rawBytes` of certificates in a JSON document (trusted root chains, bundles).
function certificatesIn(value: unknown, found: Buffer[] = []): Buffer[] {
  if (Array.isArray(value)) for (const item of value) certificatesIn(item, found);
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'rawBytes' && typeof item === 'string' && item.startsWith('MII')) found.push(Buffer.from(item, 'base64'));
      else certificatesIn(item, found);
    }
  }
  return found;
}

function everyObject(node: ASN1Obj, out: ASN1Obj[] = []): ASN1Obj[] {
  out.push(node);
  for (const sub of node.subs) everyObject(sub, out);
  return out;
}

describe('encodeDer', () => {
  const recorded = readdirSync(join(FIXTURES, 'attestations')).filter((f) => f.endsWith('.json') && f !== 'index.json');
  const documents = [join(FIXTURES, 'trusted-root/trusted_root.json'), ...recorded.map((f) => join(FIXTURES, 'attestations', f))];
  const pki = createTestPki();
  const bundle = signStatementKeyless(pki, inTotoStatement({ name: 'alpha', version: '1.0.0', integrity: 'sha512-8G+/XDU8wNsJOQS5ysDVO0Etg9/2uA5gR9l4ZwijjlwxBcrU6RPfwi2+jJmbP+Ap1Hlp/nVAaEO4Fj22/SL2gQ==' }, SLSA_PROVENANCE_V1, {}), { identity: githubActionsIdentity() });
  const certificates = [...documents.flatMap((file) => certificatesIn(JSON.parse(readFileSync(file, 'utf8')))), ...certificatesIn(pki.trustedRoot()), ...certificatesIn(bundle)];

  it('writes the bytes @sigstore/core writes, for every object of every known certificate', () => {
    expect(certificates.length).toBeGreaterThan(10);
    let objects = 0;
    for (const der of certificates) {
      const certificate = X509Certificate.parse(Buffer.from(der));
      expect(encodeDer(certificate.root as never)).toEqual(der);
      for (const node of everyObject(certificate.root)) {
        expect(encodeDer(node as never)).toEqual(originalDerEncoding(node));
        objects++;
      }
    }
    expect(objects).toBeGreaterThan(1000);
  });

  it('encodes long lengths minimally (1, 2 and 3 length bytes)', () => {
    for (const size of [127, 128, 255, 256, 65_535, 65_536]) {
      const node = ASN1Obj.parseBuffer(Buffer.concat([encodeDer({ tag: { toDER: () => 0x04 }, value: Buffer.alloc(size, 1), subs: [] })]));
      expect(encodeDer(node as never)).toEqual(originalDerEncoding(node));
    }
  });
});

describe('memoizeTrustedCertificate', () => {
  it('checks a trusted certificate against an issuer once, and still says no to a wrong issuer', () => {
    const pki = createTestPki();
    const root = pki.trustedRoot() as { certificateAuthorities: Array<{ certChain: { certificates: Array<{ rawBytes: string }> } }> };
    const chain = root.certificateAuthorities[0]?.certChain.certificates.map((c) => X509Certificate.parse(Buffer.from(c.rawBytes, 'base64'))) ?? [];
    const other = X509Certificate.parse(Buffer.from(certificatesIn(JSON.parse(readFileSync(join(FIXTURES, 'trusted-root/trusted_root.json'), 'utf8')))[0] as Buffer));
    const certificate = chain[0] as X509Certificate;
    const issuer = (chain[1] ?? chain[0]) as X509Certificate;
    let calls = 0;
    const verify = certificate.verify.bind(certificate);
    certificate.verify = (i?: X509Certificate) => {
      calls++;
      return verify(i);
    };
    memoizeTrustedCertificate(certificate);
    expect(certificate.verify(issuer)).toBe(true);
    expect(certificate.verify(issuer)).toBe(true);
    expect(calls).toBe(1);
    expect(certificate.verify(other)).toBe(false);
    expect(calls).toBe(2);
  });
});

describe('useFastDerEncoder', () => {
  it('installs the encoder once: a second call keeps the first', () => {
    useFastDerEncoder();
    const installed = ASN1Obj.prototype.toDER;
    useFastDerEncoder();
    expect(ASN1Obj.prototype.toDER).toBe(installed);
  });

  it("encodes a node from its parsed tree, as encodeDer does, not from a child's own toDER", () => {
    useFastDerEncoder();
    const certificate = X509Certificate.parse(Buffer.from(certificatesIn(JSON.parse(readFileSync(join(FIXTURES, 'trusted-root/trusted_root.json'), 'utf8')))[0] as Buffer));
    const der = certificate.root.toDER();
    const child = certificate.root.subs[0] as ASN1Obj;
    child.toDER = () => Buffer.from('not the child');
    expect(certificate.root.toDER()).toEqual(der);
    expect(originalDerEncoding(certificate.root)).not.toEqual(der);
  });
});

describe('memoizeEncodings', () => {
  it('computes each encoding once: the same bytes object on every later call, also when asked twice', () => {
    const der = certificatesIn(JSON.parse(readFileSync(join(FIXTURES, 'trusted-root/trusted_root.json'), 'utf8')))[0] as Buffer;
    const certificate = X509Certificate.parse(Buffer.from(der));
    memoizeEncodings(certificate);
    memoizeEncodings(certificate);
    const root = certificate.root.toDER();
    expect(root).toEqual(der);
    expect(certificate.root.toDER()).toBe(root);
    expect(certificate.tbsCertificate.toDER()).toBe(certificate.tbsCertificate.toDER());
    expect(certificate.publicKey).toBe(certificate.publicKey);
  });
});

describe('memoizeTrustedCertificate: a self-signed check', () => {
  it('checks a self-signed certificate against itself once', () => {
    const der = certificatesIn(JSON.parse(readFileSync(join(FIXTURES, 'trusted-root/trusted_root.json'), 'utf8')))[0] as Buffer;
    const certificate = X509Certificate.parse(Buffer.from(der));
    let calls = 0;
    const verify = certificate.verify.bind(certificate);
    certificate.verify = (i?: X509Certificate) => {
      calls++;
      return verify(i);
    };
    memoizeTrustedCertificate(certificate);
    expect(certificate.verify()).toBe(true);
    expect(certificate.verify()).toBe(true);
    expect(calls).toBe(1);
    expect(certificate.verify(certificate)).toBe(true);
    expect(calls).toBe(2);
  });
});

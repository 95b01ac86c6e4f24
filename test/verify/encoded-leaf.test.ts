// A bundle's signing certificate, made an EncodedCertificate from the tree @sigstore/verify already
// parsed, answers exactly as @sigstore/core's own certificate and as one parsed again from its
// bytes: the same bytes for every node, the same SCT copy, and the same verification result for
// every recorded bundle and every test-PKI bundle.
import { bundleFromJSON, type Bundle } from '@sigstore/bundle';
import { ASN1Obj, EXTENSION_OID_SCT, X509Certificate } from '@sigstore/core';
import { toSignedEntity, type SignedEntity } from '@sigstore/verify';
import { describe, expect, it, vi } from 'vitest';
import { verifyBundle } from '../../src/verify/attestation/sigstore.js';
import { createTrust, type Trust } from '../../src/verify/index.js';
import { EncodedCertificate } from '../../src/verify/trust/index.js';
import { createTestPki, makeNpmAttestations } from '../support/index.js';
import { INDEX, readJson, realTrust } from './_helpers.js';

const pki = createTestPki();
const pkiTrust = createTrust({ trustedRoot: pki.trustedRoot(), registryKeys: pki.tufKeys() });
const PKG = { name: 'alpha', version: '1.0.0', integrity: 'sha512-8G+/XDU8wNsJOQS5ysDVO0Etg9/2uA5gR9l4ZwijjlwxBcrU6RPfwi2+jJmbP+Ap1Hlp/nVAaEO4Fj22/SL2gQ==' };
const PKI_DOC = makeNpmAttestations(pki, PKG, { time: new Date('2026-06-01T00:00:00Z'), provenanceBundle: { version: '0.3' }, publishBundle: { version: '0.2', tlogKind: 'dsse' } });

// Every recorded bundle (the tampered ones included) with the trust it verifies against.
const CASES: { label: string; bundle: Bundle; trust: () => Trust }[] = [
  ...INDEX.flatMap((entry) =>
    (readJson(`attestations/${entry.file}`).attestations as { predicateType: string; bundle: unknown }[]).map((a, i) => ({
      label: `${entry.file}#${i}`,
      bundle: bundleFromJSON(a.bundle),
      trust: realTrust,
    })),
  ),
  ...PKI_DOC.attestations.map((a, i) => ({ label: `test PKI #${i}`, bundle: bundleFromJSON(a.bundle), trust: () => pkiTrust })),
];
const KEYLESS = CASES.filter((c) => c.bundle.verificationMaterial.content.$case !== 'publicKey');

function signingBytes(bundle: Bundle): Buffer {
  const content = bundle.verificationMaterial.content;
  if (content.$case === 'x509CertificateChain') return content.x509CertificateChain.certificates[0]!.rawBytes;
  if (content.$case === 'certificate') return content.certificate.rawBytes;
  throw new Error('expected a keyless bundle');
}

function nodes(root: ASN1Obj): ASN1Obj[] {
  return [root, ...root.subs.flatMap(nodes)];
}

// The certificate @sigstore/verify's SCT check signs over: its copy without the SCT extension.
function preCertificate(certificate: X509Certificate): Buffer {
  const copy = certificate.clone();
  const index = copy.extensions.findIndex((ext) => ext.subs[0]?.toOID() === EXTENSION_OID_SCT);
  if (index >= 0) copy.extensions.splice(index, 1);
  return copy.tbsCertificate.toDER();
}

// What Verifier.verify answers for an entity: the signer's identity and key, or the error code.
function outcome(entity: SignedEntity, trust: Trust): unknown {
  try {
    const signer = trust.verifier.verify(entity);
    return { identity: signer.identity, key: signer.key.export({ format: 'der', type: 'spki' }).toString('hex') };
  } catch (err) {
    return { code: (err as { code?: string }).code, message: (err as Error).message };
  }
}

describe('a bundle\'s signing certificate as an EncodedCertificate', () => {
  it('covers keyless bundles that verify and keyless bundles that do not', () => {
    const verified = KEYLESS.map(({ bundle, trust }) => verifyBundle(bundle, trust()).ok);
    expect(verified.filter((ok) => ok).length).toBeGreaterThanOrEqual(10);
    expect(verified.filter((ok) => !ok).length).toBeGreaterThanOrEqual(1);
  });

  for (const { label, bundle } of KEYLESS) {
    it(`${label}: the same bytes, node for node, as @sigstore/core's certificate, from the bundle's own bytes`, () => {
      const der = signingBytes(bundle);
      const parsed = X509Certificate.parse(Buffer.from(der));
      const plain = X509Certificate.parse(Buffer.from(der));
      const leaf = new EncodedCertificate(der, parsed);
      expect(leaf.der).toBe(der);
      expect(leaf.root.toDER()).toBe(der);
      const [ours, theirs] = [nodes(leaf.root), nodes(plain.root)];
      expect(ours.length).toBe(theirs.length);
      for (const [i, node] of ours.entries()) {
        expect(node.toDER().equals(theirs[i]!.toDER())).toBe(true);
        expect(node.value.equals(theirs[i]!.value)).toBe(true);
      }
      expect(leaf.tbsCertificate.toDER().equals(plain.tbsCertificate.toDER())).toBe(true);
      expect(leaf.publicKey.equals(plain.publicKey)).toBe(true);
      expect(leaf.equals(plain)).toBe(true);
      expect(preCertificate(leaf).equals(preCertificate(plain))).toBe(true);
      // The copy's change leaves the certificate as it was.
      expect(leaf.root.toDER().equals(der)).toBe(true);
      expect(leaf.extensions.length).toBe(plain.extensions.length);
    });
  }

  for (const { label, bundle, trust } of KEYLESS) {
    it(`${label}: the same verification result as @sigstore/core's certificate and one parsed again`, () => {
      const entity = toSignedEntity(bundle);
      const parsed = entity.key.$case === 'certificate' ? entity.key.certificate : undefined;
      const withLeaf = (certificate: X509Certificate): SignedEntity => ({ ...entity, key: { $case: 'certificate', certificate } });
      const reference = outcome(withLeaf(X509Certificate.parse(Buffer.from(signingBytes(bundle)))), trust());
      expect(outcome(withLeaf(new EncodedCertificate(Buffer.from(signingBytes(bundle)))), trust())).toEqual(reference);
      expect(outcome(withLeaf(new EncodedCertificate(signingBytes(bundle), parsed)), trust())).toEqual(reference);
      const result = verifyBundle(bundle, trust());
      expect(result.ok).toBe('identity' in (reference as object));
      if (result.ok) expect(result.signer.identity).toEqual((reference as { identity: unknown }).identity);
    });
  }

  it('its nodes cannot be changed: a change would leave them answering with bytes that are no longer theirs', () => {
    const der = signingBytes(KEYLESS[0]!.bundle);
    const leaf = new EncodedCertificate(der, X509Certificate.parse(Buffer.from(der)));
    expect(() => leaf.extensions.splice(0, 1)).toThrow(TypeError);
    expect(() => leaf.tbsCertificate.subs.pop()).toThrow(TypeError);
    expect(leaf.root.toDER()).toBe(der);
  });

  it('a tree that was not parsed from the given bytes keeps its own bytes', () => {
    const [a, b] = [signingBytes(KEYLESS[0]!.bundle), KEYLESS.map((c) => signingBytes(c.bundle)).find((d) => !d.equals(signingBytes(KEYLESS[0]!.bundle)))!];
    const leaf = new EncodedCertificate(b, X509Certificate.parse(Buffer.from(a)));
    expect(leaf.der.equals(a)).toBe(true);
    expect(leaf.equals(X509Certificate.parse(Buffer.from(a)))).toBe(true);
  });
});

describe('an EncodedCertificate\'s OIDs', () => {
  it('each node decodes its OID once, and answers as @sigstore/core does, a node that is no OID included', () => {
    const der = signingBytes(KEYLESS[0]!.bundle);
    const leaf = new EncodedCertificate(der, X509Certificate.parse(Buffer.from(der)));
    const plain = X509Certificate.parse(Buffer.from(der));
    const decode = vi.spyOn(ASN1Obj.prototype, 'toOID');
    const [ours, theirs] = [nodes(leaf.root), nodes(plain.root)];
    for (const [i, node] of ours.entries()) {
      const answer = (n: ASN1Obj) => {
        try {
          return n.toOID();
        } catch (err) {
          return (err as Error).constructor.name;
        }
      };
      expect([answer(node), answer(node)]).toEqual([answer(theirs[i]!), answer(theirs[i]!)]);
    }
    const oidNodes = ours.filter((n) => n.tag.isOID());
    expect(oidNodes.length).toBeGreaterThan(10);
    // Ours: decoded by @sigstore/core once per OID node, and again each time for a node that is no OID.
    expect(decode.mock.contexts.filter((self) => oidNodes.includes(self as ASN1Obj))).toHaveLength(oidNodes.length);
    decode.mockRestore();
  });
});

describe('a signing certificate given with bytes that are not the ones its tree was parsed from', () => {
  it('bytes that differ only in the stated length keep the tree\'s own bytes', () => {
    const der = signingBytes(KEYLESS[0]!.bundle);
    const parsed = X509Certificate.parse(Buffer.from(der));
    // The same content under a header whose length field says one byte more.
    const header = der.subarray(0, der.length - parsed.root.value.length);
    const wrong = Buffer.concat([header, parsed.root.value]);
    wrong.writeUInt8((wrong[header.length - 1] as number) + 1, header.length - 1);
    const leaf = new EncodedCertificate(wrong, parsed);
    expect(leaf.der.equals(der)).toBe(true);
    expect(leaf.root.toDER().equals(der)).toBe(true);
  });
});

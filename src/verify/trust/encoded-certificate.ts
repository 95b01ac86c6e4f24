// Certificates as objects this run owns, built from their DER: the trusted root's (CAs, timestamp
// authorities), once per run, and each bundle's signing certificate, once per bundle. @sigstore/core re-encodes a certificate from its parsed
// ASN.1 tree each time its bytes are needed, and @sigstore/verify's chain builder compares and
// checks the trusted root's own certificates again for every bundle: most of a cold run's CPU.
// These hold their bytes, and answer their own signature check against each issuer once: both
// depend on nothing but the certificates' bytes, which never change. @sigstore/core itself is
// left as it is: only its public constructors and methods are used, on objects made here.
import { ASN1Obj, X509Certificate } from '@sigstore/core';
import type { TrustMaterial } from '@sigstore/verify';

// An ASN.1 tree that answers with the DER it was parsed from (the same bytes its encoder writes:
// @sigstore/core's parser refuses any non-minimal or trailing encoding).
class EncodedAsn1 extends ASN1Obj {
  readonly #der: Buffer;

  constructor(der: Buffer) {
    const parsed = ASN1Obj.parseBuffer(der as Buffer<ArrayBuffer>);
    super(parsed.tag, parsed.value, parsed.subs);
    this.#der = der;
  }

  override toDER(): Buffer {
    return this.#der;
  }
}

// A certificate with its bytes, public key and signature checks computed once.
export class EncodedCertificate extends X509Certificate {
  readonly der: Buffer;
  #publicKey: Buffer | undefined;
  #selfSigned: boolean | undefined;
  readonly #signedBy = new WeakMap<X509Certificate, boolean>();

  constructor(der: Buffer) {
    super(new EncodedAsn1(der));
    this.der = der;
  }

  override get publicKey(): Buffer {
    return (this.#publicKey ??= super.publicKey);
  }

  override verify(issuer?: X509Certificate): boolean {
    if (issuer === undefined) return (this.#selfSigned ??= super.verify());
    let signed = this.#signedBy.get(issuer);
    if (signed === undefined) {
      signed = super.verify(issuer);
      this.#signedBy.set(issuer, signed);
    }
    return signed;
  }

  override equals(other: X509Certificate): boolean {
    return other === this || this.der.equals(other instanceof EncodedCertificate ? other.der : other.root.toDER());
  }
}

// The same trust material, its CA and timestamp authority certificates as EncodedCertificates.
export function withTrustedCertificates(material: TrustMaterial): TrustMaterial {
  const own = (authority: TrustMaterial['certificateAuthorities'][number]) => ({
    ...authority,
    certChain: authority.certChain.map((certificate) => new EncodedCertificate(Buffer.from(certificate.root.toDER()))),
  });
  return {
    ...material,
    certificateAuthorities: material.certificateAuthorities.map(own),
    timestampAuthorities: material.timestampAuthorities.map(own),
  };
}

// Certificates as objects this run owns, built from their DER: the trusted root's (CAs, timestamp
// authorities), once per run, and each bundle's signing certificate, once per bundle (from the
// tree @sigstore/verify parsed). @sigstore/core re-encodes a certificate from its parsed
// ASN.1 tree each time its bytes are needed, and @sigstore/verify's chain builder compares and
// checks the trusted root's own certificates again for every bundle: most of a cold run's CPU.
// These hold their bytes, and answer their own signature check against each issuer once: both
// depend on nothing but the certificates' bytes, which never change. @sigstore/core itself is
// left as it is: only its public constructors and methods are used, on objects made here.
import type { KeyObject } from 'node:crypto';
import { crypto as sigstoreCrypto, X509Certificate } from '@sigstore/core';
import type { TrustMaterial } from '@sigstore/verify';
import { parseEncoded, toEncodedTree, withChangeablePath } from './encoded-asn1.js';

// A certificate with its bytes, public key and signature checks computed once.
export class EncodedCertificate extends X509Certificate {
  readonly der: Buffer;
  #publicKey: Buffer | undefined;
  #publicKeyObject: KeyObject | undefined;
  #selfSigned: boolean | undefined;
  readonly #signedBy = new WeakMap<X509Certificate, boolean>();

  // From `der`, or from `parsed` when that is the certificate already parsed from `der` (a
  // bundle's, parsed by @sigstore/verify): its tree is then reused, not parsed a second time.
  constructor(der: Buffer, parsed?: X509Certificate) {
    const root = parsed === undefined ? parseEncoded(der) : toEncodedTree(parsed.root, der);
    super(root);
    this.der = root.toDER();
  }

  override get publicKey(): Buffer {
    return (this.#publicKey ??= super.publicKey);
  }

  // The public key as a key object, made once: every bundle's certificate is checked against the
  // same few issuers.
  get publicKeyObject(): KeyObject {
    return (this.#publicKeyObject ??= sigstoreCrypto.createPublicKey(this.publicKey));
  }

  override verify(issuer?: X509Certificate): boolean {
    if (issuer === undefined) return (this.#selfSigned ??= super.verify());
    let signed = this.#signedBy.get(issuer);
    if (signed === undefined) {
      // X509Certificate.verify's own steps, with the issuer's key object made once.
      signed =
        issuer instanceof EncodedCertificate
          ? sigstoreCrypto.verify(this.tbsCertificate.toDER(), issuer.publicKeyObject, this.signatureValue, this.signatureAlgorithm)
          : super.verify(issuer);
      this.#signedBy.set(issuer, signed);
    }
    return signed;
  }

  // @sigstore/verify's SCT check copies the certificate, takes the SCT extension out of the copy's
  // extension list and encodes the rest: the copy has its own root, to-be-signed part, extensions
  // and extension list, and shares every other node (frozen, so that none can change).
  override clone(): X509Certificate {
    try {
      const extensions = this.tbsCertificate.subs.findIndex((sub) => sub.tag.isContextSpecific(0x03));
      return new X509Certificate(withChangeablePath(this.root, extensions < 0 ? [0] : [0, extensions, 0]));
    } catch {
      return super.clone();
    }
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

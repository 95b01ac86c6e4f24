// X.509 v3 certificate assembly (TBS, extensions, signature) over the minimal DER writer.
import crypto from 'node:crypto';
import * as der from './der.js';
import { type EcKey, hashFor, signDer } from './keys.js';

// One certificate extension; `value` is the DER that goes inside extnValue's OCTET STRING.
export interface CertExtension {
  oid: string;
  critical?: boolean;
  value: Buffer;
}

// Everything that goes into a certificate.
export interface CertificateSpec {
  serial: bigint;
  issuer: Buffer; // encoded Name
  subject: Buffer; // encoded Name (an empty SEQUENCE for Fulcio leaves)
  notBefore: Date;
  notAfter: Date;
  subjectKey: EcKey;
  issuerKey: EcKey;
  extensions: CertExtension[];
}

const signatureAlgorithm = (issuerKey: EcKey): Buffer =>
  der.sequence(der.oid(issuerKey.curve === 'P-384' ? der.OID.ecdsaWithSha384 : der.OID.ecdsaWithSha256));

const encodeExtension = (ext: CertExtension): Buffer =>
  der.sequence(der.oid(ext.oid), ...(ext.critical ? [der.boolean(true)] : []), der.octetString(ext.value));

// DER TBSCertificate for the spec (the bytes the issuer signs and that SCTs cover).
export function tbsCertificate(spec: CertificateSpec): Buffer {
  return der.sequence(
    der.explicit(0, der.integer(2)), // v3
    der.integer(spec.serial),
    signatureAlgorithm(spec.issuerKey),
    spec.issuer,
    der.sequence(der.x509Time(spec.notBefore), der.x509Time(spec.notAfter)),
    spec.subject,
    spec.subjectKey.spki,
    der.explicit(3, der.sequence(...spec.extensions.map(encodeExtension))),
  );
}

// Signed DER certificate.
export function buildCertificate(spec: CertificateSpec): Buffer {
  const tbs = tbsCertificate(spec);
  const signature = signDer(spec.issuerKey, tbs, hashFor(spec.issuerKey));
  return der.sequence(tbs, signatureAlgorithm(spec.issuerKey), der.bitString(signature));
}

// Random positive 128-bit serial number.
export const randomSerial = (): bigint => BigInt(`0x${crypto.randomBytes(16).toString('hex')}`) >> 1n;

// SHA-1 of the subjectPublicKey bits (RFC 5280 method 1 key identifier).
export function keyIdentifier(key: EcKey): Buffer {
  const point = key.spki.subarray(key.spki.length - (key.curve === 'P-384' ? 97 : 65));
  return crypto.createHash('sha1').update(point).digest();
}

// basicConstraints (critical).
export const basicConstraints = (ca: boolean, pathLen?: number): CertExtension => ({
  oid: der.OID.basicConstraints,
  critical: true,
  value: der.sequence(...(ca ? [der.boolean(true)] : []), ...(ca && pathLen !== undefined ? [der.integer(pathLen)] : [])),
});

// keyUsage (critical): digitalSignature for leaves, keyCertSign|cRLSign for CAs.
export const keyUsage = (kind: 'leaf' | 'ca'): CertExtension => ({
  oid: der.OID.keyUsage,
  critical: true,
  value: kind === 'leaf' ? der.bitString(Buffer.from([0x80]), 7) : der.bitString(Buffer.from([0x06]), 1),
});

// extKeyUsage with the given purpose OIDs.
export const extKeyUsage = (purposes: string[], critical = false): CertExtension => ({
  oid: der.OID.extKeyUsage,
  critical,
  value: der.sequence(...purposes.map(der.oid)),
});

// subjectKeyIdentifier.
export const subjectKeyId = (key: EcKey): CertExtension => ({
  oid: der.OID.subjectKeyIdentifier,
  value: der.octetString(keyIdentifier(key)),
});

// authorityKeyIdentifier (keyIdentifier form).
export const authorityKeyId = (issuerKey: EcKey): CertExtension => ({
  oid: der.OID.authorityKeyIdentifier,
  value: der.sequence(der.implicitPrimitive(0, keyIdentifier(issuerKey))),
});

// subjectAltName (critical, as for an empty subject): a URI, or an email when it contains '@'
// and no scheme.
export function subjectAltName(identity: string): CertExtension {
  const isEmail = !identity.includes('://') && identity.includes('@');
  const general = der.implicitPrimitive(isEmail ? 1 : 6, Buffer.from(identity, 'ascii'));
  return { oid: der.OID.subjectAltName, critical: true, value: der.sequence(general) };
}

// Fulcio v2 extension (1.3.6.1.4.1.57264.1.8+): DER UTF8String value.
export const utf8Extension = (oid: string, text: string): CertExtension => ({ oid, value: der.utf8String(text) });

// Fulcio legacy extension (1.3.6.1.4.1.57264.1.1-.6): raw string bytes.
export const rawExtension = (oid: string, text: string): CertExtension => ({ oid, value: Buffer.from(text, 'utf8') });

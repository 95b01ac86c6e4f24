// @sigstore/core re-encodes a certificate from its parsed ASN.1 tree every time the DER is
// needed: X509Certificate.equals, .publicKey and .verify each rebuild it, through a byte stream
// that grows by small reallocations (~0.3 ms per certificate). @sigstore/verify's chain builder
// compares every certificate of the chain with every other, for every bundle and every
// timestamp, and re-checks the trusted root's own signatures each time: ~5 ms per bundle, most of
// a cold run's CPU. So:
// - the encoder is replaced by one that writes the same bytes with one allocation
//   (test/verify/certificate-memo.test.ts compares the two on every certificate of the fixtures);
// - the certificates given here are never changed after parsing (the SCT check edits a clone,
//   parsed from fresh bytes), so their encodings are computed once;
// - a trusted CA certificate's signature check against a given issuer is done once per run.
import { ASN1Obj, type X509Certificate } from '@sigstore/core';

interface Asn1Node {
  tag: { toDER(): number };
  value: Buffer;
  subs: Asn1Node[];
}

// The DER of a parsed ASN.1 object, byte for byte what ASN1Obj#toDER returns: the tag, the
// minimal length, then the children's encodings (or, for a primitive, its value).
export function encodeDer(node: Asn1Node): Buffer {
  const chunks: Buffer[] = [];
  const size = encodeInto(node, chunks);
  return Buffer.concat(chunks, size);
}

function encodeInto(node: Asn1Node, chunks: Buffer[]): number {
  const headerAt = chunks.length;
  chunks.push(EMPTY);
  let length = 0;
  if (node.subs.length > 0) for (const sub of node.subs) length += encodeInto(sub, chunks);
  else {
    chunks.push(node.value);
    length = node.value.length;
  }
  const header = derHeader(node.tag.toDER(), length);
  chunks[headerAt] = header;
  return header.length + length;
}

function derHeader(tag: number, length: number): Buffer {
  if (length < 0x80) return Buffer.from([tag, length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([tag, 0x80 | bytes.length, ...bytes]);
}

const EMPTY = Buffer.alloc(0);
const originalToDer = ASN1Obj.prototype.toDER;

// Installs encodeDer as ASN1Obj#toDER (same bytes, one allocation). Idempotent.
export function useFastDerEncoder(): void {
  if (ASN1Obj.prototype.toDER !== originalToDer) return;
  ASN1Obj.prototype.toDER = function toDER(this: ASN1Obj): Buffer {
    return encodeDer(this as unknown as Asn1Node);
  };
}

// @sigstore/core's own encoder, for the test that holds the two to the same bytes.
export function originalDerEncoding(node: ASN1Obj): Buffer {
  return originalToDer.call(node);
}

interface Encodable {
  toDER(): Buffer;
}

interface ParsedCertificate {
  root: Encodable;
  tbsCertificateObj: Encodable;
  subjectPublicKeyInfoObj: Encodable;
}

const memoized = new WeakSet<object>();

// Makes the certificate's encodings computed once (the same bytes every later call).
export function memoizeEncodings(certificate: X509Certificate): void {
  if (memoized.has(certificate)) return;
  memoized.add(certificate);
  const parsed = certificate as unknown as ParsedCertificate;
  for (const part of [parsed.root, parsed.tbsCertificateObj, parsed.subjectPublicKeyInfoObj]) {
    const der = part.toDER();
    part.toDER = () => der;
  }
}

// For a certificate of the trusted root: its encodings once, and its signature check against
// each issuer once (the answer depends on nothing but the two certificates' bytes).
export function memoizeTrustedCertificate(certificate: X509Certificate): void {
  memoizeEncodings(certificate);
  const verify = certificate.verify.bind(certificate);
  const results = new WeakMap<X509Certificate, boolean>();
  let selfResult: boolean | undefined;
  certificate.verify = (issuer?: X509Certificate): boolean => {
    if (issuer === undefined) return (selfResult ??= verify());
    let result = results.get(issuer);
    if (result === undefined) {
      result = verify(issuer);
      results.set(issuer, result);
    }
    return result;
  };
}

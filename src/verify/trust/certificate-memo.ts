// @sigstore/core re-encodes a certificate from its parsed ASN.1 tree every time the DER is
// needed: X509Certificate.equals, .publicKey and .verify each rebuild it. @sigstore/verify's chain
// builder compares every certificate of the chain with every other, for every bundle and every
// timestamp, and re-checks the trusted root's own signatures each time: ~5 ms per bundle, most of
// a cold run's CPU. The certificates given here are never changed after parsing (the SCT check
// edits a clone, parsed from fresh bytes), so their encodings are computed once, and a trusted CA
// certificate's signature check against a given issuer is done once per run.
import type { X509Certificate } from '@sigstore/core';

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

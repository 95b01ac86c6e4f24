// An RFC 3161 timestamp authority: root + signing certificate, and DER TimeStampResp tokens over
// a signature (the bytes @sigstore/verify timestamps), with a chosen genTime.
import crypto from 'node:crypto';
import * as der from './der.js';
import { type EcKey, generateEcKey, signDer } from './keys.js';
import * as x509 from './x509.js';

// The TSA: its chain (signing cert first, as the trusted root lists it) and a token maker.
export interface TestTsa {
  chain: Buffer[];
  validFrom: Date;
  validTo: Date;
  // DER TimeStampResp whose messageImprint is sha256(data) and genTime is `time`.
  timestamp(data: Buffer, time: Date): Buffer;
}

// Creates a TSA whose certificates are valid for the given window.
export function createTsa(options: { validFrom?: Date; validTo?: Date } = {}): TestTsa {
  const validFrom = options.validFrom ?? new Date('2000-01-01T00:00:00Z');
  const validTo = options.validTo ?? new Date('2099-12-31T23:59:59Z');
  const rootKey = generateEcKey('P-384');
  const rootName = der.name([[der.OID.organization, 'sigstore.test'], [der.OID.commonName, 'sigstore-tsa-root']]);
  const rootDer = x509.buildCertificate({
    serial: x509.randomSerial(),
    issuer: rootName,
    subject: rootName,
    notBefore: validFrom,
    notAfter: validTo,
    subjectKey: rootKey,
    issuerKey: rootKey,
    extensions: [x509.keyUsage('ca'), x509.basicConstraints(true), x509.subjectKeyId(rootKey)],
  });
  const signerKey: EcKey = generateEcKey('P-256');
  const signerSerial = x509.randomSerial();
  const signerName = der.name([[der.OID.organization, 'sigstore.test'], [der.OID.commonName, 'sigstore-tsa-signer']]);
  const signerDer = x509.buildCertificate({
    serial: signerSerial,
    issuer: rootName,
    subject: signerName,
    notBefore: validFrom,
    notAfter: validTo,
    subjectKey: signerKey,
    issuerKey: rootKey,
    extensions: [
      x509.keyUsage('leaf'),
      x509.extKeyUsage([der.OID.timeStamping], true),
      x509.subjectKeyId(signerKey),
      x509.authorityKeyId(rootKey),
    ],
  });
  const sha256Alg = der.sequence(der.oid(der.OID.sha256));

  return {
    chain: [signerDer, rootDer],
    validFrom,
    validTo,
    timestamp(data, time) {
      const tstInfo = der.sequence(
        der.integer(1),
        der.oid('1.3.6.1.4.1.57264.2'), // policy
        der.sequence(sha256Alg, der.octetString(crypto.createHash('sha256').update(data).digest())),
        der.integer(x509.randomSerial()),
        der.generalizedTime(time),
      );
      const attrs = der.set(
        der.sequence(der.oid(der.OID.contentType), der.set(der.oid(der.OID.tstInfo))),
        der.sequence(
          der.oid(der.OID.messageDigest),
          der.set(der.octetString(crypto.createHash('sha256').update(tstInfo).digest())),
        ),
      );
      const signature = signDer(signerKey, attrs, 'sha256'); // signed over the SET-tagged encoding
      const signedAttrs = Buffer.from(attrs);
      signedAttrs[0] = 0xa0; // [0] IMPLICIT
      const signerInfo = der.sequence(
        der.integer(1),
        der.sequence(rootName, der.integer(signerSerial)),
        sha256Alg,
        signedAttrs,
        der.sequence(der.oid(der.OID.ecdsaWithSha256)),
        der.octetString(signature),
      );
      const signedData = der.sequence(
        der.integer(3),
        der.set(sha256Alg),
        der.sequence(der.oid(der.OID.tstInfo), der.explicit(0, der.octetString(tstInfo))),
        der.set(signerInfo),
      );
      const token = der.sequence(der.oid(der.OID.signedData), der.explicit(0, signedData));
      return der.sequence(der.sequence(der.integer(0)), token);
    },
  };
}

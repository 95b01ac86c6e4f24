// A throw-away TLS CA and a server certificate for one host name, built with the test PKI's DER
// writer: the CA goes to NODE_EXTRA_CA_CERTS of the child process, the leaf terminates TLS in the
// bench's proxy. Nothing here is trusted beyond the child processes the bench starts.
import * as der from '../support/der.js';
import { certificatePem, generateEcKey } from '../support/keys.js';
import * as x509 from '../support/x509.js';

export interface TlsServerIdentity {
  caPem: string;
  certPem: string;
  keyPem: string;
}

const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';

// dNSName SubjectAltName (GeneralName [2] IA5String).
const dnsSan = (host: string): x509.CertExtension => ({
  oid: der.OID.subjectAltName,
  value: der.sequence(der.implicitPrimitive(2, Buffer.from(host, 'ascii'))),
});

// A CA and a leaf for `host`, valid from yesterday for a year.
export function createTlsServerIdentity(host: string): TlsServerIdentity {
  const notBefore = new Date(Date.now() - 86_400_000);
  const notAfter = new Date(Date.now() + 365 * 86_400_000);
  const caKey = generateEcKey('P-256');
  const caName = der.name([[der.OID.organization, 'verify-deps bench'], [der.OID.commonName, 'verify-deps bench TLS CA']]);
  const caDer = x509.buildCertificate({
    serial: x509.randomSerial(),
    issuer: caName,
    subject: caName,
    notBefore,
    notAfter,
    subjectKey: caKey,
    issuerKey: caKey,
    extensions: [x509.keyUsage('ca'), x509.basicConstraints(true, 0), x509.subjectKeyId(caKey)],
  });
  const leafKey = generateEcKey('P-256');
  const leafDer = x509.buildCertificate({
    serial: x509.randomSerial(),
    issuer: caName,
    subject: der.name([[der.OID.commonName, host]]),
    notBefore,
    notAfter,
    subjectKey: leafKey,
    issuerKey: caKey,
    extensions: [
      x509.keyUsage('leaf'),
      x509.extKeyUsage([SERVER_AUTH]),
      x509.basicConstraints(false),
      x509.subjectKeyId(leafKey),
      x509.authorityKeyId(caKey),
      dnsSan(host),
    ],
  });
  return {
    caPem: certificatePem(caDer),
    certPem: certificatePem(leafDer),
    keyPem: leafKey.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  };
}

// A Fulcio-like certificate authority: a P-384 root and intermediate, issuing short-lived P-256
// code-signing leaves for CI identities, each with an embedded SCT from a test CT log. Built with
// node:crypto because @sigstore/mock's CA fixes notAfter = now + 10 min and dates its root from the
// wall clock, so it cannot issue a leaf for an arbitrary (past or future) validity window.
import * as der from './der.js';
import { type TestCtLog, sctListExtension } from './ctlog.js';
import { type CiIdentity, fulcioExtensions } from './identity.js';
import { type EcKey, generateEcKey } from './keys.js';
import * as x509 from './x509.js';

const MINUTE = 60_000;

// A CA certificate with its key.
export interface CaCertificate {
  der: Buffer;
  key: EcKey;
  name: Buffer;
}

// A leaf certificate issued for a signing key.
export interface IssuedLeaf {
  der: Buffer;
  key: EcKey;
  notBefore: Date;
  notAfter: Date;
  identity: CiIdentity;
}

// Per-leaf choices; only `identity` is required.
export interface LeafOptions {
  identity: CiIdentity;
  // Defaults to a fresh P-256 key.
  key?: EcKey;
  // Defaults to now - 1 minute; notAfter defaults to notBefore + 10 minutes (Fulcio's lifetime).
  notBefore?: Date;
  notAfter?: Date;
  // CT log for the embedded SCT; null for a certificate without SCT. Defaults to the CA's log.
  ctLog?: TestCtLog | null;
  // SCT timestamp; defaults to notBefore.
  sctTime?: Date;
}

// The CA: root, intermediate, validity, and the leaf issuer.
export interface FulcioCa {
  root: CaCertificate;
  intermediate: CaCertificate;
  // Chain as the trusted root lists it: intermediate first, root last.
  chain: Buffer[];
  validFrom: Date;
  validTo: Date;
  issueLeaf(options: LeafOptions): IssuedLeaf;
}

// Options for the CA certificates' own validity.
export interface CaOptions {
  validFrom?: Date;
  validTo?: Date;
  ctLog?: TestCtLog;
  commonName?: string;
}

// Creates the root + intermediate and returns a leaf issuer.
export function createFulcioCa(options: CaOptions = {}): FulcioCa {
  const validFrom = options.validFrom ?? new Date('2000-01-01T00:00:00Z');
  const validTo = options.validTo ?? new Date('2099-12-31T23:59:59Z');
  const cn = options.commonName ?? 'sigstore-test';
  const rootKey = generateEcKey('P-384');
  const rootName = der.name([[der.OID.organization, 'sigstore.test'], [der.OID.commonName, cn]]);
  const rootDer = x509.buildCertificate({
    serial: x509.randomSerial(),
    issuer: rootName,
    subject: rootName,
    notBefore: validFrom,
    notAfter: validTo,
    subjectKey: rootKey,
    issuerKey: rootKey,
    extensions: [x509.keyUsage('ca'), x509.basicConstraints(true, 1), x509.subjectKeyId(rootKey)],
  });
  const interKey = generateEcKey('P-384');
  const interName = der.name([[der.OID.organization, 'sigstore.test'], [der.OID.commonName, `${cn}-intermediate`]]);
  const interDer = x509.buildCertificate({
    serial: x509.randomSerial(),
    issuer: rootName,
    subject: interName,
    notBefore: validFrom,
    notAfter: validTo,
    subjectKey: interKey,
    issuerKey: rootKey,
    extensions: [
      x509.keyUsage('ca'),
      x509.extKeyUsage([der.OID.codeSigning]),
      x509.basicConstraints(true, 0),
      x509.subjectKeyId(interKey),
      x509.authorityKeyId(rootKey),
    ],
  });
  const root = { der: rootDer, key: rootKey, name: rootName };
  const intermediate = { der: interDer, key: interKey, name: interName };
  const defaultCtLog = options.ctLog;

  return {
    root,
    intermediate,
    chain: [interDer, rootDer],
    validFrom,
    validTo,
    issueLeaf(opts) {
      const key = opts.key ?? generateEcKey('P-256');
      const notBefore = opts.notBefore ?? new Date(Date.now() - MINUTE);
      const notAfter = opts.notAfter ?? new Date(notBefore.getTime() + 10 * MINUTE);
      const spec: x509.CertificateSpec = {
        serial: x509.randomSerial(),
        issuer: interName,
        subject: der.sequence(), // Fulcio leaves have an empty subject
        notBefore,
        notAfter,
        subjectKey: key,
        issuerKey: interKey,
        extensions: [
          x509.keyUsage('leaf'),
          x509.extKeyUsage([der.OID.codeSigning]),
          x509.subjectKeyId(key),
          x509.authorityKeyId(interKey),
          x509.subjectAltName(opts.identity.san),
          ...fulcioExtensions(opts.identity),
        ],
      };
      const ctLog = opts.ctLog === undefined ? defaultCtLog : opts.ctLog;
      if (ctLog) {
        const sct = ctLog.issueSct(x509.tbsCertificate(spec), interKey.spki, opts.sctTime ?? notBefore);
        spec.extensions.push(sctListExtension([sct]));
      }
      return { der: x509.buildCertificate(spec), key, notBefore, notAfter, identity: opts.identity };
    },
  };
}

// A certificate-transparency log that issues RFC 6962 SCTs over precertificate TBS bytes, so leaf
// certificates carry an embedded SCT that @sigstore/verify checks against the trusted root's ctlogs.
import crypto from 'node:crypto';
import * as der from './der.js';
import { type EcKey, generateEcKey, logIdOf, signDer } from './keys.js';
import type { CertExtension } from './x509.js';

// A test CT log: its key, its log id and an SCT signer.
export interface TestCtLog {
  key: EcKey;
  logId: Buffer;
  // Serialized SCT for a precertificate (TBS without the SCT extension) issued by issuerSpki.
  issueSct(precertTbs: Buffer, issuerSpki: Buffer, timestamp: Date): Buffer;
}

const uint = (value: number | bigint, bytes: number): Buffer => {
  const out = Buffer.alloc(bytes);
  let n = BigInt(value);
  for (let i = bytes - 1; i >= 0; i--) {
    out[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return out;
};

// Creates a CT log with a fresh P-256 key.
export function createCtLog(key: EcKey = generateEcKey('P-256')): TestCtLog {
  const logId = logIdOf(key);
  return {
    key,
    logId,
    issueSct(precertTbs, issuerSpki, timestamp) {
      const ms = BigInt(timestamp.getTime());
      const issuerKeyHash = crypto.createHash('sha256').update(issuerSpki).digest();
      const signed = Buffer.concat([
        Buffer.from([0, 0]), // v1, certificate_timestamp
        uint(ms, 8),
        uint(1, 2), // precert_entry
        issuerKeyHash,
        uint(precertTbs.length, 3),
        precertTbs,
        uint(0, 2), // no extensions
      ]);
      const signature = signDer(key, signed, 'sha256');
      return Buffer.concat([
        Buffer.from([0]), // v1
        logId,
        uint(ms, 8),
        uint(0, 2), // extensions
        Buffer.from([4, 3]), // sha256, ecdsa
        uint(signature.length, 2),
        signature,
      ]);
    },
  };
}

// The embedded-SCT-list extension (1.3.6.1.4.1.11129.2.4.2) carrying the given SCTs.
export function sctListExtension(scts: Buffer[]): CertExtension {
  const items = scts.map((sct) => Buffer.concat([uint(sct.length, 2), sct]));
  const list = Buffer.concat(items);
  return { oid: der.OID.sctList, value: der.octetString(Buffer.concat([uint(list.length, 2), list])) };
}

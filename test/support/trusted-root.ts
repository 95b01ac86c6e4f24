// Sigstore trusted_root.json (application/vnd.dev.sigstore.trustedroot+json;version=0.1) naming the
// test CA, transparency log, CT log and optional TSA; writable to a file for `--trusted-root`.
import { writeFile } from 'node:fs/promises';
import type { EcKey } from './keys.js';
import { logIdOf } from './keys.js';

// The JSON shape of a trusted root (protobuf JSON, as TrustedRoot.fromJSON reads it).
export interface TrustedRootJson {
  mediaType: string;
  tlogs: TransparencyLogJson[];
  certificateAuthorities: CertificateAuthorityJson[];
  ctlogs: TransparencyLogJson[];
  timestampAuthorities: CertificateAuthorityJson[];
}

interface ValidForJson {
  start: string;
  end?: string;
}

// A tlog / ctlog instance in the trusted root.
export interface TransparencyLogJson {
  baseUrl: string;
  hashAlgorithm: 'SHA2_256';
  publicKey: { rawBytes: string; keyDetails: string; validFor: ValidForJson };
  logId: { keyId: string };
}

// A CA / TSA in the trusted root.
export interface CertificateAuthorityJson {
  subject: { organization: string; commonName: string };
  uri: string;
  certChain: { certificates: Array<{ rawBytes: string }> };
  validFor: ValidForJson;
}

// Inputs: the parts of the test PKI the root names, each with its validity window.
export interface TrustedRootParts {
  ca: { chain: Buffer[]; validFrom: Date; validTo?: Date; uri?: string };
  tlog: { key: EcKey; baseUrl: string; validFrom: Date; validTo?: Date };
  ctlog?: { key: EcKey; validFrom: Date; validTo?: Date };
  tsa?: { chain: Buffer[]; validFrom: Date; validTo?: Date };
}

// Media type of the trusted root this module writes.
export const TRUSTED_ROOT_MEDIA_TYPE = 'application/vnd.dev.sigstore.trustedroot+json;version=0.1';

const validFor = (from: Date, to?: Date): ValidForJson => ({
  start: from.toISOString(),
  ...(to ? { end: to.toISOString() } : {}),
});

const logJson = (key: EcKey, baseUrl: string, from: Date, to?: Date): TransparencyLogJson => ({
  baseUrl,
  hashAlgorithm: 'SHA2_256',
  publicKey: {
    rawBytes: key.spki.toString('base64'),
    keyDetails: key.curve === 'P-384' ? 'PKIX_ECDSA_P384_SHA_384' : 'PKIX_ECDSA_P256_SHA_256',
    validFor: validFor(from, to),
  },
  logId: { keyId: logIdOf(key).toString('base64') },
});

const caJson = (chain: Buffer[], uri: string, cn: string, from: Date, to?: Date): CertificateAuthorityJson => ({
  subject: { organization: 'sigstore.test', commonName: cn },
  uri,
  certChain: { certificates: chain.map((c) => ({ rawBytes: c.toString('base64') })) },
  validFor: validFor(from, to),
});

// Builds the trusted root JSON.
export function buildTrustedRoot(parts: TrustedRootParts): TrustedRootJson {
  return {
    mediaType: TRUSTED_ROOT_MEDIA_TYPE,
    tlogs: [logJson(parts.tlog.key, parts.tlog.baseUrl, parts.tlog.validFrom, parts.tlog.validTo)],
    certificateAuthorities: [
      caJson(parts.ca.chain, parts.ca.uri ?? 'https://fulcio.sigstore.test', 'sigstore-test', parts.ca.validFrom, parts.ca.validTo),
    ],
    ctlogs: parts.ctlog
      ? [logJson(parts.ctlog.key, 'https://ctfe.sigstore.test/test', parts.ctlog.validFrom, parts.ctlog.validTo)]
      : [],
    timestampAuthorities: parts.tsa
      ? [caJson(parts.tsa.chain, 'https://tsa.sigstore.test', 'sigstore-tsa-test', parts.tsa.validFrom, parts.tsa.validTo)]
      : [],
  };
}

// Writes a trusted root (or any JSON document) to a file, pretty-printed.
export async function writeJsonFile(path: string, document: unknown): Promise<string> {
  await writeFile(path, `${JSON.stringify(document, null, 2)}\n`);
  return path;
}

// The npm registry signing key: ECDSA P-256, published in npm's `/-/npm/v1/keys` shape and in the
// TUF `registry.npmjs.org/keys.json` target shape; signs `dist.signatures` and publish attestations.
import crypto from 'node:crypto';
import { type EcKey, generateEcKey, npmKeyId } from './keys.js';

// A registry key with its npm keyid and validity window.
export interface RegistryKey {
  key: EcKey;
  keyid: string;
  validFrom: Date;
  // null: no expiry (npm `expires: null`).
  validTo: Date | null;
}

// One entry of npm's `/-/npm/v1/keys` response.
export interface NpmKeyJson {
  expires: string | null;
  keyid: string;
  keytype: 'ecdsa-sha2-nistp256';
  scheme: 'ecdsa-sha2-nistp256';
  key: string; // base64 SPKI DER
}

// One entry of the TUF keys.json target.
export interface TufKeyJson {
  keyId: string;
  keyUsage: 'npm:signatures' | 'npm:attestations';
  publicKey: {
    rawBytes: string;
    keyDetails: 'PKIX_ECDSA_P256_SHA_256';
    validFor: { start: string; end?: string };
  };
}

// One `dist.signatures[]` entry.
export interface RegistrySignature {
  keyid: string;
  sig: string;
}

// Creates a registry key valid from validFrom (default 2000-01-01) to validTo (default: no expiry).
export function createRegistryKey(options: { validFrom?: Date; validTo?: Date | null; key?: EcKey } = {}): RegistryKey {
  const key = options.key ?? generateEcKey('P-256');
  return {
    key,
    keyid: npmKeyId(key),
    validFrom: options.validFrom ?? new Date('2000-01-01T00:00:00Z'),
    validTo: options.validTo ?? null,
  };
}

// The exact message npm signs: `${name}@${version}:${integrity}`.
export const registrySignedMessage = (name: string, version: string, integrity: string): string =>
  `${name}@${version}:${integrity}`;

// npm's registry signature for a package version (base64 DER ECDSA-SHA256).
export function signPackage(rk: RegistryKey, name: string, version: string, integrity: string): RegistrySignature {
  const data = Buffer.from(registrySignedMessage(name, version, integrity), 'utf8');
  return { keyid: rk.keyid, sig: crypto.sign('sha256', data, rk.key.privateKey).toString('base64') };
}

// `/-/npm/v1/keys` response body for the given keys.
export function npmKeysDocument(keys: RegistryKey[]): { keys: NpmKeyJson[] } {
  return {
    keys: keys.map((rk) => ({
      expires: rk.validTo ? rk.validTo.toISOString() : null,
      keyid: rk.keyid,
      keytype: 'ecdsa-sha2-nistp256',
      scheme: 'ecdsa-sha2-nistp256',
      key: rk.key.spki.toString('base64'),
    })),
  };
}

// TUF `keys.json` target for the given keys (one entry per usage, as registry.npmjs.org ships).
export function tufKeysDocument(keys: RegistryKey[]): { keys: TufKeyJson[] } {
  const usages = ['npm:signatures', 'npm:attestations'] as const;
  return {
    keys: keys.flatMap((rk) =>
      usages.map((keyUsage) => ({
        keyId: rk.keyid,
        keyUsage,
        publicKey: {
          rawBytes: rk.key.spki.toString('base64'),
          keyDetails: 'PKIX_ECDSA_P256_SHA_256' as const,
          validFor: {
            start: rk.validFrom.toISOString(),
            ...(rk.validTo ? { end: rk.validTo.toISOString() } : {}),
          },
        },
      })),
    ),
  };
}

// npm registry public keys, from either of the two shapes npm publishes them in, normalised to
// RegistryKey and indexed by usage then keyid so that a lookup never parses a key again.
//
//   /-/npm/v1/keys:  {"keys":[{"expires","keyid","keytype","scheme","key"}]}
//   TUF keys.json:   {"keys":[{"keyId","keyUsage","publicKey":{"rawBytes","keyDetails","validFor"}}]}

import { createPublicKey, type KeyObject } from 'node:crypto';
import { TrustMaterialError } from '../errors.js';
import { isRecord, toBytesFromBase64, toDate } from '../encoding.js';
import type { KeyUsage, RegistryKey } from '../types.js';

const USAGES: readonly KeyUsage[] = ['npm:signatures', 'npm:attestations'];

// usage -> keyid -> key.
export type RegistryKeyIndex = ReadonlyMap<KeyUsage, ReadonlyMap<string, RegistryKey>>;

// Normalises a keys document of either shape; throws TrustMaterialError(REGISTRY_KEYS_INVALID).
export function toRegistryKeys(doc: unknown): RegistryKey[] {
  if (!isRecord(doc) || !Array.isArray(doc.keys) || doc.keys.length === 0) {
    throw invalid('keys', 'expected {"keys": [...]} with at least one key');
  }
  return doc.keys.map((entry: unknown, i) => {
    const field = `keys[${i}]`;
    if (!isRecord(entry)) {
      throw invalid(field, 'expected an object');
    }
    if (typeof entry.keyId === 'string' && isRecord(entry.publicKey)) {
      return fromTufEntry(entry, field);
    }
    if (typeof entry.keyid === 'string' && typeof entry.key === 'string') {
      return fromNpmEntry(entry, field);
    }
    throw invalid(field, 'expected an npm key {keyid, key, ...} or a TUF key {keyId, keyUsage, publicKey}');
  });
}

// Indexes keys by usage and keyid. Two keys with the same keyid for the same usage are a
// configuration error: which one a signature "meant" would be ambiguous.
export function toRegistryKeyIndex(keys: readonly RegistryKey[]): RegistryKeyIndex {
  const index = new Map<KeyUsage, Map<string, RegistryKey>>(USAGES.map((u) => [u, new Map()]));
  for (const key of keys) {
    for (const usage of key.usage) {
      const byId = index.get(usage);
      if (byId === undefined) {
        continue;
      }
      if (byId.has(key.keyid)) {
        throw invalid('keys', `keyid ${key.keyid} is listed twice for ${usage}`);
      }
      byId.set(key.keyid, key);
    }
  }
  return index;
}

// Whether a key may be used at the given time: validFrom inclusive, validUntil exclusive (npm's
// own check is `publishedTime < expires`).
export function isKeyValidAt(key: RegistryKey, at: Date): boolean {
  return (key.validFrom === undefined || at >= key.validFrom) && (key.validUntil === undefined || at < key.validUntil);
}

function fromNpmEntry(entry: Record<string, unknown>, field: string): RegistryKey {
  const keyid = entry.keyid as string;
  // npm's keys endpoint names one type; a different one is a key this tool cannot check.
  if (entry.keytype !== 'ecdsa-sha2-nistp256' || entry.scheme !== 'ecdsa-sha2-nistp256') {
    throw invalid(field, `expected keytype/scheme ecdsa-sha2-nistp256, got ${JSON.stringify(entry.keytype)}/${JSON.stringify(entry.scheme)}`);
  }
  let validUntil: Date | undefined;
  if (entry.expires !== null && entry.expires !== undefined) {
    validUntil = toDate(entry.expires);
    if (validUntil === undefined) {
      throw invalid(`${field}.expires`, `expected an ISO time or null, got ${JSON.stringify(entry.expires)}`);
    }
  }
  // The keys endpoint carries no usage: npm (pacote) uses these keys for both registry
  // signatures and the publish attestation.
  return {
    keyid,
    publicKey: toP256Key(entry.key, `${field}.key`),
    usage: new Set<KeyUsage>(USAGES),
    ...(validUntil === undefined ? {} : { validUntil }),
  };
}

function fromTufEntry(entry: Record<string, unknown>, field: string): RegistryKey {
  const keyid = entry.keyId as string;
  const usage = entry.keyUsage;
  if (usage !== 'npm:signatures' && usage !== 'npm:attestations') {
    throw invalid(`${field}.keyUsage`, `expected npm:signatures or npm:attestations, got ${JSON.stringify(usage)}`);
  }
  const pk = entry.publicKey as Record<string, unknown>;
  if (pk.keyDetails !== 'PKIX_ECDSA_P256_SHA_256') {
    throw invalid(`${field}.publicKey.keyDetails`, `expected PKIX_ECDSA_P256_SHA_256, got ${JSON.stringify(pk.keyDetails)}`);
  }
  const validFor = pk.validFor;
  const validFrom = isRecord(validFor) ? toDate(validFor.start) : undefined;
  // Same rule as the trusted root: a key with no start would be valid for all of history.
  if (!isRecord(validFor) || validFrom === undefined) {
    throw invalid(`${field}.publicKey.validFor.start`, 'expected an ISO time');
  }
  let validUntil: Date | undefined;
  if (validFor.end !== undefined) {
    validUntil = toDate(validFor.end);
    if (validUntil === undefined || validUntil < validFrom) {
      throw invalid(`${field}.publicKey.validFor.end`, `expected an ISO time after start, got ${JSON.stringify(validFor.end)}`);
    }
  }
  return {
    keyid,
    publicKey: toP256Key(pk.rawBytes, `${field}.publicKey.rawBytes`),
    usage: new Set<KeyUsage>([usage]),
    validFrom,
    ...(validUntil === undefined ? {} : { validUntil }),
  };
}

function toP256Key(value: unknown, field: string): KeyObject {
  const der = toBytesFromBase64(value);
  if (der === undefined) {
    throw invalid(field, 'expected base64 SPKI DER');
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: der, format: 'der', type: 'spki' });
  } catch (err) {
    throw invalid(field, `not an SPKI public key: ${(err as Error).message}`);
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw invalid(field, `expected an ECDSA P-256 key, got ${key.asymmetricKeyType} ${key.asymmetricKeyDetails?.namedCurve ?? ''}`.trim());
  }
  return key;
}

function invalid(field: string, message: string): TrustMaterialError {
  return new TrustMaterialError('REGISTRY_KEYS_INVALID', `registry keys: ${field}: ${message}`, { field });
}

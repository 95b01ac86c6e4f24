// The trust documents of a run parsed and checked: the registry keys as KeyObjects, the trusted
// root field by field, and their digests. Enough to reuse a verification result; building
// @sigstore/verify's material from them (toTrust) waits for the first bundle to verify.

import { createHash } from 'node:crypto';
import { crypto as sigstoreCrypto } from '@sigstore/core';
import { TrustMaterialError } from '../errors.js';
import { toParsedDocument } from '../encoding.js';
import type { KeyUsage, RegistryKey, TrustDigests } from '../types.js';
import { toRegistryKeyIndex, toRegistryKeys, type RegistryKeyIndex } from './registry-keys.js';
import { parseTrustedRoot, type KeyDetailsName, type NamedTrustedRoot } from './trusted-root-document.js';

export interface TrustInput {
  // trusted_root.json: raw bytes/text (preferred, the digest is then of those bytes) or parsed.
  trustedRoot: unknown;
  // npm keys in either shape: raw bytes/text or parsed; null for a registry that publishes none
  // (every registry signature and publish attestation then fails with UNKNOWN_KEY).
  registryKeys: unknown;
  // npm's own keys (registry.npmjs.org's, from Sigstore's TUF repository), accepted beside the
  // registry's for a registry that proxies npm and passes npm's signatures through. Safe whatever
  // host serves them: npm's key signs `name@version:integrity` and the attestations name the
  // digest, both checked against the lockfile, so no proxy can make them vouch for other bytes.
  npmKeys?: unknown;
}

// What a run knows of its trust before it verifies a bundle: the registry keys and the digests
// a reused verification result is matched by.
export interface TrustKeys {
  readonly registryKeys: RegistryKeyIndex;
  readonly digests: TrustDigests;
}

// The trust documents checked, the trusted root parsed: what toTrust builds the trust from.
export interface ParsedTrust extends TrustKeys {
  readonly trustedRoot: NamedTrustedRoot;
}

// A registry without keys: the digest recorded is that of the empty string.
const NO_KEYS = { value: null, sha256: createHash('sha256').update('').digest('hex'), basis: 'bytes' as const };

// The log key types toTrustMaterial reads as PKCS#1 DER (every other as SPKI).
const PKCS1_KEY_DETAILS = new Set<KeyDetailsName>([
  'PKCS1_RSA_PKCS1V5',
  'PKIX_RSA_PKCS1V5',
  'PKIX_RSA_PKCS1V15_2048_SHA256',
  'PKIX_RSA_PKCS1V15_3072_SHA256',
  'PKIX_RSA_PKCS1V15_4096_SHA256',
]);

// Parses and checks a run's trust documents. Throws TrustMaterialError when either is unusable.
export function parseTrust(input: TrustInput): ParsedTrust {
  const root = toParsedDocument(input.trustedRoot);
  if ('error' in root) {
    throw new TrustMaterialError('TRUSTED_ROOT_INVALID', `trusted root: ${root.error}`);
  }
  const keys = input.registryKeys === null ? NO_KEYS : toParsedDocument(input.registryKeys);
  if ('error' in keys) {
    throw new TrustMaterialError('REGISTRY_KEYS_INVALID', `registry keys: ${keys.error}`);
  }
  const npm = input.npmKeys === undefined ? undefined : toParsedDocument(input.npmKeys);
  if (npm !== undefined && 'error' in npm) {
    throw new TrustMaterialError('REGISTRY_KEYS_INVALID', `npm's registry keys: ${npm.error}`);
  }
  const ownKeys = toRegistryKeyIndex(keys === NO_KEYS ? [] : toRegistryKeys(keys.value));
  const registryKeys = npm === undefined ? ownKeys : withNpmKeys(ownKeys, toRegistryKeyIndex(toRegistryKeys(npm.value)));
  const trustedRoot = parseTrustedRoot(root.value);
  // The log keys toTrustMaterial will build, built now: a key that cannot be read stops the run
  // before any package is checked, as it did when the whole trust was built at the start.
  for (const log of [...trustedRoot.tlogs, ...trustedRoot.ctlogs]) {
    sigstoreCrypto.createPublicKey(log.publicKey.rawBytes as Buffer, PKCS1_KEY_DETAILS.has(log.publicKey.keyDetails) ? 'pkcs1' : 'spki');
  }
  return {
    trustedRoot,
    registryKeys,
    digests: {
      trustedRoot: root.sha256,
      registryKeys: keys.sha256,
      ...(npm === undefined ? {} : { npmKeys: npm.sha256 }),
      basis: { trustedRoot: root.basis, registryKeys: keys.basis },
    },
  };
}

// The registry's keys with npm's added. A key the registry lists under one of npm's keyids is
// replaced by npm's: a registry (or a proxy in the middle) cannot redefine what npm's keyid
// means, so a signature reported as npm's is always checked with npm's key.
function withNpmKeys(own: RegistryKeyIndex, npm: RegistryKeyIndex): RegistryKeyIndex {
  const merged = new Map<KeyUsage, ReadonlyMap<string, RegistryKey>>();
  for (const usage of new Set([...own.keys(), ...npm.keys()])) {
    const byId = new Map(own.get(usage));
    // A keyid npm uses for either purpose is npm's: the registry's key of that id is dropped
    // for every purpose, not just the one npm lists it for.
    for (const npmIds of npm.values()) for (const keyid of npmIds.keys()) byId.delete(keyid);
    for (const [keyid, key] of npm.get(usage) ?? []) byId.set(keyid, key);
    merged.set(usage, byId);
  }
  return merged;
}

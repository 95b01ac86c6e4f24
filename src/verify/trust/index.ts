// The trust a run verifies against, built once: the parsed trusted root, @sigstore/verify's
// TrustMaterial and Verifier over it, and the registry keys parsed into KeyObjects.

import { createHash } from 'node:crypto';
import { Verifier, VerificationError, toTrustMaterial, type TrustMaterial } from '@sigstore/verify';
import { TrustMaterialError } from '../errors.js';
import { toParsedDocument } from '../encoding.js';
import type { KeyUsage, RegistryKey, TrustDigests } from '../types.js';
import { isKeyValidAt, toRegistryKeyIndex, toRegistryKeys, type RegistryKeyIndex } from './registry-keys.js';
import { withTrustedCertificates } from './encoded-certificate.js';
import { toTrustedRoot } from './trusted-root.js';

export { getSeedTargets, type SeedTargets } from './seeds.js';
export { isKeyValidAt, toRegistryKeys, toRegistryKeyIndex, type RegistryKeyIndex } from './registry-keys.js';
export { toTrustedRoot, type TrustedRoot } from './trusted-root.js';
export { EncodedCertificate } from './encoded-certificate.js';

export interface Trust {
  readonly material: TrustMaterial;
  readonly verifier: Verifier;
  readonly registryKeys: RegistryKeyIndex;
  readonly digests: TrustDigests;
}

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

// A registry without keys: the digest recorded is that of the empty string.
const NO_KEYS = { value: null, sha256: createHash('sha256').update('').digest('hex'), basis: 'bytes' as const };

// Builds the trust for a run. Throws TrustMaterialError when either document is unusable.
export function createTrust(input: TrustInput): Trust {
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
  const attestationKeys = registryKeys.get('npm:attestations') ?? new Map<string, RegistryKey>();

  // Only npm:attestations keys can sign a bundle: a key published for registry signatures is not
  // thereby trusted to vouch for a publish attestation. Keys are looked up, never re-parsed.
  const material = withTrustedCertificates(toTrustMaterial(toTrustedRoot(root.value), (hint: string) => {
    const key = attestationKeys.get(hint);
    if (key === undefined) {
      throw new VerificationError({ code: 'PUBLIC_KEY_ERROR', message: `key not found: ${hint}` });
    }
    return { publicKey: key.publicKey, validFor: (date: Date) => isKeyValidAt(key, date) };
  }));

  // Thresholds spelled out, not left to the library's defaults: one verified tlog entry, one SCT
  // and one verified timestamp per bundle are the minimum this tool accepts.
  const verifier = new Verifier(material, { tlogThreshold: 1, ctlogThreshold: 1, timestampThreshold: 1 });
  return {
    material,
    verifier,
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

// The trust a run verifies against, built once: the parsed trusted root, @sigstore/verify's
// TrustMaterial and Verifier over it, and the registry keys parsed into KeyObjects.

import { Verifier, VerificationError, toTrustMaterial, type TrustMaterial } from '@sigstore/verify';
import type { RegistryKey } from '../types.js';
import { parseTrust, type ParsedTrust, type TrustInput, type TrustKeys } from './documents.js';
import { isKeyValidAt } from './registry-keys.js';
import { withTrustedCertificates } from './encoded-certificate.js';
import { withEnumValues } from './trusted-root.js';

export { getSeedTargets, type SeedTargets } from './seeds.js';
export { isKeyValidAt, toRegistryKeys, toRegistryKeyIndex, type RegistryKeyIndex } from './registry-keys.js';
export { toTrustedRoot, type TrustedRoot } from './trusted-root.js';
export { EncodedCertificate } from './encoded-certificate.js';
export { parseTrust, type ParsedTrust, type TrustInput, type TrustKeys } from './documents.js';

export interface Trust extends TrustKeys {
  readonly material: TrustMaterial;
  readonly verifier: Verifier;
}

// Builds the trust for a run. Throws TrustMaterialError when either document is unusable.
export function createTrust(input: TrustInput): Trust {
  return toTrust(parseTrust(input));
}

// The trust built from documents parseTrust checked: @sigstore/verify's TrustMaterial and
// Verifier over the trusted root, beside the registry keys.
export function toTrust(parsed: ParsedTrust): Trust {
  const { registryKeys, digests } = parsed;
  const attestationKeys = registryKeys.get('npm:attestations') ?? new Map<string, RegistryKey>();

  // Only npm:attestations keys can sign a bundle: a key published for registry signatures is not
  // thereby trusted to vouch for a publish attestation. Keys are looked up, never re-parsed.
  const material = withTrustedCertificates(toTrustMaterial(withEnumValues(parsed.trustedRoot), (hint: string) => {
    const key = attestationKeys.get(hint);
    if (key === undefined) {
      throw new VerificationError({ code: 'PUBLIC_KEY_ERROR', message: `key not found: ${hint}` });
    }
    return { publicKey: key.publicKey, validFor: (date: Date) => isKeyValidAt(key, date) };
  }));

  // Thresholds spelled out, not left to the library's defaults: one verified tlog entry, one SCT
  // and one verified timestamp per bundle are the minimum this tool accepts.
  const verifier = new Verifier(material, { tlogThreshold: 1, ctlogThreshold: 1, timestampThreshold: 1 });
  return { material, verifier, registryKeys, digests };
}


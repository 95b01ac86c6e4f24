// Test-side oracle: verifies a serialized bundle with @sigstore/verify against a trusted root JSON
// and (for key-signed publish attestations) an npm TUF keys.json document. Offline by construction.
import { bundleFromJSON } from '@sigstore/bundle';
import { PublicKey, TrustedRoot } from '@sigstore/protobuf-specs';
import { type Signer, Verifier, type VerifierOptions, toSignedEntity, toTrustMaterial } from '@sigstore/verify';

// A TUF keys.json document (test/fixtures/trusted-root/keys.json shape).
export interface TufKeysJson {
  keys: Array<{ keyId: string; keyUsage: string; publicKey: unknown }>;
}

// keyid -> PublicKey map of the keys listed for a usage (default npm:attestations).
export function keysForUsage(doc: TufKeysJson, usage = 'npm:attestations'): Record<string, PublicKey> {
  const out: Record<string, PublicKey> = {};
  for (const k of doc.keys) if (k.keyUsage === usage) out[k.keyId] = PublicKey.fromJSON(k.publicKey);
  return out;
}

// Verifies one bundle (JSON) and returns the signer, throwing on any defect.
export function verifyBundleJson(
  bundle: unknown,
  trustedRoot: unknown,
  options: { keys?: TufKeysJson; verifier?: VerifierOptions } = {},
): Signer {
  const material = toTrustMaterial(TrustedRoot.fromJSON(trustedRoot), options.keys ? keysForUsage(options.keys) : undefined);
  const entity = toSignedEntity(bundleFromJSON(bundle));
  return new Verifier(material, { tlogThreshold: 1, ctlogThreshold: 1, timestampThreshold: 1, ...options.verifier }).verify(entity);
}

import type { KeyObject } from 'node:crypto';
import { expandIdentity } from '../policy/identity.js';
import { loadTrustSource } from '../registry/trust-source.js';
import { verifyArtifactBundle, type ArtifactBundleResult, type ArtifactInput, type ExpectedSigner } from '../verify/artifact/index.js';
import { createTrust } from '../verify/index.js';

// Who must have signed: a certificate identity (the SAN exactly, or a regular expression) with
// its OIDC issuer, or a public key.
export type BundleSigner = { san: string; oidcIssuer: string } | { sanRegex: string; oidcIssuer: string } | { publicKey: KeyObject };

export interface VerifyBundleOptions {
  // The bundle's parsed JSON (a .sigstore.json file), untrusted.
  bundle: unknown;
  // The artifact's bytes, or its digest.
  artifact: ArtifactInput;
  signer: BundleSigner;
  // A Sigstore trusted_root.json; default the public-good root shipped with @sigstore/tuf.
  trustedRootFile?: string;
  now?: Date;
}

// Verifies one Sigstore bundle over one artifact against a pinned signer, as `verify-deps
// verify-bundle` does, without the network. A bundle that does not verify is a result (verified
// false, with findings); only bad options throw.
export async function verifyBundle(options: VerifyBundleOptions): Promise<ArtifactBundleResult> {
  const source = await loadTrustSource({ refresh: false, tufCacheDir: '', refreshTimeoutMs: 0, ...(options.trustedRootFile === undefined ? {} : { trustedRootFile: options.trustedRootFile }) });
  const trust = createTrust({ trustedRoot: source.trustedRoot, registryKeys: null });
  return verifyArtifactBundle({ bundle: options.bundle, artifact: options.artifact, identity: toExpectedSigner(options.signer) }, trust, options.now ?? new Date());
}

function toExpectedSigner(signer: BundleSigner): ExpectedSigner {
  if ('publicKey' in signer) return { publicKey: signer.publicKey };
  // expandIdentity escapes and anchors a literal SAN: a SAN that merely contains it must not match.
  const { issuer, sanPattern } = expandIdentity(signer);
  if (sanPattern === null) throw new TypeError('verifyBundle: expected a SAN or SAN pattern to pin');
  return { issuer, sanPattern };
}

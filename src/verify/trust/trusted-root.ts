// A parsed trusted root in the shape @sigstore/verify's toTrustMaterial takes: the names of its
// logs' key types and hashes become protobuf-specs' enum values (the numbers are the library's).

import { HashAlgorithm, PublicKeyDetails } from '@sigstore/protobuf-specs';
import { parseTrustedRoot, type NamedTLog, type NamedTrustedRoot, type TrustedRoot } from './trusted-root-document.js';

export type { TrustedRoot } from './trusted-root-document.js';

// Parses a trusted root, throwing TrustMaterialError(TRUSTED_ROOT_INVALID) on anything missing,
// unknown or malformed.
export function toTrustedRoot(doc: unknown): TrustedRoot {
  return withEnumValues(parseTrustedRoot(doc));
}

// A root parseTrustedRoot accepted, with its enum names as protobuf-specs' values.
export function withEnumValues(root: NamedTrustedRoot): TrustedRoot {
  return { ...root, tlogs: root.tlogs.map(withLogEnumValues), ctlogs: root.ctlogs.map(withLogEnumValues) };
}

function withLogEnumValues(log: NamedTLog): TrustedRoot['tlogs'][number] {
  return {
    ...log,
    hashAlgorithm: HashAlgorithm[log.hashAlgorithm],
    publicKey: { ...log.publicKey, keyDetails: PublicKeyDetails[log.publicKey.keyDetails] },
  };
}

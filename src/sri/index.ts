// The SRI stage: the manifest of what verified (pure), the tarball re-hash, and file digests.

export { buildSriManifest, compareCodePoints, type SriManifest, type SriManifestEntry, type SriManifestInput, type SriMode, type SriPackageInput } from './manifest.js';
export { hashSha1Pinned, isSha1OnlyPin, rehashTarball, toSha1PinMismatch, toSha512Integrity, toTarballDigestMismatch, TARBALL_DIGEST_MISMATCH, type TarballDigestMismatchFinding } from './integrity.js';
export { hashPackageFiles, type PackageFileHashes, type SkippedFile, type SkipReason } from './files.js';
export { SriError, type SriErrorCode } from './errors.js';

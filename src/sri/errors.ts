// Errors of the SRI stage. A tarball whose bytes differ from the lockfile's pin is a finding
// (TARBALL_DIGEST_MISMATCH, data); these errors are for a manifest that cannot honestly be built
// or files that cannot be read.

import { EXIT, VerifyDepsError, type ErrorDetails } from '../errors.js';

export type SriErrorCode =
  // A package marked verified whose lockfile integrity is not exactly one sha512 digest.
  | 'SRI_INTEGRITY_NOT_SHA512'
  // A package marked verified whose re-hashed tarball differs from the lockfile's pin.
  | 'SRI_REHASH_MISMATCH'
  // A `files` key that is not a relative posix path inside the package, or a value not sha384.
  | 'SRI_FILE_ENTRY_INVALID'
  // A glob that could never name a file inside the package (empty, absolute, `..`).
  | 'SRI_GLOB_INVALID'
  // The installed package directory cannot be read.
  | 'SRI_PACKAGE_DIR_UNREADABLE';

const EXIT_BY_CODE: Record<SriErrorCode, (typeof EXIT)[keyof typeof EXIT]> = {
  // The caller asked us to vouch for something that was not proven: refuse, as a failure.
  SRI_INTEGRITY_NOT_SHA512: EXIT.policyFailure,
  SRI_REHASH_MISMATCH: EXIT.policyFailure,
  SRI_FILE_ENTRY_INVALID: EXIT.policyFailure,
  SRI_GLOB_INVALID: EXIT.badInput,
  // Could not look at the files at all: nothing was judged, so the run is incomplete.
  SRI_PACKAGE_DIR_UNREADABLE: EXIT.incomplete,
};

// The SRI manifest or a package's file digests cannot be produced.
export class SriError extends VerifyDepsError<SriErrorCode> {
  constructor(code: SriErrorCode, message: string, details: ErrorDetails = {}, cause?: unknown) {
    super(code, message, EXIT_BY_CODE[code], details, cause);
  }
}

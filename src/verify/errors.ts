// Errors of the verify stage. Only configuration can throw: trust material that cannot be
// parsed means no package can be judged, so the run stops instead of failing every package.

import { EXIT, VerifyDepsError, type ErrorDetails } from '../errors.js';

export type TrustErrorCode =
  | 'TRUSTED_ROOT_INVALID'
  | 'REGISTRY_KEYS_INVALID'
  | 'SEEDS_INVALID';

// The trust material handed to the verify stage is unusable.
export class TrustMaterialError extends VerifyDepsError<TrustErrorCode> {
  constructor(code: TrustErrorCode, message: string, details: ErrorDetails = {}, cause?: unknown) {
    super(code, message, EXIT.badInput, details, cause);
  }
}

import { TrustNotFreshError, UsageError } from '../errors.js';
import type { TrustSource } from '../registry/trust-source.js';

// Origins that count as fresh: a TUF refresh this run, the last copy a refresh verified (its
// metadata still unexpired), or a file the user chose.
const FRESH = new Set(['file', 'tuf-refreshed', 'tuf-cached']);

// Checks that neither the trusted root nor npm's keys were left at the copy embedded in
// @sigstore/tuf (older than Sigstore's current root whenever it has rotated since the release).
// --trusted-root or --registry-keys stand for the material they replace: the user chose it.
export function assertFreshTrust(source: TrustSource, chosen: { trustedRootFile?: string; registryKeysFile?: string }): void {
  const rootFresh = FRESH.has(source.trustedRootOrigin);
  const keysFresh = FRESH.has(source.npmKeysOrigin) || chosen.registryKeysFile !== undefined || chosen.trustedRootFile !== undefined;
  if (rootFresh && keysFresh) return;
  const why = source.refreshError === undefined ? 'no refresh was tried' : `the refresh failed: ${source.refreshError}`;
  throw new TrustNotFreshError(`expected trust material refreshed through Sigstore's TUF repository or cached from an earlier refresh, got only the copy embedded in @sigstore/tuf (${why})`);
}

// --require-fresh-trust asks for a refresh that --offline forbids: a contradiction (exit 2).
export function assertFreshTrustAllowed(options: { requireFreshTrust?: boolean; offline: boolean }): void {
  if (options.requireFreshTrust && options.offline) {
    throw new UsageError('USAGE', '--require-fresh-trust with --offline: expected a run that may refresh trust, got one that may not', { field: '--require-fresh-trust' });
  }
}

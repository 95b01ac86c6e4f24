import { FetchError } from '../registry/fetch-error.js';
import type { CheckFinding } from './types.js';

// The finding for something the registry could not give: INPUT_TOO_LARGE for a response past its
// size limit, FETCH_FAILED for the rest. Anything but a FetchError is a bug, and is rethrown.
export function toFetchFinding(error: unknown): CheckFinding {
  if (!(error instanceof FetchError)) throw error;
  return { code: error.kind === 'too-large' ? 'INPUT_TOO_LARGE' : 'FETCH_FAILED', message: error.message, details: { kind: error.kind, url: error.url } };
}

// The finding for what --offline needed and the cache did not hold.
export function offlineMiss(what: string): CheckFinding {
  return { code: 'OFFLINE_CACHE_MISS', message: `--offline: the cache does not hold the ${what}` };
}

// Builds findings. One helper so that every finding has the same shape.

import type { Finding, FindingCode } from './types.js';

// Returns a Finding; details are left out when there are none.
export function toFinding(code: FindingCode, message: string, details?: Record<string, unknown>): Finding {
  return details === undefined ? { code, message } : { code, message, details };
}

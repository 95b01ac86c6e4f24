import type { HistoryNeed, NpmReleaseAge } from '../types.js';
import { mayNeedHistory } from './check-downgrade.js';
import { mayNeedReleaseTime } from './check-release-age.js';
import type { NormalizedPolicy, PolicySubject } from './types.js';

// How surely evaluation will read this package's history, before its facts are known. The
// trust-downgrade rule without an ignore window reads it for every registry package with facts
// (`always`); with a window, a signed publish time older than the window spares it, and the
// release cooldown needs the registry's time only without a signed one (`maybe`).
export function getHistoryNeed(ref: PolicySubject['ref'], policy: NormalizedPolicy, npm: NpmReleaseAge | undefined): HistoryNeed {
  if (mayNeedHistory(ref, policy)) return policy.downgradeIgnoreAfterMinutes === null ? 'always' : 'maybe';
  return mayNeedReleaseTime(ref, policy, npm) ? 'maybe' : 'never';
}

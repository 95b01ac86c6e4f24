// Transparency-log pinning: the trusted root may list several logs; a policy that pins some
// accepts verified attestations only when every entry comes from a pinned one.

import type { PackageFacts } from '../verify/types.js';
import type { RawFinding } from './evidence.js';
import { normalizeLogUrl } from './normalize.js';
import type { NormalizedPolicy, TrustedLog } from './types.js';

// Checks the log of every transparency-log entry of every verified attestation. An entry whose
// logId no trusted log has, or an attestation with no entry at all, is not from a pinned log.
export function checkTransparencyLogs(facts: PackageFacts, policy: NormalizedPolicy, trustedLogs: readonly TrustedLog[]): RawFinding[] {
  const pinned = policy.transparencyLogs;
  if (pinned === null) return [];
  const findings: RawFinding[] = [];
  for (const attestation of facts.attestations.filter((a) => a.status === 'verified')) {
    if (attestation.tlog.length === 0) {
      findings.push({ code: 'TLOG_NOT_PINNED', detail: `expected a ${attestation.predicateType} entry in ${pinned.join(' or ')}, got no transparency-log entry` });
      continue;
    }
    const stray = attestation.tlog.find((entry) => {
      const log = trustedLogs.find((l) => l.logId === entry.logId);
      return log === undefined || !pinned.includes(normalizeLogUrl(log.baseUrl));
    });
    if (stray !== undefined) {
      const log = trustedLogs.find((l) => l.logId === stray.logId);
      findings.push({
        code: 'TLOG_NOT_PINNED',
        detail: `expected the ${attestation.predicateType} entry in ${pinned.join(' or ')}, got one in ${log?.baseUrl ?? `an unknown log (logId ${stray.logId})`}`,
        details: { pinned, logId: stray.logId, logIndex: stray.logIndex, baseUrl: log?.baseUrl ?? null },
      });
    }
  }
  return findings;
}

// Exceptions: an in-date exception waives exactly the codes it lists for the packages it names;
// an expired one waives nothing and is itself a finding, so a waiver cannot quietly outlive its
// approval.

import { exceptionMatches } from './match.js';
import type { RawFinding } from './evidence.js';
import type { ExceptionUse, NormalizedException, PolicyFinding, WaivedFinding } from './types.js';

// Per exception: how many findings it waived, once it matched a package.
export type ExceptionLedger = Map<NormalizedException, ExceptionUse>;

// The EXCEPTION_EXPIRED findings of a package: one per expired exception that names it.
export function expiredExceptions(name: string, version: string, exceptions: readonly NormalizedException[], now: Date): RawFinding[] {
  return exceptions
    .filter((e) => exceptionMatches(e, name, version) && now.getTime() >= Date.parse(e.expiresAt))
    .map((e) => ({
      code: 'EXCEPTION_EXPIRED',
      detail: `expected an exception in date, got ${e.package} waiving ${e.waive.join(', ')} (approved by ${e.approvedBy}: ${e.reason}) expired ${e.expires}; it waives nothing`,
      details: { package: e.package, waive: e.waive, expires: e.expires, approvedBy: e.approvedBy },
    }));
}

// Splits a package's findings into those that stand and those an in-date exception waives,
// counting each waiver against the first exception (in policy order) that lists its code, and
// naming that exception on the waived finding.
export function applyExceptions(
  name: string,
  version: string,
  findings: readonly PolicyFinding[],
  exceptions: readonly NormalizedException[],
  now: Date,
  ledger: ExceptionLedger,
): { findings: PolicyFinding[]; waived: WaivedFinding[] } {
  const active = exceptions.filter((e) => exceptionMatches(e, name, version) && now.getTime() < Date.parse(e.expiresAt));
  for (const e of active) {
    if (!ledger.has(e)) ledger.set(e, { package: e.package, waive: e.waive, reason: e.reason, approvedBy: e.approvedBy, expires: e.expires, waived: 0 });
  }
  const kept: PolicyFinding[] = [];
  const waived: WaivedFinding[] = [];
  for (const finding of findings) {
    const by = finding.code === 'EXCEPTION_EXPIRED' ? undefined : active.find((e) => (e.waive as readonly string[]).includes(finding.code));
    if (by === undefined) {
      kept.push(finding);
      continue;
    }
    waived.push({ ...finding, exception: by.package });
    (ledger.get(by) as ExceptionUse).waived += 1;
  }
  return { findings: kept, waived };
}

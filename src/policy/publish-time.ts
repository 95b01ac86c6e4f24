// When a judged version was published, and who says so: the rules that weigh publish times
// (trust downgrade, release cooldown) read it the same way.

import type { PackageFacts } from '../verify/types.js';
import type { VersionHistory } from './types.js';

// A publish time and its source: the publish attestation's signed transparency-log time (verified
// evidence), or the registry packument's `time` (unsigned registry metadata).
export interface JudgedTime {
  value: string;
  at: number;
  source: 'publish-attestation' | 'packument';
}

// The signed log time of the version's publish attestation when it verified; else the registry's
// `time` for it (unsigned), from the history or, failing that, from its evidence; undefined when
// neither is a date.
export function getJudgedTime(facts: PackageFacts, history: VersionHistory | undefined): JudgedTime | undefined {
  if (facts.publishTime?.signed === true) {
    const at = Date.parse(facts.publishTime.value);
    if (Number.isFinite(at)) return { value: facts.publishTime.value, at, source: 'publish-attestation' };
  }
  const claimed = history?.publishedAt ?? facts.publishTime?.value;
  const at = claimed === undefined ? Number.NaN : Date.parse(claimed);
  return claimed !== undefined && Number.isFinite(at) ? { value: claimed, at, source: 'packument' } : undefined;
}

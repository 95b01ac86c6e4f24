// Where a package comes from: an allowed registry host, or a non-registry source the policy
// allows, warns about or denies.

import type { RawFinding } from './evidence.js';
import { originHost } from './match.js';
import type { NormalizedPolicy, PolicySubject } from './types.js';

// Checks the registry host of a registry package and the source of any other.
export function checkOrigin(subject: PolicySubject, policy: NormalizedPolicy): RawFinding[] {
  const { source } = subject.ref;
  if (source === 'registry') {
    const allowed = policy.registriesAllowed;
    const host = originHost(subject);
    if (allowed === null || (host !== null && allowed.includes(host))) return [];
    return [{ code: 'REGISTRY_NOT_ALLOWED', detail: `expected a registry among ${allowed.join(', ')}, got ${host ?? 'an unknown registry'}`, details: { allowed, got: host } }];
  }
  const action = policy.sources[source];
  const from = subject.ref.resolved === null ? `a ${source} source` : `a ${source} source (${subject.ref.resolved})`;
  if (action === 'deny') return [{ code: 'SOURCE_DENIED', detail: `installed from ${from}, which the policy denies`, details: { source } }];
  if (action === 'warn') {
    return [{ code: 'SOURCE_UNVERIFIABLE', detail: `installed from ${from}: no registry signature or provenance can exist for it`, details: { source }, audit: true }];
  }
  return [];
}

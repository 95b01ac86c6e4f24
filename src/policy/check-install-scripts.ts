// Install scripts run code on the machine that installs, before any of the project's own code:
// a package whose scripts npm may run needs more evidence than one whose code only runs when
// imported. What scripts need: a verified provenance, signed by one of the rule's
// `installScripts.signer` when the rule pins some.

import { provenanceIdentities, type RawFinding } from './evidence.js';
import { repositoryIdsMatch, signerMatches } from './identity.js';
import type { ScriptApproval } from './allow-scripts.js';
import type { NormalizedPolicy, NormalizedRule, PolicySubject } from './types.js';

// The project's own code: its scripts are the project's, and it has no provenance to ask for.
const OWN_SOURCES: ReadonlySet<string> = new Set(['directory', 'link', 'workspace']);

// Whether npm may run this package's install scripts: it has some, is not bundled (npm never runs
// a bundled package's), is not the project's own code, and allowScripts does not deny it.
export function mayRunScripts(subject: Pick<PolicySubject, 'ref'>, approval: ScriptApproval): boolean {
  const { ref } = subject;
  return ref.hasInstallScript && !ref.bundled && !OWN_SOURCES.has(ref.source) && approval.state !== 'denied';
}

// Checks a package whose scripts may run: SCRIPT_NOT_APPROVED (always a warning) when allowScripts
// does not name it, and INSTALL_SCRIPT_UNVERIFIED (SCRIPT_APPROVAL_UNVERIFIED when approved) when
// it lacks the evidence scripts need; under `installScripts: "warn"` these are warnings too.
export function checkInstallScripts(subject: PolicySubject, approval: ScriptApproval, policy: NormalizedPolicy, rules: readonly NormalizedRule[]): RawFinding[] {
  if (policy.installScripts === 'off' || !mayRunScripts(subject, approval)) return [];
  const findings: RawFinding[] = [];
  if (approval.state === 'unreviewed') {
    findings.push({
      code: 'SCRIPT_NOT_APPROVED',
      detail: 'expected package.json allowScripts to approve or deny its install scripts, got no entry: npm 11 runs them with a warning (fails the install with --strict-allow-scripts), npm 12 skips them',
      audit: true,
    });
  }
  const missing = missingEvidence(subject, rules);
  if (missing !== null) {
    const approved = approval.state === 'approved';
    findings.push({
      code: approved ? 'SCRIPT_APPROVAL_UNVERIFIED' : 'INSTALL_SCRIPT_UNVERIFIED',
      detail: `expected ${missing.expected} for a package whose install scripts ${approved ? `allowScripts approves (${approval.keys.join(', ')})` : 'may run'}, got ${missing.got}`,
      details: { expected: missing.expected, got: missing.got, ...(approved ? { approvedBy: [...approval.keys] } : {}) },
      ...(policy.installScripts === 'warn' ? { audit: true } : {}),
    });
  }
  return findings;
}

// Whether the package has what install scripts need under these rules.
export function hasScriptEvidence(subject: PolicySubject, rules: readonly NormalizedRule[]): boolean {
  return missingEvidence(subject, rules) === null;
}

// What evidence is missing, or null when the package has what its scripts need.
function missingEvidence(subject: PolicySubject, rules: readonly NormalizedRule[]): { expected: string; got: string } | null {
  const identities = subject.facts === undefined ? [] : provenanceIdentities(subject.facts);
  const signers = rules.flatMap((rule) => rule.installScriptSigners ?? []);
  const expected = signers.length === 0 ? 'a verified provenance' : `a verified provenance signed by ${signers.map((s) => s.expected).join(' or ')}`;
  if (identities.length === 0) {
    const got = subject.ref.source === 'registry' ? 'none verified' : `none (a ${subject.ref.source} source has none)`;
    return { expected, got };
  }
  // Every rule that pins signers for scripts must be met, by every verified provenance.
  for (const rule of rules) {
    const accepted = rule.installScriptSigners;
    if (accepted === null) continue;
    const stranger = identities.find((id) => !accepted.some((s) => signerMatches(s, id.issuer, id.san) && repositoryIdsMatch(s, id.extensions)));
    if (stranger !== undefined) return { expected, got: `a provenance signed by ${stranger.san ?? 'no subject alternative name'} (issuer ${stranger.issuer ?? 'none'})` };
  }
  return null;
}

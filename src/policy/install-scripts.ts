// The project-wide part of the install-scripts rule: which packages' scripts npm may run (with
// their evidence), and the approvals of allowScripts that approve nothing in the tree.

import { getScriptApproval, getStaleApprovals } from './allow-scripts.js';
import { hasScriptEvidence, mayRunScripts } from './check-install-scripts.js';
import { matchRules } from './match.js';
import type { Enforcement, InstallScriptsDecision, NormalizedPolicy, NormalizedRule, PackageDecision, PolicyFinding, PolicyInput } from './types.js';

// Lists the packages whose install scripts may run, and judges stale approvals: an approval of a
// name or version the lockfile does not hold runs, unreviewed, whatever later arrives under it
// (a name-only one any version, a typosquat's first install included). Not judged when --omit or
// --workspace left packages out, or when the policy's installScripts is off.
export function decideInstallScripts(input: PolicyInput, policy: NormalizedPolicy, packages: readonly PackageDecision[]): InstallScriptsDecision {
  const allowScripts = input.allowScripts ?? {};
  const mayRun = input.subjects.flatMap((subject, index) => {
    if (!subject.ref.hasInstallScript) return [];
    const approval = getScriptApproval(subject.ref, allowScripts);
    if (!mayRunScripts(subject, approval)) return [];
    const rules = [...new Set(matchRules(subject, policy.rules).flatMap((m) => (m.rule === null ? [] : [m.rule])))] as NormalizedRule[];
    const { name, version } = packages[index] ?? subject.ref;
    return [{ name, version, approvedBy: approval.state === 'approved' ? approval.keys : [], verified: hasScriptEvidence(subject, rules) }];
  });
  const judged = input.allowScripts !== undefined && input.treeComplete !== false && policy.installScripts !== 'off';
  const level: Enforcement = policy.installScripts === 'fail' ? policy.enforcement : 'audit';
  const findings = judged
    ? getStaleApprovals(input.subjects.map((s) => s.ref), allowScripts).map(({ key, found }): PolicyFinding => {
        const got = found.length === 0 ? 'no package of that name' : `only ${found.map((v) => `${v}`).join(', ')}`;
        const detail = `expected the lockfile to hold the package this allowScripts approval names, got ${got}`;
        return {
          code: 'SCRIPT_APPROVAL_STALE',
          message: `allowScripts "${key}" ${level === 'strict' ? 'rejected' : 'flagged'}: SCRIPT_APPROVAL_STALE — ${detail}`,
          package: key,
          rule: null,
          enforcement: level,
          details: { approval: key, found },
        };
      })
    : [];
  return { allowScripts: input.allowScripts !== undefined, mayRun, findings };
}

import { resolve } from 'node:path';
import { readProjectTree, runCheck, type CheckOptions, type CheckResult, type ProjectTree, type TreeOptions } from '../check/index.js';
import type { OmitType } from '../types.js';
import { evaluatePolicy, getHistoryNeed, needsHistory, needsReleaseTime, type Enforcement, type NormalizedPolicy, type PolicyDecision } from '../policy/index.js';
import { readAllowScripts } from './allow-scripts.js';
import { loadPolicy, type LoadedPolicy } from './policy-source.js';
import { toPolicyInput } from './subjects.js';

export { BUILTIN_POLICY_DIR, loadPolicy, locatePolicy, PROJECT_POLICY_FILE, type LoadedPolicy, type PolicySource } from './policy-source.js';
export { subjectRefs, toPolicyInput } from './subjects.js';

export interface GateOptions extends Omit<CheckOptions, 'wantsHistory' | 'historyNeed' | 'tree'> {
  omit: readonly OmitType[];
  // Which of the tree to gate: --workspace, --include-workspace-root, --max-entries.
  treeOptions?: Omit<TreeOptions, 'omit'>;
  policyFile?: string;
  // --mode: overrides the enforcement of the policy and of every rule.
  mode?: Enforcement;
  // Told once the policy and the lockfile are read: what the report of a run that stops later
  // still records.
  onInputs?: (inputs: GateInputs) => void;
}

// The policy (after --mode) and the tree a run judges.
export interface GateInputs extends ProjectTree {
  policy: LoadedPolicy;
}

export interface GateResult {
  check: CheckResult;
  policy: LoadedPolicy;
  decision: PolicyDecision;
}

// The gate: read the policy (configuration errors before any network), gather the facts, judge
// them. Verification produces facts; the policy, a pure function, judges them.
export async function runGate(options: GateOptions): Promise<GateResult> {
  const loaded = await loadPolicy(resolve(options.dir), options.policyFile);
  const policy = options.mode === undefined ? loaded.policy : withEnforcement(loaded.policy, options.mode);
  const tree = await readProjectTree(options.dir, { ...options.treeOptions, omit: options.omit });
  options.onInputs?.({ ...tree, policy: { ...loaded, policy } });
  const check = await runCheck({
    ...options,
    tree,
    wantsHistory: (ref, facts, npmReleaseAge) => needsHistory({ ref, facts }, policy, options.now) || needsReleaseTime({ ref, facts }, policy, npmReleaseAge),
    historyNeed: (ref, npmReleaseAge) => getHistoryNeed(ref, policy, npmReleaseAge),
  });
  const allowScripts = await readAllowScripts(options.dir, tree.inventory);
  // An approval of a package --omit or --workspace left out is not stale.
  const treeComplete = tree.inventory.omitted === undefined && tree.inventory.workspaces === undefined;
  const input = { ...toPolicyInput(check, loaded.identityLock), ...(allowScripts === undefined ? {} : { allowScripts }), treeComplete };
  const decision = evaluatePolicy(input, policy, options.now);
  return { check, policy: { ...loaded, policy }, decision };
}

// --mode audit reports everything and blocks nothing; --mode strict enforces every rule.
export function withEnforcement(policy: NormalizedPolicy, mode: Enforcement): NormalizedPolicy {
  return { ...policy, enforcement: mode, rules: policy.rules.map((rule) => ({ ...rule, enforcement: mode })) };
}

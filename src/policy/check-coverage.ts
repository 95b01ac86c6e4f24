// Rule coverage of a native policy: a registry package must meet a rule under every name it is
// installed as and every host it comes from. Without this a package no rule names is judged by
// verification alone, and a policy that lists its pinned packages (and no catch-all) would pass
// any other package, or any package installed under another name or from another host.

import type { RawFinding } from './evidence.js';
import type { RuleMatch } from './match.js';

// One NO_MATCHING_RULE per installed name that some origin host reaches no rule under.
export function checkRuleCoverage(matches: readonly RuleMatch[], realName: string): RawFinding[] {
  const uncovered = new Map<string, string[]>();
  for (const match of matches) {
    if (match.rule !== null) continue;
    uncovered.set(match.name, [...(uncovered.get(match.name) ?? []), ...(match.host === null ? [] : [match.host])]);
  }
  return [...uncovered].map(([name, hosts]) => {
    const as = name === realName ? name : `${name} (the name it is installed as)`;
    const from = hosts.length === 0 ? '' : ` from ${hosts.join(' or ')}`;
    return {
      code: 'NO_MATCHING_RULE',
      detail: `expected a policy rule matching ${as}${from}, got none; end the rules with a catch-all rule (match.package "*")`,
      details: { name, hosts },
    };
  });
}

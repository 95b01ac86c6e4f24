// The checks a JSON Schema cannot express, run on a rules-format policy alongside the schema (so one
// run reports every problem): regular expressions compile, semver ranges parse, dates are real
// dates, rule names are unique, and no rule pins a signer while excusing the provenance that
// carries it; a policy without a catch-all rule is warned about (what it misses fails closed).
// Defensive: a field of the wrong shape is the schema's to report, and skipped here.

import semver from 'semver';
import type { PolicyProblem } from './errors.js';
import { parseExpiry } from './expiry.js';
import { isAnchored, regExpError } from './patterns.js';
import type { RulesPolicy, Rule } from './policy.generated.js';
import { normalizeRepositoryUrl } from './repository-url.js';

export interface SemanticResult {
  problems: PolicyProblem[];
  warnings: PolicyProblem[];
}

// The rule fields that constrain the provenance signer, and so require provenance.
export const SIGNER_CONSTRAINTS = ['signer', 'sourceRepository', 'builder', 'runnerEnvironment', 'buildTrigger'] as const;

// Checks a rules-format policy beyond its schema; `doc` need not be schema-valid.
export function checkRulesSemantics(doc: DeepPartial<RulesPolicy>): SemanticResult {
  const result: SemanticResult = { problems: [], warnings: [] };
  const names = new Map<string, number>();
  listOf(doc.rules).forEach((rule, i) => {
    if (!isRecord(rule)) return;
    if (typeof rule.name === 'string') {
      const first = names.get(rule.name);
      if (first === undefined) names.set(rule.name, i);
      else result.problems.push({ path: `/rules/${i}/name`, message: `duplicate rule name ${JSON.stringify(rule.name)} (first at /rules/${first}/name)` });
    }
    checkRule(rule, `/rules/${i}`, result);
  });
  if (Array.isArray(doc.rules) && !doc.rules.some(isCatchAll)) {
    result.warnings.push({
      path: '/rules',
      message: 'expected a catch-all rule (match.package "*", no version or registry), got none: a registry package no rule matches fails with NO_MATCHING_RULE',
    });
  }
  listOf(doc.exceptions).forEach((exception, i) => {
    if (!isRecord(exception)) return;
    if (typeof exception.package === 'string') {
      const at = exception.package.lastIndexOf('@');
      if (at <= 0 || semver.validRange(exception.package.slice(at + 1)) === null) {
        result.problems.push({ path: `/exceptions/${i}/package`, message: `expected name@range with a valid semver range, got ${JSON.stringify(exception.package)}` });
      }
    }
    if (typeof exception.expires === 'string' && parseExpiry(exception.expires) === undefined) {
      result.problems.push({ path: `/exceptions/${i}/expires`, message: `not a valid calendar date or date-time: ${JSON.stringify(exception.expires)}` });
    }
    // A stale approval is a finding about package.json's allowScripts, which names a package the
    // lockfile does not hold: there is no package for an exception to match, so none waives it.
    if (Array.isArray(exception.waive) && exception.waive.includes('SCRIPT_APPROVAL_STALE')) {
      result.warnings.push({
        path: `/exceptions/${i}/waive`,
        message: 'SCRIPT_APPROVAL_STALE is not waived by an exception (it is about an allowScripts approval, not a package of the tree): remove the approval (`npm install-scripts prune`) or pin it to the version you reviewed',
      });
    }
  });
  return result;
}

function checkRule(rule: DeepPartial<Rule>, path: string, result: SemanticResult): void {
  const version = isRecord(rule.match) ? rule.match.version : undefined;
  if (typeof version === 'string' && semver.validRange(version) === null) {
    result.problems.push({ path: `${path}/match/version`, message: `not a valid semver range: ${JSON.stringify(version)}` });
  }
  if (typeof rule.sourceRepository === 'string' && rule.sourceRepository !== 'package-json' && normalizeRepositoryUrl(rule.sourceRepository) === null) {
    result.problems.push({ path: `${path}/sourceRepository`, message: `not a repository URL: ${JSON.stringify(rule.sourceRepository)}` });
  }
  const constraint = SIGNER_CONSTRAINTS.find((key) => rule[key] !== undefined);
  if (constraint !== undefined && isRecord(rule.require) && rule.require.provenance === false) {
    result.problems.push({ path: `${path}/require/provenance`, message: `cannot be false: ${constraint} is set, and a pinned identity that may be absent pins nothing` });
  }
  listOf(rule.signer).forEach((identity, j) => {
    const sanRegex = isRecord(identity) ? identity.sanRegex : undefined;
    if (typeof sanRegex !== 'string' || sanRegex === '') return;
    const at = `${path}/signer/${j}/sanRegex`;
    const error = regExpError(sanRegex);
    if (error !== undefined) result.problems.push({ path: at, message: `invalid regular expression: ${error}` });
    else if (!isAnchored(sanRegex)) {
      result.warnings.push({
        path: at,
        message: 'unanchored pattern is substring-matched: https://github.com/org/repo-evil/… would match a pattern written for https://github.com/org/repo/…; write ^…$',
      });
    }
  });
}

// A rule that matches every package: the name glob `*`, whatever the version and registry.
function isCatchAll(rule: unknown): boolean {
  if (!isRecord(rule) || !isRecord(rule.match)) return false;
  const { package: globs, version, registry } = rule.match;
  return version === undefined && registry === undefined && (globs === '*' || (Array.isArray(globs) && globs.includes('*')));
}

// A document as it may be before the schema has passed it: any field absent or of any type.
type DeepPartial<T> = { [K in keyof T]?: unknown };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

// Reading a policy: JSON, then the schema, then the checks a schema cannot make, then
// normalisation. Every problem found is reported at once, in one PolicyError.

import { PolicyError, type PolicyProblem } from './errors.js';
import { normalizeRules, normalizeIdentities } from './normalize.js';
import type { IdentitiesPolicy, VerifyDepsPolicy } from './policy.generated.js';
import { validatePolicySchema } from './schema.js';
import { checkRulesSemantics } from './semantic.js';
import type { NormalizedPolicy } from './types.js';

export interface ParsedPolicy {
  policy: NormalizedPolicy;
  // `file: /json/path: message` lines: accepted, but worth the author's attention.
  warnings: string[];
}

// Parses and validates a policy file's text (either accepted shape) into a NormalizedPolicy.
// Throws PolicyError (POLICY_INVALID, exit 2) listing every problem when it cannot be used.
export function parsePolicy(text: string, file: string): ParsedPolicy {
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw invalid(file, [{ path: '/', message: `not valid JSON: ${describeJsonError(text, error as Error)}` }]);
  }
  const schemaProblems = validatePolicySchema(doc);
  const rulesFormat = typeof doc === 'object' && doc !== null && !Array.isArray(doc) && !isIdentitiesFormat(doc as VerifyDepsPolicy);
  const semantic = rulesFormat ? checkRulesSemantics(doc as object) : { problems: [], warnings: [] };
  // A semantic problem where the schema already found one says the same thing twice.
  const schemaPaths = new Set(schemaProblems.map((p) => p.path));
  const problems = [...schemaProblems, ...semantic.problems.filter((p) => !schemaPaths.has(p.path))];
  if (problems.length > 0) throw invalid(file, problems);
  const policy = doc as VerifyDepsPolicy;
  return {
    policy: isIdentitiesFormat(policy) ? normalizeIdentities(policy) : normalizeRules(policy),
    warnings: semantic.warnings.map((w) => `${file}: ${w.path}: ${w.message}`),
  };
}

// The identities format is told apart by its `policy` key (the schema's own discrimination).
function isIdentitiesFormat(doc: VerifyDepsPolicy): doc is IdentitiesPolicy {
  return 'policy' in doc && !('version' in doc);
}

// V8's message names a character position; people want a line and a column.
function describeJsonError(text: string, error: Error): string {
  const position = /at position (\d+)/.exec(error.message)?.[1];
  if (position === undefined) return error.message;
  const before = text.slice(0, Number(position)).split('\n');
  return `${error.message} (line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1})`;
}

function invalid(file: string, problems: PolicyProblem[]): PolicyError {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  return new PolicyError('POLICY_INVALID', `${file} is not a valid verify-deps policy (${count})`, problems, file);
}

import { EXIT, VerifyDepsError } from '../errors.js';

export type PolicyErrorCode = 'POLICY_INVALID' | 'IDENTITY_LOCK_INVALID' | 'IDENTITY_LOCK_MISSING';

// One problem of a policy (or identity lock) document: where (a JSON pointer, `/` for the whole
// document) and what is wrong there.
export interface PolicyProblem {
  path: string;
  message: string;
}

// What to do about each: the identity lock is not described by the policy schema, and is best
// written again by the command that learns it.
const HINTS: Record<PolicyErrorCode, string> = {
  POLICY_INVALID: 'Fix every problem listed; schema/policy.schema.json describes the format.',
  IDENTITY_LOCK_INVALID: 'Fix every problem listed, or write the lock again with `verify-deps policy learn`.',
  IDENTITY_LOCK_MISSING: 'Run `verify-deps policy learn` to write the identity lock.',
};

// A policy or identity lock that cannot be used. Every problem is listed, so one run shows the
// author everything to fix: `details` holds one `path: message` line per problem.
export class PolicyError extends VerifyDepsError<PolicyErrorCode> {
  readonly problems: readonly PolicyProblem[];
  readonly details: string;

  constructor(code: PolicyErrorCode, message: string, problems: readonly PolicyProblem[], file?: string) {
    super(code, message, EXIT.badInput, {
      ...(file === undefined ? {} : { file }),
      ...(problems[0] === undefined ? {} : { field: problems[0].path }),
      hint: HINTS[code],
    });
    this.problems = problems;
    this.details = problems.map((p) => `${p.path}: ${p.message}`).join('\n');
  }
}

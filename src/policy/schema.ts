// Validation of a policy document against schema/policy.schema.json, the one definition of the
// format, with every problem reported once, at the JSON path where it is.

import type { ErrorObject, ValidateFunction } from 'ajv';
import { validators } from '../schema-validators.js';
import type { PolicyProblem } from './errors.js';

interface Union {
  // JSON pointer of the schema that holds the `oneOf`.
  pointer: string;
  // Which branch the data means (told apart by its keys or type); undefined: none recognisable.
  pick: (data: unknown) => number | undefined;
  // Said when no branch is recognisable.
  expected: string;
}

const isObject = (data: unknown): data is Record<string, unknown> => typeof data === 'object' && data !== null && !Array.isArray(data);
const oneOrMany = (data: unknown): number | undefined => (Array.isArray(data) ? 1 : typeof data === 'string' ? 0 : undefined);

// The schema's unions, by title. Validated against every branch, a `oneOf` reports the errors of
// all of them; the author meant one, so only that branch's errors are reported.
const UNIONS: Record<string, Union> = {
  VerifyDepsPolicy: {
    pointer: '',
    pick: (d) => (isObject(d) ? ('policy' in d && !('version' in d) ? 1 : 0) : undefined),
    expected: 'must be an object: a policy in the rules format ({"version": 1, …}) or the identities format ({"policy": {…}})',
  },
  SignerIdentity: {
    pointer: '/$defs/signerIdentity',
    pick: (d) => (!isObject(d) ? undefined : 'github' in d ? 0 : 'gitlab' in d ? 1 : 'sanRegex' in d ? 3 : 'san' in d ? 2 : undefined),
    expected: 'must be one identity: {"github": …}, {"gitlab": …}, {"oidcIssuer", "san"} or {"oidcIssuer", "sanRegex"}',
  },
  PackageGlobs: { pointer: '/$defs/packageGlobs', pick: oneOrMany, expected: 'must be a package-name glob or a non-empty list of them' },
  RunnerEnvironments: { pointer: '/$defs/rule/properties/runnerEnvironment', pick: oneOrMany, expected: 'must be a runner environment or a non-empty list of them' },
};

// Compiled ahead of time from schema/policy.schema.json (schema/generate-validators.mjs).
const policyValidator = validators.policy;
const branchValidators = validators.policyBranches;

// Validates a parsed policy document; returns every problem (empty: the document is valid).
export function validatePolicySchema(doc: unknown): PolicyProblem[] {
  return policyValidator(doc) ? [] : collect(policyValidator.errors ?? [], doc, '');
}

function validateAt(pointer: string, data: unknown, base: string): PolicyProblem[] {
  const name = branchValidators[pointer];
  const validate = name === undefined ? undefined : (validators[name] as ValidateFunction | undefined);
  if (validate === undefined) throw new Error(`policy schema has no ${pointer}`);
  return validate(data) ? [] : collect(validate.errors ?? [], data, base);
}

function collect(errors: readonly ErrorObject[], data: unknown, base: string): PolicyProblem[] {
  const unions = errors.filter((e) => e.keyword === 'oneOf' && unionOf(e) !== undefined);
  const outermost = unions.filter((u) => !unions.some((o) => o !== u && isUnder(u.instancePath, o.instancePath)));
  const problems: PolicyProblem[] = [];
  for (const error of errors) {
    if (outermost.some((u) => isUnder(error.instancePath, u.instancePath))) continue;
    problems.push(toProblem(error, base));
  }
  for (const error of outermost) {
    const union = unionOf(error) as Union;
    const value = valueAt(data, error.instancePath);
    const branch = union.pick(value);
    const path = base + error.instancePath;
    problems.push(...(branch === undefined ? [{ path: path || '/', message: union.expected }] : validateAt(`${union.pointer}/oneOf/${branch}`, value, path)));
  }
  return dedupe(problems);
}

function unionOf(error: ErrorObject): Union | undefined {
  const title = (error.parentSchema as { title?: unknown } | undefined)?.title;
  return typeof title === 'string' ? UNIONS[title] : undefined;
}

function isUnder(path: string, parent: string): boolean {
  return path === parent || path.startsWith(`${parent}/`);
}

function valueAt(data: unknown, pointer: string): unknown {
  let value = data;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    value = Array.isArray(value) ? value[Number(key)] : isObject(value) ? value[key] : undefined;
  }
  return value;
}

// `required` and `additionalProperties` are said at the property they name.
function toProblem(error: ErrorObject, base: string): PolicyProblem {
  const at = base + error.instancePath;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { path: `${at}/${escapePointer(String(params.missingProperty))}`, message: 'is required' };
    case 'additionalProperties':
      return { path: `${at}/${escapePointer(String(params.additionalProperty))}`, message: 'is not allowed here' };
    case 'enum': {
      const allowed = params.allowedValues as unknown[];
      const got = JSON.stringify(error.data);
      return {
        path: at || '/',
        message: allowed.length > 6 ? `must be one of the ${allowed.length} values the schema lists, got ${got}` : `must be one of: ${allowed.map((v) => JSON.stringify(v)).join(', ')}; got ${got}`,
      };
    }
    case 'const':
      return { path: at || '/', message: `must be ${JSON.stringify(params.allowedValue)}` };
    default:
      return { path: at || '/', message: error.message ?? `fails ${error.keyword}` };
  }
}

function escapePointer(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}

function dedupe(problems: PolicyProblem[]): PolicyProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}\0${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// Typed errors with stable codes. A package that fails verification is a Finding (data); these
// errors are for runs that cannot go on: bad input, bad configuration, an unreachable source.

// Exit codes of the CLI contract.
export const EXIT = {
  pass: 0,
  policyFailure: 1,
  badInput: 2,
  incomplete: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export interface ErrorDetails {
  // The file the problem is in, when there is one.
  file?: string;
  // The field (JSON path) the problem is in, when there is one.
  field?: string;
  // What the user can do about it, in one sentence.
  hint?: string;
}

// The one base class: a stable code, an exit code and what the user needs to fix it.
export class VerifyDepsError<Code extends string = string> extends Error {
  readonly code: Code;
  readonly exitCode: ExitCode;
  readonly file: string | undefined;
  readonly field: string | undefined;
  readonly hint: string | undefined;

  constructor(code: Code, message: string, exitCode: ExitCode, details: ErrorDetails = {}, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = exitCode;
    this.file = details.file;
    this.field = details.field;
    this.hint = details.hint;
  }
}

export type UsageErrorCode = 'USAGE' | 'UNKNOWN_OPTION' | 'INVALID_OPTION';

// The command line itself is wrong.
export class UsageError extends VerifyDepsError<UsageErrorCode> {
  constructor(code: UsageErrorCode, message: string, details: ErrorDetails = {}) {
    super(code, message, EXIT.badInput, { hint: 'Run `verify-deps --help` for usage.', ...details });
  }
}

export type InputErrorCode =
  | 'PROJECT_DIR_MISSING'
  | 'NO_LOCKFILE'
  // Only another package manager's lockfile (yarn.lock, pnpm-lock.yaml, bun.lock, bun.lockb).
  | 'LOCKFILE_UNSUPPORTED'
  | 'LOCKFILE_UNREADABLE'
  | 'LOCKFILE_UNPARSEABLE'
  | 'LOCKFILE_INVALID'
  // A lockfile larger than the gate reads (src/walk/lockfile.ts MAX_LOCKFILE_ENTRIES).
  | 'INPUT_TOO_LARGE'
  | 'LOCKFILE_OUTSIDE_PROJECT'
  | 'PACKAGE_JSON_UNPARSEABLE'
  // init --postinstall in a folder without package.json.
  | 'PACKAGE_JSON_MISSING'
  | 'POLICY_UNREADABLE'
  | 'POLICY_EXISTS'
  // init --github would overwrite the workflow.
  | 'WORKFLOW_EXISTS';

// A file the user gave us (directly or by location) cannot be used.
export class InputError extends VerifyDepsError<InputErrorCode> {
  constructor(code: InputErrorCode, message: string, details: ErrorDetails = {}, cause?: unknown) {
    super(code, message, EXIT.badInput, details, cause);
  }
}

export type ConfigErrorCode = 'NPM_CONFIG_INVALID' | 'REGISTRY_URL_INVALID' | 'REGISTRY_KEYS_INVALID' | 'TRUSTED_ROOT_INVALID';

// --require-fresh-trust, and Sigstore's TUF repository gave no trust material this run or from a
// still-valid verified cache: the run stops before verifying anything (exit 3, as a run that
// could not complete; a rerun once the repository answers may pass).
export class TrustNotFreshError extends VerifyDepsError<'TRUST_NOT_FRESH'> {
  constructor(message: string, details: ErrorDetails = {}) {
    super('TRUST_NOT_FRESH', message, EXIT.incomplete, details);
  }
}

// The configuration (npm's, or a trust file we were pointed at) cannot be used.
export class ConfigError extends VerifyDepsError<ConfigErrorCode> {
  constructor(code: ConfigErrorCode, message: string, details: ErrorDetails = {}, cause?: unknown) {
    super(code, message, EXIT.badInput, details, cause);
  }
}

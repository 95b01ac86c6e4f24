// verify-deps as a library: run the gate (verifyDeps), read and apply a policy (loadPolicy,
// parsePolicy, evaluatePolicy), verify one Sigstore bundle (verifyBundle), the report's types and
// the typed errors. Nothing here prints or sets an exit code; the CLI does that.

export { verifyDeps, type VerifyDepsOptions, type VerifyDepsResult } from './api/verify-deps.js';
export { verifyBundle, type BundleSigner, type VerifyBundleOptions } from './api/verify-bundle.js';
export type { ArtifactBundleResult, ArtifactInput } from './verify/artifact/index.js';

// The policy: loadPolicy finds and reads the project's (or the default) policy and its identity
// lock; parsePolicy validates a policy's text; evaluatePolicy judges facts, pure.
export { loadPolicy, PROJECT_POLICY_FILE, type LoadedPolicy, type PolicySource } from './gate/index.js';
export { evaluatePolicy, parsePolicy, type ParsedPolicy } from './policy/index.js';
export type { NormalizedPolicy, PolicyDecision, PolicyFinding, PolicyInput, PolicySubject, PackageDecision } from './policy/index.js';

// The compliance report, generated from schema/report.schema.json.
export type * from './report/report.generated.js';

// Every error a run can throw carries a stable `code` and the CLI's `exitCode`.
export { VerifyDepsError, UsageError, InputError, ConfigError, TrustNotFreshError, EXIT, type ExitCode, type ErrorDetails, type UsageErrorCode, type InputErrorCode, type ConfigErrorCode } from './errors.js';
export { PolicyError, type PolicyErrorCode } from './policy/index.js';
export { TrustMaterialError, type TrustErrorCode } from './verify/index.js';
export { OutputError, type OutputErrorCode } from './report/atomic-write.js';
export { ReportError } from './report/outputs.js';
export { SriError, type SriErrorCode } from './sri/errors.js';

// The policy stage: read a policy (parsePolicy), judge the evidence by it (evaluatePolicy),
// learn an identity lock (learnIdentityLock) and read or write its file.

export { parsePolicy, type ParsedPolicy } from './load.js';
export { evaluatePolicy, isIncompleteCode } from './evaluate.js';
export { getVerification, isPassedUnverified } from './verification.js';
export { unsignedOptIn } from './check-evidence.js';
export { mayNeedHistory, needsHistory } from './check-downgrade.js';
export { getHistoryNeed } from './history-need.js';
export { mayNeedReleaseTime, needsReleaseTime } from './check-release-age.js';
export { getPublishingEvidence, type PublishingEvidence } from './publishing.js';
export { learnIdentityLock } from './identity-lock.js';
export { parseIdentityLock, serializeIdentityLock } from './identity-lock-file.js';
export { normalizeRepositoryUrl } from './repository-url.js';
export { hostOfUrl } from './host.js';
export { PolicyError, type PolicyErrorCode, type PolicyProblem } from './errors.js';
export type * from './types.js';
// The policy file's own types, generated from schema/policy.schema.json.
export type * as PolicyDocument from './policy.generated.js';

import type { CheckResult } from '../check/index.js';
import { hostOfUrl, type PolicyInput, type PolicySubject } from '../policy/index.js';
import type { PackageRef } from '../types.js';

// Turns the gathered facts into what the policy judges: every package of the tree, registry or
// not (the policy has rules for other sources too). Pure.
export function toPolicyInput(check: CheckResult, identityLock: PolicyInput['identityLock']): PolicyInput {
  const keysByRegistry = new Map(check.registries.map((r) => [r.registry, r.publishesKeys]));
  const fetched: PolicySubject[] = check.packages.map((outcome) => ({
    ref: outcome.ref,
    registryHost: outcome.registry === null ? null : (hostOfUrl(outcome.registry) ?? new URL(outcome.registry).host),
    registryPublishesKeys: (outcome.registry === null ? undefined : keysByRegistry.get(outcome.registry)) ?? true,
    ...(outcome.facts === undefined ? {} : { facts: outcome.facts }),
    verificationFindings: outcome.findings,
    ...(outcome.declaredRepository === undefined ? {} : { declaredRepository: outcome.declaredRepository }),
    ...(outcome.history === undefined ? {} : { history: outcome.history }),
  }));
  const unfetched: PolicySubject[] = unfetchedRefs(check).map((ref) => ({
    ref,
    registryHost: null,
    registryPublishesKeys: false,
    verificationFindings: [],
  }));
  return {
    subjects: [...fetched, ...unfetched],
    trustedLogs: check.trustedLogs,
    ...(identityLock === undefined ? {} : { identityLock }),
    ...(check.npmReleaseAge === undefined ? {} : { npmReleaseAge: check.npmReleaseAge }),
    ...(check.strayInstalled === undefined ? {} : { strayInstalled: check.strayInstalled }),
  };
}

// The packages the policy judges, in the order toPolicyInput lists them (and the decision follows).
export function subjectRefs(check: CheckResult): PackageRef[] {
  return [...check.packages.map((outcome) => outcome.ref), ...unfetchedRefs(check)];
}

function unfetchedRefs(check: CheckResult): PackageRef[] {
  return [...check.coveredByBundle, ...check.nonRegistry];
}

import type { Finding as VerifyFinding, PackageFacts } from '../verify/types.js';
import type { PackageRef } from '../types.js';
import type { WalkResult } from '../walk/index.js';
import type { TrustOrigin } from '../registry/trust-source.js';

// Codes the check stage adds to the verify stage's: evidence that could not be had at all.
export type CheckFindingCode = VerifyFinding['code'] | 'FETCH_FAILED' | 'OFFLINE_CACHE_MISS';

export interface CheckFinding {
  code: CheckFindingCode;
  message: string;
  details?: Record<string, unknown>;
}

// One registry package of the tree and what became of it.
export interface PackageOutcome {
  ref: PackageRef;
  // The registry it was fetched from (scoped registries honoured).
  registry: string;
  // Absent when the evidence could not be fetched.
  facts?: PackageFacts;
  fromCache: boolean;
  // The verify stage's findings plus the check stage's; empty means the package passed.
  findings: CheckFinding[];
}

export interface RegistryTrust {
  registry: string;
  keysOrigin: TrustOrigin | 'registry' | 'none';
  // False when the registry publishes no signing keys: then a missing signature is expected.
  publishesKeys: boolean;
}

export type Verdict = 'pass' | 'fail' | 'incomplete';

export interface CheckResult {
  inventory: WalkResult;
  now: string;
  trust: { trustedRootOrigin: TrustOrigin; trustedRootSha256?: string; refreshError?: string };
  registries: RegistryTrust[];
  packages: PackageOutcome[];
  // Registry packages that were not checked on their own, and why (bundled inside a dependency).
  coveredByBundle: PackageRef[];
  // Packages from git, file, link, workspace, directory or remote-tarball sources.
  nonRegistry: PackageRef[];
  // Registries that publish keys yet served no signature for any package: a mirror or proxy that
  // strips them, most likely. Said once, instead of once per package.
  signatureStrippingRegistries: string[];
  verdict: Verdict;
  // Things the user should know that are not findings (an unwritable cache, say).
  warnings: string[];
  // HTTP requests made (retries excluded).
  requests: number;
}

import type { Finding as VerifyFinding, PackageFacts } from '../verify/types.js';
import type { NpmReleaseAge, PackageRef } from '../types.js';
import type { WalkResult } from '../walk/index.js';
import type { VersionHistory } from '../registry/history.js';
import type { NpmKeysOrigin, TrustOrigin } from '../registry/trust-source.js';

// Codes the check stage adds to the verify stage's: evidence that could not be had at all. The
// check stage also reports the verify stage's INPUT_TOO_LARGE, for a registry response past its
// size limit (src/registry/http.ts). PACKAGE_NAME_INVALID: a name npm cannot parse, never fetched.
// INTEGRITY_WEAK_PIN: the lockfile pins sha1 only; verified through the downloaded tarball.
// INSTALLED_TREE_MODIFIED, INSTALLED_PACKAGE_MISSING (--installed): node_modules does not hold
// exactly the verified tarball's files at a location of the package.
export type CheckFindingCode =
  | VerifyFinding['code']
  | 'FETCH_FAILED'
  | 'OFFLINE_CACHE_MISS'
  | 'TARBALL_DIGEST_MISMATCH'
  | 'PACKAGE_NAME_INVALID'
  | 'INTEGRITY_WEAK_PIN'
  | 'INSTALLED_TREE_MODIFIED'
  | 'INSTALLED_PACKAGE_MISSING';

export interface CheckFinding {
  code: CheckFindingCode;
  message: string;
  details?: Record<string, unknown>;
}

// One registry package of the tree and what became of it.
export interface PackageOutcome {
  ref: PackageRef;
  // The registry it was fetched from (scoped registries honoured); null when its name is not one
  // npm accepts (PACKAGE_NAME_INVALID), so no registry was asked.
  registry: string | null;
  // Absent when the evidence could not be fetched.
  facts?: PackageFacts;
  fromCache: boolean;
  // Everything verification found, and why evidence could not be had; unjudged (the policy
  // decides which matter).
  findings: CheckFinding[];
  // The version manifest's `repository` (package.json), for the policy's source-repository rule.
  declaredRepository?: string;
  // Other versions per registry metadata, fetched only when the policy needs them.
  history?: VersionHistory;
  // With --rehash, or for a sha1-only pin bound through its download this run: the sha512
  // integrity computed from the tarball's bytes.
  rehashed?: string;
}

export interface RegistryTrust {
  registry: string;
  keysOrigin: TrustOrigin | 'registry' | 'none';
  // False when the registry publishes no signing keys: then a missing signature is expected.
  publishesKeys: boolean;
  // Set when npm's keys are accepted beside the registry's own (none, or its /-/npm/v1/keys):
  // where npm's keys came from. A proxy of registry.npmjs.org passes npm's signatures through.
  npmKeysOrigin?: NpmKeysOrigin;
}

export interface CheckResult {
  inventory: WalkResult;
  now: string;
  trust: { trustedRootOrigin: TrustOrigin; trustedRootSha256: string; refreshError?: string };
  // The transparency logs of the trusted root (for pinning a log by its URL).
  trustedLogs: Array<{ logId: string; baseUrl: string }>;
  // sha256 of the lockfile's bytes; null when the tree was read from node_modules.
  lockfileSha256: string | null;
  registries: RegistryTrust[];
  packages: PackageOutcome[];
  // Registry packages that were not checked on their own, and why (bundled inside a dependency).
  coveredByBundle: PackageRef[];
  // Packages from git, file, link, workspace, directory or remote-tarball sources.
  nonRegistry: PackageRef[];
  // Registries that publish keys yet served no signature for any package: a mirror or proxy that
  // strips them, most likely. Said once, instead of once per package.
  signatureStrippingRegistries: string[];
  // Things the user should know that are not findings (an unwritable cache, say).
  warnings: string[];
  // HTTP requests made (retries excluded).
  requests: number;
  // npm's release cooldown from its configuration, for the policy to apply when it sets none.
  npmReleaseAge?: NpmReleaseAge;
  // --installed: what sits in the project's node_modules folders that no lockfile entry installs
  // (INSTALLED_TREE_MODIFIED, no package's: the policy judges them under its own enforcement).
  strayInstalled?: CheckFinding[];
}

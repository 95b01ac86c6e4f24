// The data of the policy stage: the normalised policy (plain data, serialisable into a report),
// what evaluation takes in and what it gives back.

import type { CheckFinding, CheckFindingCode } from '../check/types.js';
import type { NpmReleaseAge, PackageRef, PackageSource } from '../types.js';
import type { PackageFacts } from '../verify/types.js';
import type { WaivableCode } from './policy.generated.js';

export type { WaivableCode } from './policy.generated.js';

export type Enforcement = 'strict' | 'audit';
export type DowngradeAction = 'fail' | 'warn' | 'off';
// What the findings about install scripts stand under (the policy's `installScripts`).
export type InstallScriptsAction = 'fail' | 'warn' | 'off';
// What INTEGRITY_WEAK_PIN (a sha1-only lockfile pin, verified through the tarball) stands under.
export type WeakIntegrityAction = 'warn' | 'deny';
export type SourceAction = 'allow' | 'warn' | 'deny';
export type NonRegistrySource = Exclude<PackageSource, 'registry'>;

// Codes the policy stage adds to verification's, as the schema lists them (waivable codes that
// are not verification's), plus EXCEPTION_EXPIRED, which no exception can waive. A contract with
// the report: add, never rename.
export type PolicyOnlyCode = Exclude<WaivableCode, CheckFindingCode> | 'EXCEPTION_EXPIRED';

export type PolicyFindingCode = CheckFindingCode | PolicyOnlyCode;

// A package-name glob and the anchored regular expression it compiles to.
export interface NameMatcher {
  glob: string;
  pattern: string;
}

// One accepted keyless signer. `sanPattern` is a regular expression source tested against the
// certificate's SAN (anchored for every form but `sanRegex`); null accepts any SAN of the issuer.
export interface SignerMatcher {
  form: 'github' | 'gitlab' | 'san' | 'sanRegex' | 'issuer';
  issuer: string;
  sanPattern: string | null;
  // The identity as a person reads it, for messages.
  expected: string;
  // The github form's numeric repository and owner ids, when the policy pins them.
  repositoryId?: string;
  ownerId?: string;
}

export interface NormalizedRule {
  name: string;
  match: { packages: NameMatcher[]; version: string | null; registry: string | null };
  // provenance is true whenever the rule constrains the signer (see the schema).
  require: { registrySignature: boolean; provenance: boolean; publishAttestation: boolean };
  signers: SignerMatcher[] | null;
  // uri: normalised (https://host/path, no .git).
  sourceRepository: { kind: 'package-json' } | { kind: 'uri'; uri: string } | null;
  builder: { uri: string; pattern: string } | null;
  runnerEnvironments: string[] | null;
  buildTriggers: string[] | null;
  // The release cooldown in days for the packages it matches; null: the policy's.
  minReleaseAgeDays: number | null;
  // Who must have signed the provenance of this rule's packages with install scripts; null: anyone.
  installScriptSigners: SignerMatcher[] | null;
  // The rule's effective enforcement (a policy-wide audit wins).
  enforcement: Enforcement;
}

export interface NormalizedException {
  // As written: `name@range`.
  package: string;
  name: string;
  range: string;
  waive: WaivableCode[];
  reason: string;
  approvedBy: string;
  // As written, and as an ISO instant (a date means 00:00 UTC that day).
  expires: string;
  expiresAt: string;
}

export interface NormalizedPolicy {
  // The shape the file was written in.
  format: 'rules' | 'identities';
  enforcement: Enforcement;
  downgrade: DowngradeAction;
  // A version published longer ago than this is not judged for a downgrade; null: every version.
  downgradeIgnoreAfterMinutes: number | null;
  weakIntegrity: WeakIntegrityAction;
  installScripts: InstallScriptsAction;
  // Pinned log base URLs (no trailing slash); null: any log of the trusted root.
  transparencyLogs: string[] | null;
  // Normalised hosts (host.ts); null: any registry.
  registriesAllowed: string[] | null;
  // Lower-cased hosts of keyless registries whose packages are accepted with no verified evidence.
  registriesUnsigned: string[];
  sources: Record<NonRegistrySource, SourceAction>;
  // As written: relative to the policy file.
  identityLock: string | null;
  // The release cooldown in days; null: npm's `min-release-age`, if set.
  minReleaseAgeDays: number | null;
  // Package-name globs exempt from the cooldown.
  minReleaseAgeExclude: NameMatcher[];
  rules: NormalizedRule[];
  exceptions: NormalizedException[];
}

// What `verify-deps policy learn` records per package: the Fulcio identity of its verified
// provenance. IDENTITY_CHANGED compares sourceRepositoryURI, repositoryId, ownerId, buildConfigURI
// (without its `@ref`, which changes with every tagged release) and issuer; the rest is recorded
// for people.
export interface IdentityLockEntry {
  sourceRepositoryURI?: string;
  // The forge's numeric ids of the repository and its owner (Fulcio extensions 1.3.6.1.4.1.57264.1.15
  // and .17): a repository deleted and recreated under the same name gets new ones.
  repositoryId?: string;
  ownerId?: string;
  buildConfigURI?: string;
  buildSignerURI?: string;
  issuer?: string;
  san?: string;
}

// Every identity a package was seen signed by when the lock was learned; one must match. The file
// writes a single identity as an object and several as a list.
export interface IdentityLock {
  version: 1;
  packages: Record<string, IdentityLockEntry[]>;
}

// What the registry's metadata (unsigned) says about another version of a package.
export interface VersionHistoryEntry {
  version: string;
  // The packument's `time[version]`; absent when the registry lists none.
  publishedAt?: string;
  provenance: boolean;
  publishAttestation: boolean;
  // The packument's `_npmUser.trustedPublisher` and `_npmUser.approver` (unsigned).
  trustedPublisher?: { id: string; oidcConfigId?: string };
  approver?: string;
}

// How the packument's `_npmUser` says a version was published (unsigned registry metadata): by a
// trusted publisher (OIDC from CI), staged and approved by a person, or neither (a token).
export interface PublishingClaim {
  trustedPublisher?: { id: string; oidcConfigId?: string };
  approver?: string;
}

// The other versions of a package that claim trust evidence, and the registry's (unsigned)
// publish time and publishing claim of the version being judged.
export interface VersionHistory {
  publishedAt?: string;
  // Absent: not known (judged as published with a token).
  publishing?: PublishingClaim;
  versions: VersionHistoryEntry[];
}

export interface PolicySubject {
  ref: PackageRef;
  // Host of the registry the package was fetched from, normalised (host.ts); null for
  // non-registry sources.
  registryHost: string | null;
  registryPublishesKeys: boolean;
  // Absent when evidence could not be fetched or the source is not a registry.
  facts?: PackageFacts;
  // Everything verification found (FETCH_FAILED and OFFLINE_CACHE_MISS included).
  verificationFindings: CheckFinding[];
  // The version manifest's `repository` URL, for `sourceRepository: "package-json"`.
  declaredRepository?: string;
  // The package's other versions per registry metadata; undefined: not fetched.
  history?: VersionHistory;
}

export interface TrustedLog {
  // base64, as TLogFacts.logId.
  logId: string;
  baseUrl: string;
}

export interface PolicyInput {
  subjects: PolicySubject[];
  trustedLogs: TrustedLog[];
  identityLock?: IdentityLock;
  // npm's configured release cooldown, applied when the policy sets none.
  npmReleaseAge?: NpmReleaseAge;
  // The project's package.json `allowScripts` (boolean entries only); absent: it declares none.
  allowScripts?: Readonly<Record<string, boolean>>;
  // False when --omit or --workspace left packages out: an approval of one of those is not stale.
  treeComplete?: boolean;
  // --installed: what sits in node_modules that no lockfile entry installs.
  strayInstalled?: CheckFinding[];
}

export interface PolicyFinding {
  code: PolicyFindingCode;
  // One line: `name@version rejected: CODE — expected …, got …` (`flagged` under audit).
  message: string;
  // name@version
  package: string;
  rule: string | null;
  enforcement: Enforcement;
  details?: Record<string, unknown>;
}

// A finding an in-date exception waived, and which one (its `package`, as written).
export interface WaivedFinding extends PolicyFinding {
  exception: string;
}

// Evidence that verified over the lockfile's digest: a registry signature over
// `name@version:integrity`, or an attestation whose subject is the lockfile's sha512.
export type VerifiedBy = 'registry-signature' | 'attestation';

// Why a package is not verified. A contract with the report and the SRI manifest: add, never rename.
export type NotVerifiedReason =
  | { kind: 'not-from-a-registry'; source: NonRegistrySource }
  | { kind: 'bundled' }
  | { kind: 'evidence-not-fetched' }
  | { kind: 'registry-publishes-no-keys' }
  | { kind: 'no-verified-evidence' }
  | { kind: 'findings-waived'; waived: Array<{ code: PolicyFindingCode; exception: string }> }
  | { kind: 'findings-standing'; codes: PolicyFindingCode[] };

export type NotVerifiedKind = NotVerifiedReason['kind'];

// Whether a package verified (getVerification): verified exactly when `reasons` is empty.
export interface PackageVerification {
  verified: boolean;
  // What verified over the lockfile's digest, even when a finding keeps the package unverified.
  verifiedBy: VerifiedBy[];
  reasons: NotVerifiedReason[];
}

export interface PackageDecision {
  name: string;
  version: string;
  rule: string | null;
  findings: PolicyFinding[];
  waived: WaivedFinding[];
  verification: PackageVerification;
}

export interface ExceptionUse {
  package: string;
  waive: WaivableCode[];
  reason: string;
  approvedBy: string;
  expires: string;
  // How many findings it waived in this run (0: it matched packages but waived nothing).
  waived: number;
}

export type PolicyVerdict = 'pass' | 'fail' | 'incomplete';

// A package whose install scripts npm may run, and whether it has the evidence scripts need.
export interface ScriptRun {
  name: string;
  version: string;
  // The allowScripts keys that approve it; empty: not reviewed (npm 11 runs it with a warning,
  // npm 12 skips it).
  approvedBy: string[];
  // It has what the policy requires of a package with install scripts.
  verified: boolean;
}

// What the policy found of install scripts and the project's allowScripts.
export interface InstallScriptsDecision {
  // package.json declares allowScripts.
  allowScripts: boolean;
  // Every package whose install scripts npm may run, in the order of the packages.
  mayRun: ScriptRun[];
  // Findings about allowScripts itself (SCRIPT_APPROVAL_STALE): `package` is the key as written.
  findings: PolicyFinding[];
}

export interface PolicyDecision {
  verdict: PolicyVerdict;
  enforcement: Enforcement;
  packages: PackageDecision[];
  exceptionsUsed: ExceptionUse[];
  installScripts: InstallScriptsDecision;
  // --installed: the findings about node_modules itself (folders and files no lockfile entry
  // installs), under the policy's enforcement: `package` is the path. Absent without --installed.
  strayInstalled?: PolicyFinding[];
}

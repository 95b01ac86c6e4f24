// GENERATED from schema/policy.schema.json by `node schema/generate-types.mjs` (npm run generate).
// Do not edit: change the schema and regenerate; the tests fail when this file is stale.
/* eslint-disable */

/**
 * A verify-deps policy: what the evidence of each package must show for the gate to pass. Two formats are accepted and told apart by their top-level key: the rules format (`version`, with `rules`) and the compact identities format (`policy`, with an `identities` list), which is turned into rules.
 */
export type VerifyDepsPolicy = RulesPolicy | IdentitiesPolicy;
/**
 * An https URL.
 */
export type HttpsUrl = string;
/**
 * A host name, optionally with a port.
 */
export type Host = string;
/**
 * Hosts (`host` or `host:port`, compared case-insensitively, as in `registries.allowed`) of registries that publish no signing keys and whose packages are accepted with no verified evidence: the registry a package is fetched from is compared. Without this, a package from a registry that publishes no keys and that has neither a verified registry signature nor a verified attestation fails (NO_EVIDENCE). Accepted packages pass unverified: NO_EVIDENCE is reported under audit enforcement. A registry that publishes keys is not affected (a missing signature stays SIGNATURE_MISSING), nor is any rule's `require`.
 *
 * @minItems 1
 */
export type UnsignedRegistries = [Host, ...Host[]];
/**
 * The package's name must match one of these globs: its real name or, for an npm: alias, the name it is installed as (each is judged).
 */
export type PackageGlobs = PackageGlob | PackageGlobList;
/**
 * A package name; `*` matches any run of characters except `/`, and `*` alone matches every package, scoped or not (`@scope/*`, `lodash.*`).
 */
export type PackageGlob = string;
/**
 * Any of these globs.
 *
 * @minItems 1
 */
export type PackageGlobList = [PackageGlob, ...PackageGlob[]];
/**
 * One accepted keyless signer, in one of four forms told apart by their keys.
 */
export type SignerIdentity = GithubIdentity | GitlabIdentity | SanIdentity | SanRegexIdentity;
/**
 * Accepted runner environments of the provenance certificate (RUNNER_ENVIRONMENT_MISMATCH).
 */
export type RunnerEnvironments = RunnerEnvironment | RunnerEnvironmentList;
/**
 * Fulcio's Runner Environment extension (OID 1.3.6.1.4.1.57264.1.11): platform-hosted or self-hosted runner.
 */
export type RunnerEnvironment = 'github-hosted' | 'gitlab-hosted' | 'buildkite-hosted' | 'self-hosted';
/**
 * Any of these.
 *
 * @minItems 1
 */
export type RunnerEnvironmentList = [RunnerEnvironment, ...RunnerEnvironment[]];
/**
 * A finding code an exception may waive (every code but EXCEPTION_EXPIRED).
 */
export type WaivableCode =
  | 'INTEGRITY_MISSING'
  | 'INTEGRITY_MISMATCH'
  | 'SIGNATURE_MISSING'
  | 'SIGNATURE_INVALID'
  | 'UNKNOWN_KEY'
  | 'KEY_EXPIRED'
  | 'PUBLISH_TIME_UNKNOWN'
  | 'ATTESTATIONS_MISSING'
  | 'ATTESTATIONS_MALFORMED'
  | 'BUNDLE_MALFORMED'
  | 'DUPLICATE_PREDICATE_TYPE'
  | 'UNEXPECTED_SIGNER'
  | 'CERT_CHAIN_INVALID'
  | 'TLOG_INVALID'
  | 'TIMESTAMP_INVALID'
  | 'TIMESTAMP_MISSING'
  | 'VERIFICATION_ERROR'
  | 'STATEMENT_MALFORMED'
  | 'PREDICATE_TYPE_MISMATCH'
  | 'SUBJECT_NAME_MISMATCH'
  | 'SUBJECT_DIGEST_MISMATCH'
  | 'CERT_WINDOW'
  | 'FUTURE_TIMESTAMP'
  | 'MISSING_INCLUSION_PROOF'
  | 'PROVENANCE_AFTER_PUBLISH'
  | 'INPUT_TOO_LARGE'
  | 'FETCH_FAILED'
  | 'OFFLINE_CACHE_MISS'
  | 'TARBALL_DIGEST_MISMATCH'
  | 'PACKAGE_NAME_INVALID'
  | 'INTEGRITY_WEAK_PIN'
  | 'INSTALLED_TREE_MODIFIED'
  | 'INSTALLED_PACKAGE_MISSING'
  | 'PROVENANCE_MISSING'
  | 'PUBLISH_ATTESTATION_MISSING'
  | 'NO_EVIDENCE'
  | 'UNTRUSTED_SIGNER'
  | 'SOURCE_REPOSITORY_MISMATCH'
  | 'BUILDER_MISMATCH'
  | 'RUNNER_ENVIRONMENT_MISMATCH'
  | 'BUILD_TRIGGER_MISMATCH'
  | 'REGISTRY_NOT_ALLOWED'
  | 'SOURCE_DENIED'
  | 'SOURCE_UNVERIFIABLE'
  | 'TLOG_NOT_PINNED'
  | 'TRUST_DOWNGRADE'
  | 'IDENTITY_CHANGED'
  | 'RELEASE_TOO_NEW'
  | 'RELEASE_AGE_UNKNOWN'
  | 'NO_MATCHING_RULE'
  | 'INSTALL_SCRIPT_UNVERIFIED'
  | 'SCRIPT_APPROVAL_UNVERIFIED'
  | 'SCRIPT_APPROVAL_STALE'
  | 'SCRIPT_NOT_APPROVED';

/**
 * The rules format: ordered rules that match packages, with exceptions, sources and registries.
 */
export interface RulesPolicy {
  /**
   * The schema this file is written against (for editors); not read by verify-deps.
   */
  $schema?: string;
  /**
   * A note for the people who maintain the policy; not read by verify-deps.
   */
  $comment?: string;
  /**
   * What this policy is for, in prose; not read by verify-deps.
   */
  description?: string;
  /**
   * The policy format version.
   */
  version: 1;
  /**
   * Policy-wide enforcement: `strict` fails the gate on findings, `audit` only reports them (and wins over every rule).
   */
  enforcement: 'strict' | 'audit';
  /**
   * What to do when a version of a package has no verified provenance (or publish attestation) though a version published before it had one, or was published with weaker evidence than an earlier version by pnpm's ranking (a staged publish approved by a person, above trusted publishing, above provenance, above none; staged and trusted publishing per the packument's `_npmUser`, unsigned registry metadata), whatever their version numbers: publish order per the registry's packument `time` (unsigned registry metadata; the judged version's signed publish-attestation log time when it has one), version order where the times do not tell; a release is not judged by prereleases. `fail` (a finding under the rule's enforcement), `warn` (a finding under audit enforcement) or `off`. Default `fail`.
   */
  downgrade?: 'fail' | 'warn' | 'off';
  /**
   * The release cooldown: a registry package version published less than this many days before the run's clock (`--now`) fails (RELEASE_TOO_NEW under the rule's enforcement), as npm's `min-release-age` and pnpm's `minimumReleaseAge` keep such versions from being installed; a malicious release is usually caught and unpublished within days. The publish time is the publish attestation's signed transparency-log time where one verified, else the registry packument's `time` (unsigned registry metadata, named so in the finding). A version whose publish time cannot be had fails (RELEASE_AGE_UNKNOWN). `0` turns the check off. Absent: npm's `min-release-age` (.npmrc, `npm_config_min_release_age`) with its `min-release-age-exclude` list applies; with neither, no cooldown. A rule's own `minReleaseAgeDays` overrides this one.
   */
  minReleaseAgeDays?: number;
  /**
   * Package-name globs (`*` within one name segment, as in rules) exempt from the release cooldown, whoever sets it; matched against the real package name, never an npm: alias name. npm's `min-release-age-exclude` applies besides these only when the cooldown comes from npm's `min-release-age`.
   */
  minReleaseAgeExclude?: string[];
  /**
   * Versions published longer ago than this many minutes are not judged for a trust downgrade (pnpm's `trustPolicyIgnoreAfter`): a release that has been installable for weeks without incident need not block the gate. The publish time is the judged version's signed publish-attestation log time when it has one, else the registry's packument `time` (unsigned registry metadata); a version without a known time is judged. Absent: every version is judged.
   */
  downgradeIgnoreAfterMinutes?: number;
  /**
   * What to do with a registry package the lockfile pins with sha1 only (as npm 6 and earlier wrote for old packages, and later npm keeps): its tarball is downloaded, must match the sha1 pin, and its sha512 computed from the same bytes is what the registry signature and provenance are verified against; npm itself checks only the sha1 when it installs. `warn` (INTEGRITY_WEAK_PIN under audit enforcement) or `deny` (INTEGRITY_WEAK_PIN under the rule's enforcement). Default `warn`.
   */
  weakIntegrity?: 'warn' | 'deny';
  /**
   * What to do with a package whose install scripts npm may run (the lockfile's `hasInstallScript`, not denied by package.json `allowScripts`, not bundled, not the project's own directory, link or workspace) and that lacks the evidence scripts need: a verified provenance, signed by one of its rule's `installScripts.signer` when the rule sets one. `fail` (INSTALL_SCRIPT_UNVERIFIED, or SCRIPT_APPROVAL_UNVERIFIED when `allowScripts` approves it, under the rule's enforcement; SCRIPT_APPROVAL_STALE under the policy's), `warn` (the same findings under audit enforcement) or `off` (no finding about install scripts, SCRIPT_NOT_APPROVED included). Default `warn`.
   */
  installScripts?: 'fail' | 'warn' | 'off';
  /**
   * Pinned transparency logs, by base URL (as the trusted root's `tlogs[].baseUrl`). When set, every transparency-log entry of a verified attestation must come from one of them. Absent: any log of the trusted root.
   *
   * @minItems 1
   */
  transparencyLogs?: [HttpsUrl, ...HttpsUrl[]];
  /**
   * Which registries packages may come from, and which are accepted without signatures.
   */
  registries?: {
    /**
     * Registry hosts (`host` or `host:port`) a registry package's lockfile `resolved` URL (or, when it records none, the registry it is fetched from) may name (REGISTRY_NOT_ALLOWED). Hosts compare normalised: lower-cased, a trailing dot dropped, the scheme's default port dropped (443 for a host written here).
     *
     * @minItems 1
     */
    allowed?: [Host, ...Host[]];
    unsigned?: UnsignedRegistries;
  };
  /**
   * What to do with packages that do not come from a registry: no registry signature or provenance can exist for them. Defaults: git, file and remote `warn`; directory, link and workspace (the project's own code) `allow`.
   */
  sources?: {
    /**
     * Packages installed from a git repository.
     */
    git?: 'allow' | 'warn' | 'deny';
    /**
     * Packages installed from a tarball on disk.
     */
    file?: 'allow' | 'warn' | 'deny';
    /**
     * Packages installed from a directory on disk.
     */
    directory?: 'allow' | 'warn' | 'deny';
    /**
     * Packages symlinked from elsewhere on disk.
     */
    link?: 'allow' | 'warn' | 'deny';
    /**
     * The project's own workspaces.
     */
    workspace?: 'allow' | 'warn' | 'deny';
    /**
     * Packages installed from a tarball URL that is not a registry.
     */
    remote?: 'allow' | 'warn' | 'deny';
  };
  /**
   * Path of the identity lock (`verify-deps policy learn` writes it), relative to this policy file. When set, a locked package whose verified provenance names another source repository, build configuration or issuer, or whose certificate carries another repository or owner id than the lock records (a repository recreated under the same name), fails with IDENTITY_CHANGED.
   */
  identityLock?: string;
  /**
   * Rules, in order: the first whose `match` matches a package applies to it, under each name the package is installed as (its real name and any npm: alias name) and each host it comes from (the lockfile's `resolved` host and the registry it is fetched from); the package must satisfy every rule that applies. A registry package that no rule matches under one of its names or hosts fails (NO_MATCHING_RULE): end the rules with a catch-all (`match.package` `*`, no version or registry).
   */
  rules: Rule[];
  /**
   * Time-limited waivers of named finding codes for named packages.
   */
  exceptions?: PolicyException[];
}
/**
 * What the evidence of the packages it matches must show. Setting `signer`, `sourceRepository`, `builder`, `runnerEnvironment` or `buildTrigger` requires verified provenance (a pinned identity that may simply be absent pins nothing).
 */
export interface Rule {
  /**
   * Names the rule in findings and reports; unique within the policy.
   */
  name: string;
  /**
   * Why the rule exists, in prose; not read by verify-deps.
   */
  description?: string;
  /**
   * A note for the people who maintain the policy; not read by verify-deps.
   */
  $comment?: string;
  /**
   * Which packages the rule applies to; every given field must match.
   */
  match: {
    package: PackageGlobs;
    /**
     * A semver range the version must satisfy (prereleases included).
     */
    version?: string;
    /**
     * A host name, optionally with a port.
     */
    registry?: string;
  };
  /**
   * Evidence that must be present and verified. Evidence that is not required is still verified when present.
   */
  require?: {
    /**
     * A verified registry signature, even from a registry that publishes no keys (SIGNATURE_MISSING).
     */
    registrySignature?: boolean;
    /**
     * A verified SLSA provenance attestation (PROVENANCE_MISSING).
     */
    provenance?: boolean;
    /**
     * A verified npm publish attestation (PUBLISH_ATTESTATION_MISSING).
     */
    publishAttestation?: boolean;
  };
  /**
   * Accepted signers of the provenance; any listed identity may match (UNTRUSTED_SIGNER otherwise).
   *
   * @minItems 1
   */
  signer?: [SignerIdentity, ...SignerIdentity[]];
  /**
   * The provenance certificate's Source Repository URI must be this https URL, or with `package-json` the `repository` the version's package.json declares (SOURCE_REPOSITORY_MISMATCH). Compared after normalisation (`git+`, `.git`, ssh forms, `github:` shorthand, host case).
   */
  sourceRepository?: string;
  /**
   * The provenance certificate's Build Signer URI (the workflow that signed). Literal up to its last `@`; after it (the ref) `*` matches any characters but `@`. Without `@`, any ref of that workflow (BUILDER_MISMATCH).
   */
  builder?: string;
  runnerEnvironment?: RunnerEnvironments;
  /**
   * Accepted Build Trigger values of the provenance certificate (`push`, `release`, `workflow_dispatch`…) (BUILD_TRIGGER_MISMATCH).
   *
   * @minItems 1
   */
  buildTrigger?: [string, ...string[]];
  /**
   * The release cooldown, in days, for the packages this rule matches (RELEASE_TOO_NEW); overrides the policy's `minReleaseAgeDays` and npm's `min-release-age`; `0` turns it off for them. Where several rules apply to a package (alias names, hosts), the longest cooldown stands.
   */
  minReleaseAgeDays?: number;
  /**
   * More of this rule's packages that have install scripts: their verified provenance must be signed by one of these identities (the forms of `signer`), else INSTALL_SCRIPT_UNVERIFIED (or SCRIPT_APPROVAL_UNVERIFIED), as the policy's `installScripts` says.
   */
  installScripts?: {
    /**
     * Accepted signers of the provenance of this rule's packages with install scripts; any listed identity may match.
     *
     * @minItems 1
     */
    signer: [SignerIdentity, ...SignerIdentity[]];
  };
  /**
   * This rule's enforcement; default the policy's. `audit` here reports this rule's findings without failing; under a policy-wide `audit` it has no effect.
   */
  enforcement?: 'strict' | 'audit';
}
/**
 * A GitHub Actions workflow: issuer https://token.actions.githubusercontent.com and the SAN https://github.com/{repo}/{workflow}@{ref}, matched whole.
 */
export interface GithubIdentity {
  /**
   * A note; not read by verify-deps.
   */
  $comment?: string;
  /**
   * The workflow.
   */
  github: {
    /**
     * owner/repository.
     */
    repo: string;
    /**
     * The workflow file's path in the repository.
     */
    workflow: string;
    /**
     * The ref the workflow ran for (`refs/heads/main`, `refs/tags/v*`).
     */
    ref: string;
    /**
     * GitHub's numeric id of the repository (Fulcio certificate extension 1.3.6.1.4.1.57264.1.15). When set, the certificate must carry this id: a repository deleted and recreated under the same name gets another one.
     */
    repositoryId?: string;
    /**
     * GitHub's numeric id of the repository's owner (Fulcio certificate extension 1.3.6.1.4.1.57264.1.17). When set, the certificate must carry this id: an account name given up and registered again by someone else gets another one.
     */
    ownerId?: string;
  };
}
/**
 * A GitLab.com CI pipeline: issuer https://gitlab.com and the SAN https://gitlab.com/{project}//{configPath}@{ref} (Fulcio's `https://{ci_config_ref_uri}`), matched whole.
 */
export interface GitlabIdentity {
  /**
   * A note; not read by verify-deps.
   */
  $comment?: string;
  /**
   * The pipeline.
   */
  gitlab: {
    /**
     * group[/subgroup…]/project.
     */
    project: string;
    /**
     * The ref the pipeline ran for (`refs/heads/main`, `refs/tags/v*`).
     */
    ref: string;
    /**
     * The pipeline definition's path in the project. Default `.gitlab-ci.yml`.
     */
    configPath?: string;
  };
}
/**
 * Any OIDC issuer and a literal subject alternative name, matched whole (escaped and anchored for you).
 */
export interface SanIdentity {
  /**
   * A note; not read by verify-deps.
   */
  $comment?: string;
  /**
   * An https URL.
   */
  oidcIssuer: string;
  /**
   * The subject alternative name (a URI or an email), exactly.
   */
  san: string;
}
/**
 * Any OIDC issuer and a JavaScript regular expression for the subject alternative name. Raw: you own anchoring; an unanchored pattern is substring-matched (a warning says so).
 */
export interface SanRegexIdentity {
  /**
   * A note; not read by verify-deps.
   */
  $comment?: string;
  /**
   * An https URL.
   */
  oidcIssuer: string;
  /**
   * The regular expression (no flags).
   */
  sanRegex: string;
}
/**
 * Waives exactly the listed finding codes for the matching packages until `expires`. An expired exception waives nothing and is itself a failure (EXCEPTION_EXPIRED).
 */
export interface PolicyException {
  /**
   * A note; not read by verify-deps.
   */
  $comment?: string;
  /**
   * `name@range`: an exact package name and a semver range (prereleases only when the range names them; `name@*` for every version).
   */
  package: string;
  /**
   * The finding codes waived.
   *
   * @minItems 1
   */
  waive: [WaivableCode, ...WaivableCode[]];
  /**
   * Why the finding is accepted.
   */
  reason: string;
  /**
   * Who accepted it.
   */
  approvedBy: string;
  /**
   * When the exception stops applying: a date (00:00 UTC that day) or a date-time with a zone (`Z` or `±hh:mm`).
   */
  expires: string;
}
/**
 * The compact identities format (the shape of the published Sigstore-provenance guide), accepted as written and normalised: each identity becomes a rule requiring provenance signed under its issuer (any subject alternative name) for the packages its subject matches.
 */
export interface IdentitiesPolicy {
  /**
   * The schema this file is written against (for editors); not read by verify-deps.
   */
  $schema?: string;
  /**
   * A note for the people who maintain the policy; not read by verify-deps.
   */
  $comment?: string;
  /**
   * The policy.
   */
  policy: {
    /**
     * Accepted signers, by the packages they may sign.
     *
     * @minItems 1
     */
    identities: [PolicyIdentity, ...PolicyIdentity[]];
    /**
     * The transparency log.
     */
    transparency?: {
      /**
       * An https URL.
       */
      log: string;
    };
    /**
     * `strict` fails the gate on findings, `audit` only reports them.
     */
    enforcement: 'strict' | 'audit';
    /**
     * Registries accepted without signatures (an addition to the guide's shape, as in the rules format).
     */
    registries?: {
      unsigned: UnsignedRegistries;
    };
  };
}
/**
 * Packages matching `subject` must carry verified provenance signed under `issuer`.
 */
export interface PolicyIdentity {
  /**
   * `npm:HOST/GLOB`: packages whose lockfile `resolved` host or fetched-from registry is HOST and whose real name or installed (npm: alias) name matches GLOB (`*` alone matches every name). Hosts compare normalised (lower-cased, a trailing dot and the default port dropped). A registry package whose lockfile `resolved` host (or, when it records none, the registry it is fetched from) no subject names fails (REGISTRY_NOT_ALLOWED).
   */
  subject: string;
  /**
   * An https URL.
   */
  issuer: string;
}

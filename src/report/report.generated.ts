// GENERATED from schema/report.schema.json by `node schema/generate-types.mjs` (npm run generate).
// Do not edit: change the schema and regenerate; the tests fail when this file is stale.
/* eslint-disable */

/**
 * A sha256 digest, lower-case hex.
 */
export type Sha256 = string;
/**
 * One reason a package is not verified. not-from-a-registry: git, file, directory, link, workspace or remote (no registry signature or provenance exists for it). bundled: inside another package's tarball (that tarball's digest is what verified). evidence-not-fetched: its evidence could not be had. registry-publishes-no-keys: no verified attestation, from a registry that publishes no signing keys (so it cannot sign). no-verified-evidence: neither a registry signature nor an attestation verified, from a registry that publishes keys. findings-waived: an exception waived these findings. findings-standing: these findings stand (reported under audit, or failing).
 */
export type NotVerifiedReason =
  | {
      /**
       * bundled, evidence-not-fetched, registry-publishes-no-keys or no-verified-evidence: the reason says it all.
       */
      kind: 'bundled' | 'evidence-not-fetched' | 'registry-publishes-no-keys' | 'no-verified-evidence';
    }
  | {
      /**
       * The package is not from a registry.
       */
      kind: 'not-from-a-registry';
      /**
       * Where its bytes come from.
       */
      source: 'git' | 'file' | 'directory' | 'link' | 'workspace' | 'remote';
    }
  | {
      /**
       * An exception waived findings of the package.
       */
      kind: 'findings-waived';
      /**
       * Each waived finding's code and the exception that waived it.
       */
      waived: {
        /**
         * The waived finding's code.
         */
        code: string;
        /**
         * The exception's package (name@range), as written in the policy and in exceptionsUsed.
         */
        exception: string;
      }[];
    }
  | {
      /**
       * Findings of the package stand.
       */
      kind: 'findings-standing';
      /**
       * The codes of its standing findings.
       */
      codes: string[];
    };

/**
 * The compliance report verify-deps writes on every `check`, whatever the verdict, and prints with --json. Deterministic: the same inputs and --now give byte-identical reports (durations and cache statistics are not recorded).
 */
export interface ComplianceReport {
  /**
   * The version of this format.
   */
  schemaVersion: 1;
  /**
   * The program that wrote the report.
   */
  tool: {
    /**
     * Always verify-deps.
     */
    name: 'verify-deps';
    /**
     * verify-deps's version.
     */
    version: string;
  };
  /**
   * The run's clock: --now when given, else the time the run started (ISO 8601, UTC). Every time comparison of the run used it.
   */
  evaluatedAt: string;
  /**
   * pass: nothing strict failed. fail: a strict finding stands (exit 1). incomplete: evidence could not be had for a package, or its verification could not run (VERIFICATION_ERROR), under strict enforcement, so the gate failed closed (exit 3); or the run stopped on an error (see error), whatever the enforcement.
   */
  verdict: 'pass' | 'fail' | 'incomplete';
  /**
   * The policy's enforcement after --mode: strict (findings fail) or audit (findings are reported, nothing fails).
   */
  enforcement: 'strict' | 'audit';
  /**
   * The policy the packages were judged by.
   */
  policy: {
    /**
     * file: --policy. project: verify-deps.policy.json in the project. builtin: the shipped policies/default.json.
     */
    origin: 'file' | 'project' | 'builtin';
    /**
     * The policy file, relative to the project directory (builtin: policies/default.json of verify-deps).
     */
    path: string;
    /**
     * sha256 (hex) of the policy document's canonical JSON (RFC 8785), so the same policy has the same digest however it is formatted.
     */
    sha256: string;
    /**
     * rules: the rules format (`version`, `rules`); identities: the compact identities format (`policy.identities`), turned into rules before use.
     */
    format: 'rules' | 'identities';
  };
  /**
   * The file the tree was read from.
   */
  lockfile: {
    /**
     * Relative to the project directory (a workspace's folder reads the workspace root's lockfile, e.g. ../../package-lock.json).
     */
    path: string;
    /**
     * 1, 2 or 3 (null is not written: a tree read from node_modules alone is refused with NO_LOCKFILE).
     */
    lockfileVersion: number | null;
    workspaces?: WorkspaceSelection;
    /**
     * sha256 (hex) of the file's bytes: package-lock.json, npm-shrinkwrap.json, or npm's own record of the installed tree (node_modules/.package-lock.json) when the project has no lockfile. null is not written: a tree read from node_modules alone is refused with NO_LOCKFILE.
     */
    sha256: null | Sha256;
  };
  /**
   * The Sigstore trusted root bundles were verified against; null when the run stopped on an error (see error).
   */
  trustedRoot: {
    /**
     * file: --trusted-root. tuf-refreshed: fetched through Sigstore's TUF repository. tuf-cached: the repository did not answer; the last copy a refresh verified, its cached TUF metadata verified again and unexpired. tuf-embedded: the copy embedded in @sigstore/tuf.
     */
    origin: 'file' | 'tuf-refreshed' | 'tuf-cached' | 'tuf-embedded';
    /**
     * A sha256 digest, lower-case hex.
     */
    sha256: string;
  } | null;
  /**
   * The registries evidence was fetched from.
   */
  registries: {
    /**
     * The registry URL (no credentials).
     */
    url: string;
    /**
     * Where its signing keys came from: file (--registry-keys), tuf-refreshed, tuf-cached or tuf-embedded (npm's keys from Sigstore's TUF repository), registry (its /-/npm/v1/keys), none.
     */
    keysOrigin: 'file' | 'tuf-refreshed' | 'tuf-cached' | 'tuf-embedded' | 'registry' | 'none';
    /**
     * False when the registry publishes no signing keys: then it cannot sign, and a missing signature is not a finding; a package with no verified attestation either fails (NO_EVIDENCE) unless the policy accepts the registry unsigned (registries.unsigned).
     */
    publishesKeys: boolean;
    /**
     * Present when npm's keys (registry.npmjs.org's, from Sigstore's TUF repository: tuf-refreshed, tuf-cached or tuf-embedded) are accepted beside the registry's own, for the signatures it passes through that carry npm's key ids: a proxy or mirror of registry.npmjs.org. Absent for registry.npmjs.org itself (its keys are npm's) and with --registry-keys.
     */
    npmKeysOrigin?: 'tuf-refreshed' | 'tuf-cached' | 'tuf-embedded';
  }[];
  /**
   * The CI run, from GitHub Actions' or GitLab CI's standard environment variables; absent outside CI.
   */
  ci?: {
    /**
     * github-actions or gitlab-ci.
     */
    provider: 'github-actions' | 'gitlab-ci';
    /**
     * The run's URL.
     */
    runUrl?: string;
    /**
     * The commit the run built.
     */
    commit?: string;
    /**
     * The git ref the run built.
     */
    ref?: string;
    /**
     * The workflow (GitHub: GITHUB_WORKFLOW_REF) or CI config path (GitLab).
     */
    workflow?: string;
    /**
     * owner/name (GitHub) or the project path (GitLab).
     */
    repository?: string;
  };
  /**
   * The options of the run that change what was checked.
   */
  options?: {
    /**
     * --rehash: every registry tarball was downloaded and hashed against the lockfile's integrity.
     */
    rehash: boolean;
    /**
     * --installed: every file installed in node_modules for a registry package was compared with its verified tarball (INSTALLED_TREE_MODIFIED, INSTALLED_PACKAGE_MISSING). Absent when not asked for.
     */
    installed?: true;
    /**
     * --omit: the dependency types left out of the tree (counts.omitted says how many packages).
     */
    omit: ('dev' | 'optional' | 'peer')[];
  };
  /**
   * Totals over the packages below.
   */
  counts: {
    /**
     * Distinct packages of the tree.
     */
    packages: number;
    /**
     * Registry packages whose evidence was fetched and verified (or whose fetch failed).
     */
    checked: number;
    /**
     * Packages verified (see a package's verification): the ones the SRI manifest lists with their digest.
     */
    verified: number;
    /**
     * Packages the policy let through that are not verified: the entries of notVerified.
     */
    passedWithoutVerifiedEvidence: number;
    /**
     * Packages whose registry signature verified.
     */
    verifiedSignatures: number;
    /**
     * Packages with a verified provenance attestation.
     */
    verifiedProvenance: number;
    /**
     * Packages with a verified publish attestation.
     */
    verifiedPublishAttestations: number;
    /**
     * Checked packages with neither a registry signature nor an attestation.
     */
    noEvidence: number;
    /**
     * Packages inside a dependency's tarball, covered by it.
     */
    coveredByBundle: number;
    /**
     * Packages from git, file, directory, link, workspace or remote-tarball sources.
     */
    nonRegistry: number;
    /**
     * Packages with a strict finding.
     */
    failed: number;
    /**
     * Findings standing (strict and audit).
     */
    findings: number;
    /**
     * Findings waived by an exception.
     */
    waived: number;
    /**
     * Exceptions that matched a package.
     */
    exceptionsUsed: number;
    /**
     * Present when --omit was given: the distinct packages it left out (neither listed nor checked).
     */
    omitted?: number;
  };
  /**
   * Every package of the tree, sorted by name, then version, then first location.
   */
  packages: Package[];
  /**
   * The packages the policy let through (verdict pass or flagged) that are not verified, each with why: listed apart, so that nothing passes as verified by silence. Never in the SRI manifest's digests nor among the verification summary's verified dependencies.
   */
  notVerified: {
    /**
     * The real package name.
     */
    name: string;
    /**
     * As the lockfile records it.
     */
    version: string;
    /**
     * Why it is not verified (never empty), as in its package's verification.
     */
    reasons: NotVerifiedReason[];
  }[];
  /**
   * Every exception of the policy that matched a package in this run.
   */
  exceptionsUsed: {
    /**
     * name@range, as written in the policy.
     */
    package: string;
    /**
     * The finding codes it waives.
     */
    waive: string[];
    /**
     * Why, as written.
     */
    reason: string;
    /**
     * Who approved it, as written.
     */
    approvedBy: string;
    /**
     * When it expires, as written.
     */
    expires: string;
    /**
     * How many findings it waived in this run.
     */
    waived: number;
  }[];
  /**
   * Install scripts: every package whose scripts npm may run (it has some per the lockfile, is not bundled, not the project's own directory, link or workspace, and package.json allowScripts does not deny it), with its evidence, and the findings about allowScripts itself. Absent from the report of a run that stopped.
   */
  installScripts?: {
    /**
     * The package.json beside the lockfile declares allowScripts.
     */
    allowScripts: boolean;
    /**
     * The packages whose install scripts npm may run, in the order of `packages`.
     */
    mayRun: {
      name: string;
      version: string;
      /**
       * The allowScripts keys that approve its scripts; empty: not reviewed (npm 11 runs them with a warning, npm 12 skips them).
       */
      approvedBy: string[];
      /**
       * It has the evidence the policy requires of a package with install scripts: a verified provenance, signed by its rule's installScripts.signer when the rule pins some.
       */
      verified: boolean;
    }[];
    /**
     * Findings about allowScripts itself (SCRIPT_APPROVAL_STALE; details.approval is the key as written).
     */
    findings: Finding[];
  };
  /**
   * --installed only: the findings about the project's node_modules folders themselves: a package folder or file that no lockfile entry installs there (INSTALLED_TREE_MODIFIED, kind added; details.location is the node_modules folder, details.path the entry in it), judged under the policy's enforcement. npm's own .bin and .package-lock.json are not reported.
   */
  installedTree?: {
    findings: Finding[];
  };
  /**
   * Present when the run stopped on an error after the lockfile was read: the verdict is incomplete, no package was judged (each is incomplete, without findings), and no SRI manifest is written. Exit 2 for a configuration error, else 3.
   */
  error?: {
    /**
     * The error's stable code (docs/errors.md), or INTERNAL_ERROR for a bug of verify-deps.
     */
    code: string;
    /**
     * One line: what was expected and what was found (URLs without credentials).
     */
    message: string;
  };
  /**
   * What the run noticed that is not a finding of one package.
   */
  observations: {
    /**
     * Registries that publish keys yet served no package with a signature: most likely a mirror or proxy that strips them.
     */
    signatureStrippingRegistries: string[];
    /**
     * Warnings about the inputs (no lockfile, an unanchored sanRegex…).
     */
    warnings: string[];
  };
}
/**
 * Present when only some workspaces' dependencies were gated: --workspace, or a run in a workspace's folder.
 */
export interface WorkspaceSelection {
  /**
   * The workspace root whose lockfile was read, relative to the project directory (. when it is the project directory).
   */
  root: string;
  /**
   * The selected workspaces, sorted.
   */
  names: string[];
  /**
   * Whether the root's own dependencies were gated too (--include-workspace-root).
   */
  includeRoot: boolean;
}
export interface Package {
  /**
   * The real package name (aliases resolved).
   */
  name: string;
  /**
   * As the lockfile records it (empty for some git and link entries).
   */
  version: string;
  /**
   * The lockfile's resolved URL or path, or null.
   */
  resolved: string | null;
  /**
   * The lockfile's pinned integrity, or null.
   */
  integrity: string | null;
  /**
   * registry, git, file, directory, link, workspace or remote.
   */
  source: 'registry' | 'git' | 'file' | 'directory' | 'link' | 'workspace' | 'remote';
  /**
   * Inside a dependency's tarball: covered by it, not fetched on its own.
   */
  bundled: boolean;
  /**
   * Every place in the tree it is installed.
   */
  locations: string[];
  /**
   * The registry its evidence was fetched from; null when none was fetched.
   */
  registry: string | null;
  /**
   * The name of the policy rule that matched it (under its real name and lockfile host first), or null. Another rule that applies to it only under the name it is installed as (an npm: alias) names itself in its findings' `details.rule`.
   */
  rule: string | null;
  /**
   * pass, fail (a strict finding), incomplete (its evidence could not be had, its verification could not run, or the run stopped before judging it), or flagged (audit findings only).
   */
  verdict: 'pass' | 'fail' | 'incomplete' | 'flagged';
  /**
   * Findings standing.
   */
  findings: Finding[];
  /**
   * Findings an exception waived.
   */
  waived: Finding[];
  verification: Verification;
  /**
   * What was verified, or null when no evidence was fetched (non-registry, bundled, or the fetch failed).
   */
  evidence: null | Evidence;
  publishing?: Publishing;
}
/**
 * One finding: a stable code and one line saying what was expected and what was found.
 */
export interface Finding {
  /**
   * A stable finding code (docs/finding-codes.md).
   */
  code: string;
  /**
   * `name@version rejected: CODE — expected …, got …` (flagged under audit).
   */
  message: string;
  /**
   * strict findings fail the gate; audit findings are reported only.
   */
  enforcement: 'strict' | 'audit';
  /**
   * The finding's data (expected and actual values, the URL that failed…), by code.
   */
  details?: {};
}
/**
 * Whether the package is verified: a registry signature over the lockfile's integrity, or an attestation whose subject is the lockfile's sha512, verified, and no finding of the package was waived or stands. For a lockfile pin of sha1 only, the digest is the sha512 of the downloaded bytes that matched the pin (evidence.boundIntegrity), and the INTEGRITY_WEAK_PIN warning alone does not make the package unverified. Only verified packages are listed with their digest in the SRI manifest and as the verification summary's verified dependencies.
 */
export interface Verification {
  /**
   * True exactly when reasons is empty.
   */
  verified: boolean;
  /**
   * The evidence that verified over the lockfile's digest: registry-signature, attestation. Not empty for a package that is not verified when a finding was waived or stands beside it.
   */
  verifiedBy: ('registry-signature' | 'attestation')[];
  /**
   * Why it is not verified; empty when it is.
   */
  reasons: NotVerifiedReason[];
}
export interface Evidence {
  /**
   * Present when the lockfile pins sha1 only (INTEGRITY_WEAK_PIN): `download`, the tarball was downloaded (or read from npm's cache), its bytes matched the sha1 pin, and the registry signature and attestations were verified against boundIntegrity, the sha512 of those same bytes.
   */
  boundThrough?: 'download';
  /**
   * Present when the tarball was downloaded (or read from npm's cache) and hashed (--rehash, or a sha1-only pin): the SRI digest of its bytes.
   */
  rehashed?: string;
  /**
   * With boundThrough: the sha512 SRI digest computed from the tarball bytes that matched the lockfile's sha1 pin; the digest the evidence was verified against, and the one the SRI manifest lists.
   */
  boundIntegrity?: string;
  /**
   * The registry signature over name@version:integrity.
   */
  registrySignature: {
    /**
     * verified, failed or missing.
     */
    status: 'verified' | 'failed' | 'missing';
    /**
     * The key it was made with.
     */
    keyid?: string;
  };
  /**
   * When the version was published: signed when taken from the publish attestation's transparency-log time, else the packument's unsigned claim.
   */
  publishTime?: {
    /**
     * ISO 8601.
     */
    value: string;
    /**
     * True when taken from a verified publish attestation's transparency-log time.
     */
    signed: boolean;
    /**
     * publish-attestation or packument.
     */
    source: 'publish-attestation' | 'packument';
  };
  /**
   * Each attestation served for the version.
   */
  attestations: Attestation[];
}
export interface Attestation {
  /**
   * The signed statement's predicate type (the document's label when the bundle did not verify).
   */
  predicateType: string;
  /**
   * verified or failed.
   */
  status: 'verified' | 'failed';
  /**
   * A sha256 digest, lower-case hex.
   */
  bundleSha256?: string;
  /**
   * Who signed it: a keyless (Fulcio certificate) identity, or a registry key.
   */
  signer?: {
    /**
     * The OIDC issuer of the certificate.
     */
    issuer?: string;
    /**
     * The certificate's subject alternative name (the workflow identity).
     */
    san?: string;
    /**
     * The registry key, for key-signed attestations.
     */
    keyid?: string;
  };
  /**
   * Fulcio source repository URI.
   */
  sourceRepository?: string;
  /**
   * Fulcio source repository digest (the commit).
   */
  sourceCommit?: string;
  /**
   * Fulcio source repository ref.
   */
  sourceRef?: string;
  /**
   * Fulcio build signer URI (the workflow that built it).
   */
  builder?: string;
  /**
   * Fulcio runner environment (github-hosted, self-hosted…).
   */
  runnerEnvironment?: string;
  /**
   * Fulcio build trigger (push, release…).
   */
  buildTrigger?: string;
  /**
   * Its transparency-log entries.
   */
  tlog: {
    /**
     * The log's key id (base64).
     */
    logId: string;
    /**
     * The entry's index in the log.
     */
    logIndex: string;
    /**
     * When the log integrated the entry (ISO 8601).
     */
    integratedTime?: string;
  }[];
}
/**
 * How the version was published, present when the trust-downgrade rule read the package's packument: its provenance as this run verified it, and whether the registry says a trusted publisher or a person approving a staged publish published it (the packument's `_npmUser`, unsigned registry metadata), else a token.
 */
export interface Publishing {
  /**
   * The trust-downgrade rule's level (pnpm's ranking, strongest first): staged-publish, trusted-publisher (counted only with verified provenance), provenance (verified), none.
   */
  level: 'staged-publish' | 'trusted-publisher' | 'provenance' | 'none';
  /**
   * verified: provenance verified by this run; none: no provenance verified.
   */
  provenance: 'verified' | 'none';
  /**
   * Per the packument's `_npmUser` (unsigned): staged-publish (`approver` set), trusted-publisher (`trustedPublisher` set), or token (neither).
   */
  publishedBy: 'staged-publish' | 'trusted-publisher' | 'token';
  /**
   * The packument's `_npmUser.trustedPublisher` (unsigned): the CI provider and npm's id of the trusted-publisher configuration.
   */
  trustedPublisher?: {
    /**
     * The provider, as npm names it (github, gitlab).
     */
    id: string;
    /**
     * npm's id of the trusted-publisher configuration.
     */
    oidcConfigId?: string;
  };
  /**
   * The packument's `_npmUser.approver` (unsigned): who approved the staged publish.
   */
  approver?: string;
  /**
   * Where publishedBy, trustedPublisher and approver come from: the registry's packument.
   */
  source: 'packument';
  /**
   * false: publishedBy, trustedPublisher and approver are unsigned registry metadata (only provenance is verified).
   */
  signed: false;
}

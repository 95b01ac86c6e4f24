// The --help text: the commands, their options, and the exit codes.
export const HELP_TEXT = `verify-deps: a pre-build dependency verification gate for npm projects

Usage:
  verify-deps [check] [dir] [options]      the gate: verify every registry package of the lockfile
  verify-deps inventory [dir] [options]    list what the lockfile installs (no network)
  verify-deps policy validate <file>       check a policy file; every problem with its JSON path
  verify-deps policy learn [dir]           pin today's verified signer of every package
                                           (writes verify-deps.identities.json)
  verify-deps ledger verify <dir>          check a report ledger's hash chain
  verify-deps verify-bundle --bundle <file> <signer> [--trusted-root <file>] <file|sha256:hex>
                                           verify one Sigstore bundle over one artifact (no network)
  verify-deps init [dir]                   write verify-deps.policy.json (the default policy)
      --postinstall                        and add "postinstall": "verify-deps" to package.json, with
                                           verify-deps as a devDependency (a convenience: CI is the gate)
      --github                             and write .github/workflows/verify-deps.yml
      --force                              replace an existing policy and workflow

  verify-deps help                         print this help

  dir defaults to the current directory; a path to its package-lock.json or npm-shrinkwrap.json
  names it too. The tree is read from npm-shrinkwrap.json or
  package-lock.json; node_modules is read only when the project has no lockfile. In a workspace's
  folder, the workspace root's lockfile is read and only that workspace's dependencies are
  gated, as npm does. inventory and policy learn also take --omit, -w, --include-workspace-root
  and --max-entries.

Options of check:
  --policy <file>              the policy (default: verify-deps.policy.json, in a workspace's folder
                               else the workspace root's, else the default policy)
  --mode <strict|audit>        override the policy's enforcement (audit: report, never block)
  --report <file>              the compliance report, written on every run (default: verify-deps-report.json);
                               every output's folder is created, and checked writable before any request
  --sri <file>                 the SRI manifest, written only when the gate passes (default: sri-manifest.json)
  --sri-files <glob>           also hash these files of each verified installed package (repeatable)
  --rehash                     hash every tarball and compare it with the lockfile's integrity
                               (recorded in the report: options.rehash, each package's evidence.rehashed)
  --installed                  after npm ci --ignore-scripts: compare every file in node_modules
                               of each registry package with its verified tarball
  --vsa <file>                 also write a SLSA verification summary attestation (unsigned)
  --ledger <dir>               append the report to a hash-chained, append-only ledger
  --omit <dev|optional|peer>   leave out these dependency types, as npm does (repeatable)
  -w, --workspace <name|dir>   only this workspace's dependencies, dev ones included (repeatable;
                               a name, the workspace's folder, or a folder of workspaces)
  --include-workspace-root     with --workspace, the workspace root's own dependencies too
  --max-entries <n>            the most lockfile entries read, a bound against a hostile lockfile
                               (default 100000; a lockfileVersion 1 at most 20000)
  --json                       print the report on stdout (human output stays on stderr)
  -q, --quiet                  print only the diagnosis, the failures by code and the verdict
  --gitlab-report <file>       also write GitLab's code-quality report of the findings
  --sarif <file>               also write a SARIF 2.1.0 log of the findings (GitHub code scanning)
  --registry <url>             fetch evidence from this registry (default: npm's configuration)
  --attestations-registry <url>
                               fetch attestations here when a package's registry (a proxy) does not
                               serve them (default: verify-deps-attestations:registry in .npmrc)
  --registry-keys <file>       registry keys (npm's /-/npm/v1/keys or the TUF keys.json shape)
  --trusted-root <file>        Sigstore trusted_root.json (default: the public-good root)
  --tuf-mirror <url>           Sigstore TUF repository to refresh trust from (default: Sigstore's)
  --require-fresh-trust        stop (TRUST_NOT_FRESH, exit 3) unless Sigstore's trust root and npm's
                               keys come from a TUF refresh, its verified cache or --trusted-root
  --cache <dir>                evidence cache (default: <npm cache>/_verify-deps)
  --offline                    use only the cache; anything missing fails closed (exit 3)
  --concurrency <n>            requests in flight at once (default 32)
  --fetch-timeout <ms>         timeout of one request, body included (default 30000)
  --retries <n>                retries on 408/429/5xx and network errors (default 3)
  --timeout <seconds>          deadline of the whole run: what is not fetched and verified by then fails closed
  --now <iso-time>             the run's clock, for reproducible runs (default: now)

Options of verify-bundle (the sigstore-conformance client protocol; exactly one signer):
  --bundle <file>                           the Sigstore bundle (.sigstore.json)
  --certificate-identity <san>              the certificate's SAN, exactly (escaped and anchored)
  --certificate-identity-regexp <re>        a regular expression for the SAN (anchor it: ^...$)
  --certificate-oidc-issuer <url>           the OIDC issuer, exactly (with either of the two above)
  --github-repo <owner/repo> --github-workflow <path> --github-ref <ref>
                                            a GitHub Actions workflow (issuer and SAN for you)
  --key <file>                              a PEM public key that signed the bundle
  --trusted-root <file>                     Sigstore trusted_root.json (default: the public-good
                                            root embedded in @sigstore/tuf)
  --json                                    print {verified, code?, message?, signer?} on stdout
  The artifact is a file, or sha256:<64 hex> when no file of that name exists.
  Exit 0 verified, 1 not verified, 2 bad input; one line on stderr says why.

Everywhere:
  --debug                      print stack traces with errors
  -h, --help                   print this help
  -v, --version                print the version

Environment:
  VERIFY_DEPS_STATE_DIR        where the key that vouches for cached verification results is kept
                               (default: $XDG_STATE_HOME/verify-deps, else ~/.local/state/verify-deps);
                               never inside the cache: results it does not vouch for are verified again

Exit codes:
  0  pass
  1  policy failures (ledger verify: a broken chain)
  2  usage, configuration or input error (the message names the file and what was expected)
  3  verification could not complete (fail closed)
`;

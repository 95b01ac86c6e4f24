// The --help text: the commands, their options, and the exit codes.
export const HELP_TEXT = `verify-deps: a pre-build dependency verification gate for npm projects

Usage:
  verify-deps [check] [dir] [options]      the gate: verify every registry package of the lockfile
  verify-deps inventory [dir] [options]    list what the lockfile installs (no network)
  verify-deps policy validate <file>       check a policy file; every problem with its JSON path
  verify-deps policy learn [dir]           pin today's verified signer of every package
                                           (writes verify-deps.identities.json)
  verify-deps ledger verify <dir>          check a report ledger's hash chain

  dir defaults to the current directory. The tree is read from npm-shrinkwrap.json or
  package-lock.json; node_modules is read only when the project has no lockfile.

Options of check:
  --policy <file>              the policy (default: verify-deps.policy.json, else the default policy)
  --mode <strict|audit>        override the policy's enforcement (audit: report, never block)
  --report <file>              the compliance report, written on every run (default: verify-deps-report.json)
  --sri <file>                 the SRI manifest, written only when the gate passes (default: sri-manifest.json)
  --sri-files <glob>           also hash these files of each verified installed package (repeatable)
  --rehash                     hash every tarball and compare it with the lockfile's integrity
  --vsa <file>                 also write a SLSA verification summary attestation (unsigned)
  --ledger <dir>               append the report to a hash-chained, append-only ledger
  --omit <dev|optional|peer>   leave out these dependency types, as npm does (repeatable)
  --json                       print the report on stdout (human output stays on stderr)
  --registry <url>             fetch evidence from this registry (default: npm's configuration)
  --registry-keys <file>       registry keys (npm's /-/npm/v1/keys or the TUF keys.json shape)
  --trusted-root <file>        Sigstore trusted_root.json (default: the public-good root)
  --tuf-mirror <url>           Sigstore TUF repository to refresh trust from (default: Sigstore's)
  --cache <dir>                evidence cache (default: <npm cache>/_verify-deps)
  --offline                    use only the cache; anything missing fails closed (exit 3)
  --concurrency <n>            requests in flight at once (default 32)
  --fetch-timeout <ms>         timeout of one request, body included (default 30000)
  --retries <n>                retries on 408/429/5xx and network errors (default 3)
  --now <iso-time>             the run's clock, for reproducible runs (default: now)

Everywhere:
  --debug                      print stack traces with errors
  -h, --help                   print this help
  -v, --version                print the version

Exit codes:
  0  pass
  1  policy failures (ledger verify: a broken chain)
  2  usage, configuration or input error (the message names the file and what was expected)
  3  verification could not complete (fail closed)
`;

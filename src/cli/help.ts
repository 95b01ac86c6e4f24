// The --help text: the commands, the options that exist today, and the exit codes.
export const HELP_TEXT = `verify-deps: a pre-build dependency verification gate for npm projects

Usage:
  verify-deps [check] [dir] [options]      the gate: walk the lockfile and verify every package
  verify-deps inventory [dir] [options]    list what the lockfile installs (no network)

  dir defaults to the current directory. The tree is read from npm-shrinkwrap.json or
  package-lock.json; node_modules is read only when the project has no lockfile.

Options:
  --omit <dev|optional|peer>   leave out these dependency types, as npm does (repeatable)
  --json                       print the result as JSON on stdout (human output stays on stderr)
  --debug                      print stack traces with errors
  -h, --help                   print this help
  -v, --version                print the version

Exit codes:
  0  pass
  1  policy failures
  2  usage, configuration or input error (the message names the file and what was expected)
  3  verification could not complete (fail closed)
`;

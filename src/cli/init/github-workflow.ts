import { TOOL_VERSION } from '../tool-version.js';

// Where `init --github` writes the workflow.
export const GITHUB_WORKFLOW_FILE = '.github/workflows/verify-deps.yml';

// The GitHub Actions workflow: install without running any script, gate the tree, and only then
// run the install scripts (`npm rebuild`); the report is uploaded whatever the verdict. The tool
// is pinned to the version that wrote the file, so the gate does not change under the project.
export function renderGithubWorkflow(version: string = TOOL_VERSION): string {
  return `# Written by \`verify-deps init --github\` (verify-deps ${version}).
# Gates every dependency of package-lock.json before any of their install scripts runs.
name: verify-deps

on:
  pull_request:
  push:
    branches: [main]

permissions:
  contents: read

jobs:
  verify-deps:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 22
      # The lockfile's tree, installed without running a single install script.
      - run: npm ci --ignore-scripts
      # The gate: registry signatures, provenance and the project's policy (verify-deps.policy.json),
      # and every installed file compared with its verified tarball (--installed); it writes
      # verify-deps-report.json, and sri-manifest.json only when it passes.
      - run: npx --yes verify-deps@${version} check --installed
      # Install scripts run only after the gate passed.
      - run: npm rebuild
      - name: Upload the compliance report
        if: \${{ !cancelled() }}
        uses: actions/upload-artifact@v4
        with:
          name: verify-deps-report
          path: verify-deps-report.json
          if-no-files-found: error
`;
}

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, githubActionsIdentity, startFixtureRegistry, syntheticScenario, type FixtureRegistry, type RegistryScenario } from '../support/index.js';
import { createWorkspace, pinned, type Workspace, writeTrustFiles } from '../support/attack-kit.js';
import { attestedBy, GITHUB_ISSUER, rulesPolicy, policyRun, type PolicyRun } from '../support/policy-kit.js';

// A signer whose certificate SAN carries a forged workflow command and a terminal escape: the
// provenance verifies, the policy pins another signer (UNTRUSTED_SIGNER, whose message quotes the
// SAN), and neither the terminal, the runner's log nor the job summary sees the raw sequences.
const HOSTILE_SAN = 'https://github.com/org/x/.github/workflows/r.yml@refs/heads/main\n::error::pwned\r\u001b[2J\u001b[31m';
const RAW = ['\n::error::pwned', '\u001b', '\r'];

describe('a hostile certificate SAN in every output', () => {
  const pki = createTestPki();
  let ws: Workspace;
  let registry: FixtureRegistry;
  let runs: Array<PolicyRun & { summary: string }>;

  beforeAll(async () => {
    ws = await createWorkspace();
    let scenario: RegistryScenario = syntheticScenario(pki, [{ name: 'signed', version: '1.0.0' }], { provenanceShare: 0 });
    scenario = attestedBy(pki, scenario, 'signed', { ...githubActionsIdentity({ repository: 'org/x' }), san: HOSTILE_SAN });
    registry = await startFixtureRegistry(scenario);
    const { trustedRoot, registryKeys } = await writeTrustFiles(ws, pki);
    const policy = rulesPolicy([{ name: 'pinned', match: { package: '*' }, signer: [{ oidcIssuer: GITHUB_ISSUER, san: 'https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main' }] }]);
    runs = await Promise.all(
      [[], ['--quiet']].map(async (args, i) => {
        const summary = join(ws.dir, `summary-${i}.md`);
        await writeFile(summary, '');
        const run = await policyRun({ ws, label: `hostile-${i}`, registry, trustedRoot, registryKeys, packages: pinned(scenario, ['signed@1.0.0']), policy, args, env: { CI: 'true', GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary } });
        return { ...run, summary: await readFile(summary, 'utf8') };
      }),
    );
  });
  afterAll(async () => {
    await registry?.close();
    await ws?.cleanup();
  });

  it('fails UNTRUSTED_SIGNER with the SAN in the report, and never prints the raw sequences', () => {
    for (const run of runs) {
      expect(run.codes('signed')).toContain('UNTRUSTED_SIGNER');
      expect(run.pkg('signed').evidence?.attestations.some((a) => a.signer?.san === HOSTILE_SAN)).toBe(true);
      for (const sequence of RAW) {
        expect(run.stderr).not.toContain(sequence);
        expect(run.summary).not.toContain(sequence);
      }
      const commands = run.stderr.split('\n').filter((line) => line.trimStart().startsWith('::'));
      for (const line of commands) expect(line).toMatch(/^::(error file=|warning file=|stop-commands::[0-9a-f]{32}$|[0-9a-f]{32}::$)/);
    }
  });
});

import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, startFixtureRegistry, syntheticScenario, type FixtureRegistry } from '../support/index.js';
import { makeTempDir } from '../support/fixture-project.js';
import { writeLockfileProject } from '../support/lockfile-project.js';
import { CLI_BIN, runCli } from '../support/run-cli.js';

const NOW = '2026-11-23T00:00:00Z';

// verify-deps in a pipeline (init: test/e2e/init.test.ts): GitHub Actions annotations and step summary, GitLab's
// code-quality report, and the progress line (only on a terminal, never in CI).
describe('CI integration', () => {
  const pki = createTestPki({ registryKeyValidFrom: new Date('2020-01-01T00:00:00Z') });
  const scenario = syntheticScenario(pki, [{ name: 'alpha', version: '1.0.0' }, { name: 'beta', version: '2.0.0' }], {
    provenanceShare: 0, attestation: { time: new Date('2026-11-01T12:00:00Z') },
  });
  let registry: FixtureRegistry;
  let dir: string;
  let trustedRoot: string;
  let failing: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ dir, cleanup } = await makeTempDir());
    trustedRoot = join(dir, 'trusted_root.json');
    pki.writeTrustedRoot(trustedRoot);
    registry = await startFixtureRegistry({ ...scenario, keys: pki.npmKeys() });
    failing = join(dir, 'failing');
    await mkdir(failing);
    // Both pins differ from what the registry serves and signs: per package, INTEGRITY_MISMATCH and
    // SIGNATURE_INVALID (the registry signature does not cover the pinned integrity).
    await writeLockfileProject(failing, scenario.packages.map((p, i) => ({ ...p, integrity: `sha512-${Buffer.alloc(64, i + 1).toString('base64')}` })));
  });
  afterAll(async () => {
    await registry.close();
    await cleanup();
  });

  const gate = (project: string, env: NodeJS.ProcessEnv = {}, ...extra: string[]) =>
    runCli(['check', project, '--registry', registry.url, '--trusted-root', trustedRoot, '--cache', join(project, 'cache'), '--now', NOW, ...extra], { env });

  it('with GITHUB_ACTIONS=true, a failing run writes one annotation per failure and a step summary table', async () => {
    const summary = join(dir, 'step-summary.md');
    await writeFile(summary, '');
    const run = await gate(failing, { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary, CI: 'true' });
    expect(run.code).toBe(1);
    const annotations = run.stdout.split('\n').filter((line) => line.startsWith('::'));
    expect(annotations).toHaveLength(4);
    for (const line of annotations) expect(line).toMatch(/^::error file=package-lock\.json,title=(INTEGRITY_MISMATCH|SIGNATURE_INVALID)::(alpha|beta)@\d\.0\.0 rejected: \1 — /);
    const markdown = await readFile(summary, 'utf8');
    expect(markdown).toContain('## verify-deps: FAIL');
    expect(markdown.split('\n').filter((line) => /`(INTEGRITY_MISMATCH|SIGNATURE_INVALID)`/.test(line))).toHaveLength(4);
  });

  it('annotations go to stderr when --json owns stdout', async () => {
    const run = await gate(failing, { GITHUB_ACTIONS: 'true', CI: 'true' }, '--json');
    expect(() => JSON.parse(run.stdout)).not.toThrow();
    expect(run.stderr.split('\n').filter((line) => line.startsWith('::error '))).toHaveLength(4);
  });

  it('--gitlab-report writes a code-quality report with one issue per failure', async () => {
    const file = join(dir, 'gl-code-quality.json');
    await gate(failing, { CI: 'true' }, '--gitlab-report', file);
    const issues = JSON.parse(await readFile(file, 'utf8'));
    expect(issues.map((i: { check_name: string; severity: string; location: { path: string } }) => [i.check_name, i.severity, i.location.path]).sort()).toEqual([
      ['INTEGRITY_MISMATCH', 'blocker', 'package-lock.json'],
      ['INTEGRITY_MISMATCH', 'blocker', 'package-lock.json'],
      ['SIGNATURE_INVALID', 'blocker', 'package-lock.json'],
      ['SIGNATURE_INVALID', 'blocker', 'package-lock.json'],
    ]);
  });

  it('--quiet prints only the failures and the verdict', async () => {
    const run = await gate(failing, { CI: 'true' }, '--quiet');
    const lines = run.stderr.trim().split('\n').filter(Boolean);
    expect(lines.filter((line) => /rejected: (INTEGRITY_MISMATCH|SIGNATURE_INVALID)/.test(line))).toHaveLength(4);
    expect(lines.at(-1)).toBe('verdict: FAIL (exit 1)');
    expect(lines).toHaveLength(5);
  });

  it('in CI (not a terminal) there is a start line and no progress line; on a terminal the line is redrawn in place', async () => {
    const ci = await gate(failing, { CI: 'true' });
    expect(ci.stderr).not.toContain('\r');
    expect(ci.stderr).toMatch(/^verify-deps: checking 2 of 2 packages against their registries…$/m);

    // A pseudo-terminal (util-linux `script`) for the same run.
    const args = ['check', failing, '--registry', registry.url, '--trusted-root', trustedRoot, '--cache', join(failing, 'cache'), '--now', NOW];
    const command = [process.execPath, CLI_BIN, ...args].map((a) => `'${a}'`).join(' ');
    const tty = await new Promise<string>((resolve, reject) => {
      const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
      delete env.CI;
      const child = spawn('script', ['-qfec', command, '/dev/null'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
      child.on('error', reject);
      child.on('close', () => resolve(out));
    });
    expect(tty).toMatch(/\r\x1b\[2Kverify-deps: 2 walked, \d\/2 fetched, \d verified, \d done/);
    expect(tty).not.toContain('checking 2 of 2 packages');
    expect(tty).toContain('verdict: FAIL');
  });
});

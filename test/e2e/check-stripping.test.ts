import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, startFixtureRegistry, syntheticScenario, type FixtureRegistry } from '../support/index.js';
import { makeTempDir } from '../support/fixture-project.js';
import { writeLockfileProject } from '../support/lockfile-project.js';
import { runCli } from '../support/run-cli.js';

// A registry that publishes keys but serves no signature for any package (a mirror that strips
// them, like this project's development mirror): the gate fails, and says why once, plainly,
// instead of a line per package.
describe('a registry that strips signatures', () => {
  const pki = createTestPki();
  const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
  const scenario = syntheticScenario(pki, names.map((name) => ({ name, version: '1.0.0' })), { provenanceShare: 0, sign: false });
  let registry: FixtureRegistry;
  let dir: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ dir, cleanup } = await makeTempDir());
    registry = await startFixtureRegistry({ ...scenario, keys: pki.npmKeys() });
  });
  afterAll(async () => {
    await registry.close();
    await cleanup();
  });

  it('fails with one explanation, not a wall of identical lines', async () => {
    const project = join(dir, 'project');
    await mkdir(project);
    await writeLockfileProject(project, scenario.packages);
    const trustedRoot = join(dir, 'trusted_root.json');
    pki.writeTrustedRoot(trustedRoot);
    const result = await runCli(['check', project, '--registry', registry.url, '--trusted-root', trustedRoot, '--cache', join(dir, 'cache'), '--now', '2026-11-23T00:00:00Z'], { env: { CI: 'true' } });
    expect(result.code).toBe(1);
    expect(result.stderr.match(/most likely a mirror or proxy that strips dist\.signatures/g)).toHaveLength(1);
    expect(result.stderr).toMatch(/SIGNATURE_MISSING: the registry strips signatures, see above \(7\)/);
    for (const name of names) expect(result.stderr).not.toContain(`${name}@1.0.0 rejected`);
  });

  it('says that the registry strips signatures first in every CI output, and in a handful of lines', async () => {
    const project = join(dir, 'ci');
    await mkdir(project);
    await writeLockfileProject(project, scenario.packages);
    const trustedRoot = join(dir, 'trusted_root.json');
    pki.writeTrustedRoot(trustedRoot);
    const summary = join(dir, 'summary.md');
    const gitlab = join(dir, 'gl.json');
    await writeFile(summary, '');
    const gate = (...extra: string[]) => runCli(['check', project, '--registry', registry.url, '--trusted-root', trustedRoot, '--cache', join(dir, 'cache'), '--now', '2026-11-23T00:00:00Z', ...extra], {
      env: { CI: 'true', GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary },
    });
    const run = await gate('--gitlab-report', gitlab);
    expect(run.code).toBe(1);
    // Human: the cause before anything else the summary says.
    const human = run.stderr.split('\n').filter((line) => line !== '' && !line.startsWith('::') && !line.startsWith('verify-deps: checking'));
    expect(human[0]).toMatch(/publishes signing keys, but served none of these 7 packages/);
    const annotations = run.stdout.split('\n').filter((line) => line.startsWith('::'));
    expect(annotations[0]).toMatch(/^::error file=package-lock\.json,title=registry strips signatures::/);
    expect(annotations.filter((line) => line.startsWith('::error')).length).toBeLessThanOrEqual(10);
    expect(annotations.filter((line) => line.startsWith('::warning')).length).toBeLessThanOrEqual(10);
    expect(annotations.filter((line) => /title=SIGNATURE_MISSING \(7 packages\)/.test(line))).toHaveLength(1);
    const markdown = (await readFile(summary, 'utf8')).split('\n').filter(Boolean);
    expect(markdown[0]).toBe('## verify-deps: FAIL');
    expect(markdown[1]).toMatch(/^> \*\*registry strips signatures\*\*/);
    const issues = JSON.parse(await readFile(gitlab, 'utf8'));
    expect(issues[0].check_name).toBe('registry-strips-signatures');

    const quiet = await gate('--quiet');
    const lines = quiet.stderr.split('\n').filter((line) => line !== '' && !line.startsWith('::'));
    expect(lines[0]).toMatch(/strips dist\.signatures/);
    expect(lines.some((line) => line.startsWith('SIGNATURE_MISSING: 7 packages'))).toBe(true);
    expect(lines.at(-1)).toBe('verdict: FAIL (exit 1)');
    expect(lines.length).toBeLessThanOrEqual(5);
  });
});

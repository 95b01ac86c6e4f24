import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv } from 'ajv';
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

  // The line of `"node_modules/NAME": {` in the failing project's lockfile.
  const lockfileLine = async (name: string) => (await readFile(join(failing, 'package-lock.json'), 'utf8')).split('\n').findIndex((l) => l.includes(`"node_modules/${name}": {`)) + 1;

  it('with GITHUB_ACTIONS=true, a failing run writes one annotation per finding code at the lockfile line, and a step summary by code', async () => {
    const summary = join(dir, 'step-summary.md');
    await writeFile(summary, '');
    const run = await gate(failing, { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary, CI: 'true' });
    expect(run.code).toBe(1);
    const annotations = run.stdout.split('\n').filter((line) => line.startsWith('::'));
    const line = await lockfileLine('alpha');
    expect(line).toBeGreaterThan(1);
    expect(annotations.map((a) => /^::error file=package-lock\.json,line=(\d+),title=([A-Z_]+) \(2 packages\)::/.exec(a)?.slice(1))).toEqual([
      [String(line), 'INTEGRITY_MISMATCH'],
      [String(line), 'SIGNATURE_INVALID'],
    ]);
    const markdown = await readFile(summary, 'utf8');
    expect(markdown).toContain('## verify-deps: FAIL');
    expect(markdown.split('\n').filter((row) => /^\| `(INTEGRITY_MISMATCH|SIGNATURE_INVALID)` \| strict \| 2 \|/.test(row))).toHaveLength(2);
  });

  it('annotations go to stderr when --json owns stdout', async () => {
    const run = await gate(failing, { GITHUB_ACTIONS: 'true', CI: 'true' }, '--json');
    expect(() => JSON.parse(run.stdout)).not.toThrow();
    expect(run.stderr.split('\n').filter((line) => line.startsWith('::error '))).toHaveLength(2);
  });

  it('--gitlab-report writes a code-quality report with one issue per failure, at the package\'s lockfile line', async () => {
    const file = join(dir, 'gl-code-quality.json');
    await gate(failing, { CI: 'true' }, '--gitlab-report', file);
    const issues = JSON.parse(await readFile(file, 'utf8'));
    const [alpha, beta] = [await lockfileLine('alpha'), await lockfileLine('beta')];
    expect(issues.map((i: { check_name: string; severity: string; location: { path: string; lines: { begin: number } } }) => [i.check_name, i.severity, i.location.path, i.location.lines.begin]).sort()).toEqual([
      ['INTEGRITY_MISMATCH', 'blocker', 'package-lock.json', alpha],
      ['INTEGRITY_MISMATCH', 'blocker', 'package-lock.json', beta],
      ['SIGNATURE_INVALID', 'blocker', 'package-lock.json', alpha],
      ['SIGNATURE_INVALID', 'blocker', 'package-lock.json', beta],
    ]);
  });

  it('--quiet prints the failures grouped by code (with the fix) and the verdict', async () => {
    const run = await gate(failing, { CI: 'true' }, '--quiet');
    const lines = run.stderr.trim().split('\n').filter(Boolean);
    expect(lines.map((line) => /^([A-Z_]+): 2 packages \(alpha@1\.0\.0, beta@2\.0\.0\) — \S/.exec(line)?.[1]).filter(Boolean)).toEqual(['INTEGRITY_MISMATCH', 'SIGNATURE_INVALID']);
    expect(lines.at(-1)).toBe('verdict: FAIL (exit 1)');
    expect(lines).toHaveLength(3);
  });

  it('--sarif writes a SARIF 2.1.0 log that validates: one rule per finding code with its fix, one result per package finding at its lockfile line', async () => {
    const file = join(dir, 'verify-deps.sarif');
    const run = await gate(failing, { CI: 'true', GITHUB_WORKSPACE: dir }, '--sarif', file);
    expect(run.code).toBe(1);
    const log = JSON.parse(await readFile(file, 'utf8'));
    // The official schema is draft-04; its only draft-04 keywords are the top-level id and $schema.
    const { id, $schema: _draft, ...schema } = JSON.parse(await readFile(new URL('../fixtures/sarif/sarif-schema-2.1.0.json', import.meta.url), 'utf8'));
    // The schema's language pattern is not valid under the u flag (a stray `]`).
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    ajv.addFormat('uri', (value: string) => URL.canParse(value));
    ajv.addFormat('uri-reference', (value: string) => !/\s/.test(value));
    ajv.addFormat('date-time', (value: string) => !Number.isNaN(Date.parse(value)));
    const validate = ajv.compile({ ...schema, $id: id });
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...log, runs: [{ ...log.runs[0], results: [{ message: {} }] }] })).toBe(false);
    const [sarifRun] = log.runs;
    expect(sarifRun.tool.driver.rules.map((r: { id: string; help: { text: string } }) => [r.id, r.help.text.length > 0])).toEqual([['INTEGRITY_MISMATCH', true], ['SIGNATURE_INVALID', true]]);
    const [alpha, beta] = [await lockfileLine('alpha'), await lockfileLine('beta')];
    type Result = { ruleId: string; level: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }> };
    expect(sarifRun.results.map((r: Result) => [r.ruleId, r.level, r.locations[0]?.physicalLocation.artifactLocation.uri, r.locations[0]?.physicalLocation.region.startLine]).sort()).toEqual([
      ['INTEGRITY_MISMATCH', 'error', 'failing/package-lock.json', alpha],
      ['INTEGRITY_MISMATCH', 'error', 'failing/package-lock.json', beta],
      ['SIGNATURE_INVALID', 'error', 'failing/package-lock.json', alpha],
      ['SIGNATURE_INVALID', 'error', 'failing/package-lock.json', beta],
    ]);
  });

  it('hostile package names reach no terminal, runner or step summary raw (no forged command, escape or bidi override)', async () => {
    const project = join(dir, 'hostile');
    await mkdir(project);
    const hostile = ['evil\n::error::pwned', 'ansi\u001b[2J\u001b]8;;x\u0007', 'bidi\u202egnp.exe\u2066', 'sep\u2028::warning::x\r\u0085'];
    const integrity = `sha512-${Buffer.alloc(64, 9).toString('base64')}`;
    await writeLockfileProject(project, [...scenario.packages, ...hostile.map((name) => ({ name, version: '1.0.0', integrity }))]);
    const summary = join(dir, 'hostile-summary.md');
    await writeFile(summary, '');
    const gitlab = join(dir, 'hostile-gl.json');
    const raw = ['\n::error::pwned', '\u001b', '\u0007', '\u202e', '\u2066', '\u2028', '\u0085', '\r'];
    for (const extra of [[], ['--quiet']]) {
      const run = await gate(project, { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary, CI: 'true' }, '--gitlab-report', gitlab, ...extra);
      expect(run.code).toBe(1);
      const report = JSON.parse(await readFile(join(project, 'verify-deps-report.json'), 'utf8'));
      expect(report.packages.filter((p: { findings: Array<{ code: string }> }) => p.findings.some((f) => f.code === 'PACKAGE_NAME_INVALID'))).toHaveLength(hostile.length);
      const outputs = [run.stdout, run.stderr, await readFile(summary, 'utf8'), JSON.stringify(JSON.parse(await readFile(gitlab, 'utf8')).map((i: { description: string }) => i.description).join('\n'))];
      for (const text of outputs) for (const sequence of raw) expect(text).not.toContain(sequence);
      // The only workflow commands are the tool's own: its annotations and the stop-commands pair.
      const commands = `${run.stdout}\n${run.stderr}`.split('\n').filter((line) => line.trimStart().startsWith('::'));
      for (const line of commands) expect(line).toMatch(/^::(error file=|warning file=|stop-commands::[0-9a-f]{32}$|[0-9a-f]{32}::$)/);
    }
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
    expect(tty).toMatch(/\r\x1b\[2Kverify-deps: 2 walked, \d\/2 fetched, \d checked, \d done/);
    expect(tty).not.toContain('checking 2 of 2 packages');
    expect(tty).toContain('verdict: FAIL');
  });
});

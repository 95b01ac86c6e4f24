import { readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyFixtureProject, makeTempDir } from '../support/fixture-project.js';
import { runCli } from '../support/run-cli.js';

const TOOL_PACKAGE = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
const VERSION = TOOL_PACKAGE.version;
// What both `init` and `policy learn` write (test/e2e/policy-learn.test.ts): this version's
// schema file on npm's CDN, which resolves whether verify-deps is a devDependency or run by npx.
const SCHEMA_REF = `https://cdn.jsdelivr.net/npm/verify-deps@${VERSION}/schema/policy.schema.json`;
const WORKFLOW = join('.github', 'workflows', 'verify-deps.yml');

async function withProject(test: (project: string) => Promise<void>): Promise<void> {
  const { dir, cleanup } = await makeTempDir();
  try {
    await test(dir);
  } finally {
    await cleanup();
  }
}

// `verify-deps init`: a project it leaves behind must install and gate, and a refused init
// leaves the project as it was.
describe('init', () => {
  it('writes a valid policy whose $schema is the published schema of this version', async () => {
    await withProject(async (project) => {
      const run = await runCli(['init', project]);
      expect(run.code, run.stderr).toBe(0);
      expect((await runCli(['policy', 'validate', join(project, 'verify-deps.policy.json')])).code).toBe(0);
      const policy = JSON.parse(await readFile(join(project, 'verify-deps.policy.json'), 'utf8'));
      expect(policy.$schema).toBe(SCHEMA_REF);
      // The URL names the file the package ships, at the path it ships it.
      expect(new URL(SCHEMA_REF).pathname.endsWith(`/verify-deps@${VERSION}/schema/policy.schema.json`)).toBe(true);
      expect(readFileSync(new URL('../../schema/policy.schema.json', import.meta.url), 'utf8')).toContain('"$schema"');
      const again = await runCli(['init', project]);
      expect(again.code).toBe(2);
      expect(again.stderr).toContain('error POLICY_EXISTS');
      expect((await runCli(['init', project, '--force'])).code).toBe(0);
    });
  });

  it('--postinstall adds the script and the pinned devDependency that runs it, and nothing else', async () => {
    const { dir: project, cleanup } = await copyFixtureProject('firepit-builder-small');
    try {
      const before = JSON.parse(await readFile(join(project, 'package.json'), 'utf8'));
      const run = await runCli(['init', project, '--postinstall']);
      expect(run.code, run.stderr).toBe(0);
      const after = JSON.parse(await readFile(join(project, 'package.json'), 'utf8'));
      expect(after).toEqual({
        ...before,
        scripts: { ...before.scripts, postinstall: 'verify-deps' },
        devDependencies: { ...before.devDependencies, 'verify-deps': VERSION },
      });
      // The output says what the hook leaves unchecked and points to the CI gate.
      expect(run.stderr).toContain('--ignore-scripts');
      expect(run.stderr).toContain('init --github');
      // Run twice: nothing is added twice.
      expect((await runCli(['init', project, '--postinstall', '--force'])).code).toBe(0);
      expect(JSON.parse(await readFile(join(project, 'package.json'), 'utf8'))).toEqual(after);
    } finally {
      await cleanup();
    }
  });

  it('--postinstall keeps package.json as written: indentation, the final newline, an existing postinstall after the gate, a declared verify-deps', async () => {
    await withProject(async (project) => {
      const original = { name: 'p', version: '1.0.0', scripts: { postinstall: 'node setup.js' }, dependencies: { 'verify-deps': '^0.1.0' } };
      await writeFile(join(project, 'package.json'), `${JSON.stringify(original, null, 4)}\n`);
      expect((await runCli(['init', project, '--postinstall'])).code).toBe(0);
      const text = await readFile(join(project, 'package.json'), 'utf8');
      expect(text).toBe(`${JSON.stringify({ ...original, scripts: { postinstall: 'verify-deps && node setup.js' } }, null, 4)}\n`);
    });
  });

  it('--postinstall without package.json fails with exit 2 before writing anything', async () => {
    await withProject(async (project) => {
      const run = await runCli(['init', project, '--postinstall']);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('error PACKAGE_JSON_MISSING');
      expect(await readdir(project)).toEqual([]);
    });
  });

  it('--github writes the workflow pinned to this version: install without scripts, the gate, then npm rebuild, the report uploaded', async () => {
    await withProject(async (project) => {
      const run = await runCli(['init', project, '--github']);
      expect(run.code, run.stderr).toBe(0);
      const workflow = await readFile(join(project, WORKFLOW), 'utf8');
      const steps = workflow.split('\n').map((line) => line.trim()).filter((line) => /^- (uses|run|name):/.test(line));
      expect(steps).toEqual([
        '- uses: actions/checkout@v4',
        '- uses: actions/setup-node@v4',
        '- run: npm ci --ignore-scripts',
        `- run: npx --yes verify-deps@${VERSION} check --installed`,
        '- run: npm rebuild',
        '- name: Upload the compliance report',
      ]);
      // The uploaded file is the one check writes by default, outside any hidden folder.
      expect(workflow).toMatch(/uses: actions\/upload-artifact@v4\n\s+with:\n\s+name: verify-deps-report\n\s+path: verify-deps-report\.json\n/);
      expect(workflow).toContain('if: ${{ !cancelled() }}');
      expect(workflow).not.toMatch(/\t/);
    });
  });

  it('--github refuses to overwrite a workflow without --force, and writes nothing then', async () => {
    await withProject(async (project) => {
      await mkdir(join(project, '.github', 'workflows'), { recursive: true });
      await writeFile(join(project, WORKFLOW), 'mine\n');
      const run = await runCli(['init', project, '--github']);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('error WORKFLOW_EXISTS');
      expect(await readFile(join(project, WORKFLOW), 'utf8')).toBe('mine\n');
      expect(await readdir(project)).toEqual(['.github']);
      expect((await runCli(['init', project, '--github', '--force'])).code).toBe(0);
      expect(await readFile(join(project, WORKFLOW), 'utf8')).toContain(`verify-deps@${VERSION}`);
    });
  });
});

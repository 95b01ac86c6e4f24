import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { copyFixtureProject, makeTempDir } from '../support/fixture-project.js';
import { runCli } from '../support/run-cli.js';
import { WORKSPACE_PROJECT_PACKAGES, writeWorkspaceProject } from '../support/workspace-project.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function tempProject(files: Record<string, string>): Promise<string> {
  const { dir, cleanup } = await makeTempDir();
  cleanups.push(cleanup);
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  return dir;
}

const STACK_FRAME = /^\s+at /m;
const PACKAGE_JSON = '{"name":"app","version":"1.0.0"}';

// Each bad input: exit 2, exactly one line on stderr that names the file and the code, no stack.
function expectOneLineError(run: { code: number | null; stdout: string; stderr: string }, code: string, file: string): void {
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(`error ${code}:`);
  expect(lines[0]).toContain(file);
  expect(run.stderr).not.toMatch(STACK_FRAME);
}

describe('the CLI contract', () => {
  it('prints help and version, exit 0', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage:/m);
    expect(help.stdout).toMatch(/Exit codes:/);
    const version = await runCli(['--version']);
    expect(version.code).toBe(0);
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(version.stdout.trim()).toBe(pkg.version);
  });

  it('keeps --json output alone on stdout and the human summary on stderr', async () => {
    const { dir, cleanup } = await copyFixtureProject('firepit-builder-small');
    cleanups.push(cleanup);
    const run = await runCli(['inventory', dir, '--json']);
    expect(run.code).toBe(0);
    expect(() => JSON.parse(run.stdout)).not.toThrow();
    expect(run.stderr).toMatch(/distinct packages/);
  });

  it('a missing directory: exit 2, one line naming it', async () => {
    const { dir, cleanup } = await makeTempDir();
    cleanups.push(cleanup);
    const missing = join(dir, 'no-such-project');
    expectOneLineError(await runCli(['inventory', missing]), 'PROJECT_DIR_MISSING', missing);
  });

  it('a directory without a lockfile: exit 2, one line naming the lockfile it looked for', async () => {
    const dir = await tempProject({ 'package.json': PACKAGE_JSON });
    const run = await runCli(['inventory', dir]);
    expectOneLineError(run, 'NO_LOCKFILE', join(dir, 'package-lock.json'));
    expect(run.stderr).toContain('npm install --package-lock-only');
  });

  it('a truncated lockfile: exit 2, one line naming the file', async () => {
    const { dir, cleanup } = await copyFixtureProject('firepit-builder-small');
    cleanups.push(cleanup);
    const lockfile = join(dir, 'package-lock.json');
    const text = await readFile(lockfile, 'utf8');
    await writeFile(lockfile, text.slice(0, Math.floor(text.length / 2)));
    expectOneLineError(await runCli(['check', dir]), 'LOCKFILE_UNPARSEABLE', lockfile);
  });

  it('a lockfile whose parse error quotes newlines and a terminal escape: still one line, nothing raw', async () => {
    // JSON.parse quotes the start of the text in its message; a merge-conflicted or hostile file
    // would otherwise break the line (and could colour or rewrite the CI log).
    const dir = await tempProject({ 'package.json': PACKAGE_JSON, 'package-lock.json': 'x\n<<<<<<< HEAD\n\u001b[2J{}' });
    const lockfile = join(dir, 'package-lock.json');
    for (const args of [['check', dir], ['inventory', dir]]) {
      const run = await runCli(args);
      expectOneLineError(run, 'LOCKFILE_UNPARSEABLE', lockfile);
      expect(run.stderr).not.toContain('\u001b');
    }
    const json = await runCli(['check', dir, '--json']);
    const { error } = JSON.parse(json.stdout) as { error: { code: string; summary: string } };
    expect(error.code).toBe('LOCKFILE_UNPARSEABLE');
    expect(error.summary).toContain('<<<<<<<'); // the text after the first newline is kept, escaped
    expect(error.summary).not.toMatch(/[\n\u001b]/);
  });

  it('valid JSON that is not a lockfile: exit 2, naming the file and the field', async () => {
    const dir = await tempProject({ 'package.json': PACKAGE_JSON, 'package-lock.json': '{"name":"app","dependencies":[]}' });
    const run = await runCli(['inventory', dir]);
    expectOneLineError(run, 'LOCKFILE_INVALID', join(dir, 'package-lock.json'));
    expect(run.stderr).toContain('lockfileVersion: expected 1, 2 or 3');
  });

  it('a v3 lockfile whose packages are not an object: exit 2, naming the field', async () => {
    const dir = await tempProject({ 'package.json': PACKAGE_JSON, 'package-lock.json': '{"lockfileVersion":3,"packages":[]}' });
    const run = await runCli(['inventory', dir]);
    expectOneLineError(run, 'LOCKFILE_INVALID', join(dir, 'package-lock.json'));
    expect(run.stderr).toContain('packages: expected an object');
  });

  it('an unparseable package.json beside a good lockfile: exit 2, naming package.json', async () => {
    const { dir, cleanup } = await copyFixtureProject('firepit-builder-small');
    cleanups.push(cleanup);
    await writeFile(join(dir, 'package.json'), '{"name": ');
    expectOneLineError(await runCli(['inventory', dir]), 'PACKAGE_JSON_UNPARSEABLE', join(dir, 'package.json'));
  });

  it('an unknown flag: exit 2, one line naming the flag', async () => {
    const run = await runCli(['inventory', '--frobnicate']);
    expect(run.code).toBe(2);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('error UNKNOWN_OPTION: unknown option --frobnicate');
    expect(run.stderr).not.toMatch(STACK_FRAME);
  });

  it('an invalid --omit value: exit 2', async () => {
    const run = await runCli(['inventory', '--omit', 'prod']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--omit prod: expected one of dev, optional, peer');
  });

  it('--debug adds the stack trace', async () => {
    const dir = await tempProject({ 'package.json': PACKAGE_JSON });
    const run = await runCli(['inventory', dir, '--debug']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(STACK_FRAME);
  });
});

describe('workspaces, an out-of-sync package.json and the lockfile ceiling', () => {
  const INTEGRITY = `sha512-${Buffer.alloc(64, 3).toString('base64')}`;

  async function workspaceProject(): Promise<string> {
    const { dir, cleanup } = await makeTempDir();
    cleanups.push(cleanup);
    await writeWorkspaceProject(dir, WORKSPACE_PROJECT_PACKAGES.map((name) => ({ name, version: '1.0.0', integrity: INTEGRITY })));
    return dir;
  }

  // A v3 lockfile of `entries` entries (the root and registry packages), in sync with package.json.
  async function lockfileOf(entries: number): Promise<string> {
    const dependencies: Record<string, string> = {};
    const packages: Record<string, unknown> = {};
    for (let i = 1; i < entries; i++) {
      dependencies[`pkg-${i}`] = '1.0.0';
      packages[`node_modules/pkg-${i}`] = { version: '1.0.0', integrity: INTEGRITY };
    }
    const root = { name: 'big', version: '1.0.0', dependencies };
    return tempProject({
      'package.json': JSON.stringify(root),
      'package-lock.json': JSON.stringify({ name: 'big', version: '1.0.0', lockfileVersion: 3, requires: true, packages: { '': root, ...packages } }),
    });
  }

  for (const command of [['inventory'], ['check'], ['policy', 'learn']]) {
    it(`${command.join(' ')} -w with an unknown workspace: exit 2 naming the workspaces there are`, async () => {
      const dir = await workspaceProject();
      const run = await runCli([...command, dir, '-w', 'nope']);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('error INVALID_OPTION:');
      expect(run.stderr).toContain('a, b');
      expect(run.stderr).not.toMatch(STACK_FRAME);
    });
  }

  it('-w in a project without workspaces: exit 2', async () => {
    const dir = await lockfileOf(3);
    const run = await runCli(['inventory', dir, '-w', 'a']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('error INVALID_OPTION:');
  });

  it('a package.json out of sync with the lockfile: a warning naming the dependency, the lockfile read as recorded', async () => {
    const dir = await lockfileOf(4);
    const inSync = JSON.parse((await runCli(['inventory', dir, '--json'])).stdout);
    const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
    pkg.dependencies['pkg-2'] = '^2.0.0';
    pkg.devDependencies = { 'pkg-3': pkg.dependencies['pkg-3'] };
    delete pkg.dependencies['pkg-3'];
    await writeFile(join(dir, 'package.json'), JSON.stringify(pkg));
    const run = await runCli(['inventory', dir, '--json']);
    expect(run.code).toBe(0);
    const inventory = JSON.parse(run.stdout);
    expect(inventory.packages).toEqual(inSync.packages);
    // As the lockfile records it: pkg-3 is a production dependency there.
    expect(inventory.packages.find((p: { name: string }) => p.name === 'pkg-3').dev).toBe(false);
    expect(inventory.warnings).toEqual([expect.stringContaining('"pkg-2"')]);
    expect(run.stderr).toContain(`warning: ${inventory.warnings[0]}`);
  });

  it('--max-entries: a lockfile past it is refused (exit 2, INPUT_TOO_LARGE), one within it read', async () => {
    const dir = await lockfileOf(30);
    const refused = await runCli(['inventory', dir, '--max-entries', '29']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('error INPUT_TOO_LARGE:');
    expect(refused.stderr).toContain('--max-entries');
    const read = await runCli(['inventory', dir, '--max-entries', '30', '--json']);
    expect(read.code).toBe(0);
    expect(JSON.parse(read.stdout).packages).toHaveLength(29);
    const invalid = await runCli(['inventory', dir, '--max-entries', '0']);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('error INVALID_OPTION:');
  });

  it('reads a 25,000-entry lockfile by default (the linear reader handles it)', async () => {
    const dir = await lockfileOf(25_000);
    const run = await runCli(['inventory', dir, '--json']);
    expect(run.stderr).not.toContain('error');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).packages).toHaveLength(24_999);
  }, 60_000);
});

describe('a workspace the lockfile does not record', () => {
  it('is refused (exit 2, LOCKFILE_INVALID), not gated as an empty selection', async () => {
    const { dir, cleanup } = await makeTempDir();
    cleanups.push(cleanup);
    await writeWorkspaceProject(dir, WORKSPACE_PROJECT_PACKAGES.map((name) => ({ name, version: '1.0.0', integrity: `sha512-${Buffer.alloc(64, 5).toString('base64')}` })));
    await mkdir(join(dir, 'packages/c'));
    await writeFile(join(dir, 'packages/c/package.json'), JSON.stringify({ name: 'c', version: '1.0.0', dependencies: { evil: '1.0.0' } }));
    for (const run of [await runCli(['inventory', join(dir, 'packages/c')]), await runCli(['check', dir, '-w', 'c'])]) {
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('error LOCKFILE_INVALID:');
    }
  });
});

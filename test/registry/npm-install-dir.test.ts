// npm's install folder (its builtin npmrc): the npm that runs us, else the one beside node, else none.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findNpmInstallDir } from '../../src/registry/npm-install-dir.js';
import { makeTempDir } from '../support/fixture-project.js';

describe('findNpmInstallDir', () => {
  let dir: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ dir, cleanup } = await makeTempDir());
  });
  afterAll(async () => {
    await cleanup();
  });

  const packageDir = (folder: string, name: string): string => {
    mkdirSync(join(folder, 'bin'), { recursive: true });
    writeFileSync(join(folder, 'package.json'), JSON.stringify({ name, version: '11.0.0' }));
    return folder;
  };

  it("takes npm_execpath's npm, as npm sets it for the tools it runs", () => {
    const npm = packageDir(join(dir, 'a', 'npm'), 'npm');
    expect(findNpmInstallDir({ env: { npm_execpath: join(npm, 'bin', 'npm-cli.js') }, execPath: join(dir, 'a', 'bin', 'node'), platform: 'linux' })).toBe(npm);
  });

  it("takes the npm beside node when npm_execpath is another package manager's, or unset", () => {
    const pnpm = packageDir(join(dir, 'b', 'pnpm'), 'pnpm');
    const npm = packageDir(join(dir, 'b', 'prefix', 'lib', 'node_modules', 'npm'), 'npm');
    const execPath = join(dir, 'b', 'prefix', 'bin', 'node');
    expect(findNpmInstallDir({ env: { npm_execpath: join(pnpm, 'bin', 'pnpm.cjs') }, execPath, platform: 'linux' })).toBe(npm);
    expect(findNpmInstallDir({ env: {}, execPath, platform: 'darwin' })).toBe(npm);
  });

  it("takes <node's folder>/node_modules/npm on Windows", () => {
    const npm = packageDir(join(dir, 'c', 'nodejs', 'node_modules', 'npm'), 'npm');
    expect(findNpmInstallDir({ env: {}, execPath: join(dir, 'c', 'nodejs', 'node.exe'), platform: 'win32' })).toBe(npm);
    expect(findNpmInstallDir({ env: {}, execPath: join(dir, 'c', 'nodejs', 'node.exe'), platform: 'linux' })).toBeUndefined();
  });

  it('finds none when no npm is there', () => {
    expect(findNpmInstallDir({ env: { npm_execpath: join(dir, 'missing', 'bin', 'npm-cli.js') }, execPath: join(dir, 'd', 'bin', 'node'), platform: 'linux' })).toBeUndefined();
  });
});

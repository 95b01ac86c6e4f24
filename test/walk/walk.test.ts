import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { walkTree } from '../../src/walk/index.js';
import { rootBundleClosure } from './lockfile-oracle.js';
import { copyFixtureProject, makeTempDir, type LockfileFixture } from '../support/fixture-project.js';
import { npmjsTarballUrl } from '../support/public-urls.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function walkFixture(name: LockfileFixture, omit?: Array<'dev' | 'optional' | 'peer'>) {
  const { dir, cleanup } = await copyFixtureProject(name);
  cleanups.push(cleanup);
  return { dir, result: await walkTree(dir, omit ? { omit } : {}) };
}

describe('walkTree', () => {
  it('records the lockfile\'s hasInstallScript per package, by both readers', async () => {
    const { dir, result } = await walkFixture('actions-checkout');
    const withScripts = result.packages.filter((p) => p.hasInstallScript).map((p) => p.name);
    expect(withScripts).toEqual(['fsevents']);
    const arborist = await walkTree(dir, { arboristTree: true });
    expect(arborist.packages.filter((p) => p.hasInstallScript).map((p) => p.name)).toEqual(['fsevents']);
  });

  it('an npm-shrinkwrap.json npm 11 installs from: read when the linear reader can, else refused with the rename to package-lock.json (npm 12 reads no shrinkwrap)', async () => {
    // The real firebase-tools shrinkwrap overrides direct dependencies: only arborist could read it.
    const { dir, cleanup } = await copyFixtureProject('firebase-tools-shrinkwrap', { keepShrinkwrap: true });
    cleanups.push(cleanup);
    await expect(walkTree(dir, {})).rejects.toMatchObject({ code: 'LOCKFILE_UNSUPPORTED', file: join(dir, 'npm-shrinkwrap.json') });
    const renamed = await walkFixture('firebase-tools-shrinkwrap');
    expect(renamed.result.packages.length).toBeGreaterThan(100);
  });

  it('reports an alias under its real name, keeping the name it is installed under', async () => {
    const { result } = await walkFixture('npm-cli-10.9.0');
    const aliased = result.packages.filter((p) => p.aliases.length > 0);
    expect(aliased.length).toBeGreaterThan(0);
    const stringWidth = result.packages.find((p) => p.aliases.includes('string-width-cjs'));
    expect(stringWidth).toMatchObject({ name: 'string-width', version: '4.2.3', source: 'registry' });
    expect(result.packages.some((p) => p.name === 'string-width-cjs')).toBe(false);
  });

  it('keeps a github: dependency of a v1 lockfile as source "git"', async () => {
    const { result } = await walkFixture('socket.io-4.3.2-v1');
    const git = result.packages.filter((p) => p.source === 'git');
    expect(git.map((p) => p.name)).toEqual(['uWebSockets.js']);
    expect(git[0]?.resolved).toMatch(/^git\+ssh:\/\/git@github\.com\/uNetworking\/uWebSockets\.js\.git#[0-9a-f]{40}$/);
    const alias = result.packages.find((p) => p.aliases.includes('socket.io-client-v2'));
    expect(alias).toMatchObject({ name: 'socket.io-client', version: '2.4.0' });
  });

  it('keeps file: tarballs as source "file", relative to the project, and a foreign registry host', async () => {
    const { result } = await walkFixture('firebase-vscode');
    const files = result.packages.filter((p) => p.source === 'file');
    expect(files.map((p) => `${p.name}@${p.version} ${p.resolved}`)).toEqual([
      'graphql@16.12.0 file:graphql-16.12.0.tgz',
      'graphql-language-service@5.4.0 file:graphql-language-service-5.4.0.tgz',
      'graphql-language-service-server@2.14.8 file:graphql-language-service-server-2.14.8.tgz',
    ]);
    const foreign = result.packages.filter((p) => p.registryHost !== null && p.registryHost !== 'registry.npmjs.org');
    expect(foreign.map((p) => [p.name, p.version, p.source, p.registryHost, p.locations])).toEqual([
      ['webdriverio', '9.2.6', 'registry', 'us-npm.pkg.dev', ['node_modules/@wdio/globals/node_modules/webdriverio']],
    ]);
  });

  it('marks the 210 installs inside firepit-standalone\'s bundled npm as bundled', async () => {
    const { result } = await walkFixture('firepit-standalone');
    const bundledLocations = result.packages.filter((p) => p.bundled).flatMap((p) => p.locations);
    expect(bundledLocations).toHaveLength(210);
    expect(bundledLocations.every((location) => location.startsWith('node_modules/npm/node_modules/'))).toBe(true);
    expect(result.packages.find((p) => p.name === 'npm')).toMatchObject({ bundled: false, source: 'registry' });
  });

  it('verifies the 205 packages npm-cli bundles itself (root bundleDependencies) like any other', async () => {
    const { dir, result } = await walkFixture('npm-cli-10.9.0');
    const lock = JSON.parse(await readFile(join(dir, 'package-lock.json'), 'utf8'));
    const rootBundled = rootBundleClosure(lock.packages);
    expect(rootBundled).toHaveLength(205);
    const byLocation = new Map(result.packages.flatMap((p) => p.locations.map((location) => [location, p] as const)));
    const sources = rootBundled.map((location) => {
      const ref = byLocation.get(location);
      expect(ref, location).toMatchObject({ bundled: false });
      return ref?.source;
    });
    // 193 registry packages and the 12 workspaces npm bundles into its own tarball.
    expect(sources.filter((source) => source === 'registry')).toHaveLength(193);
    expect(sources.filter((source) => source === 'workspace')).toHaveLength(12);
    expect(result.packages.filter((p) => p.bundled).flatMap((p) => p.locations).every((l) => l.startsWith('node_modules/tap/'))).toBe(true);
  });

  it('visits a package once per (name, version, integrity), keeping every location', async () => {
    const { dir, result } = await walkFixture('mocha-8.3.2-v1');
    const keys = result.packages.map((p) => `${p.name}@${p.version} ${p.integrity} ${p.source}`);
    expect(new Set(keys).size).toBe(keys.length);
    const multi = result.packages.find((p) => p.locations.length > 1);
    expect(multi?.locations.every((location) => location.endsWith(`node_modules/${multi.name}`))).toBe(true);
    const total = result.packages.reduce((sum, p) => sum + p.locations.length, 0);
    const lock = JSON.parse(await readFile(join(dir, 'package-lock.json'), 'utf8'));
    expect(total).toBe(countLegacyEntries(lock.dependencies));
  });

  it('honours --omit like npm: dev, optional, and devOptional only when both are omitted', async () => {
    const { result: all } = await walkFixture('mocha-docs-site');
    const { result: noDev } = await walkFixture('mocha-docs-site', ['dev']);
    const { result: noDevNoOptional } = await walkFixture('mocha-docs-site', ['dev', 'optional']);
    expect(noDev.packages.some((p) => p.dev)).toBe(false);
    expect(noDev.packages.length).toBeLessThan(all.packages.length);
    expect(all.packages.some((p) => p.devOptional && !p.dev && !p.optional)).toBe(true);
    expect(noDev.packages.some((p) => p.devOptional && !p.dev && !p.optional)).toBe(true);
    expect(noDevNoOptional.packages.some((p) => p.devOptional || p.optional)).toBe(false);
  });

  it('reads node_modules/.package-lock.json only when there is no lockfile, and says so', async () => {
    const { dir, cleanup } = await makeTempDir();
    cleanups.push(cleanup);
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', dependencies: { 'is-number': '^7.0.0' } }));
    await mkdir(join(dir, 'node_modules', 'is-number'), { recursive: true });
    await writeFile(join(dir, 'node_modules', 'is-number', 'package.json'), JSON.stringify({ name: 'is-number', version: '7.0.0' }));
    const integrity = 'sha512-41Cifkg6e8TylSpdtTpeLVMqvSBEVzTttHvERD741+pnZ8ANv0004MRL43QKPDlK9cGvNp6NZWZUBlbGXYxxng==';
    await writeFile(join(dir, 'node_modules', '.package-lock.json'), JSON.stringify({
      name: 'app', version: '1.0.0', lockfileVersion: 3, requires: true,
      packages: { 'node_modules/is-number': { version: '7.0.0', resolved: npmjsTarballUrl('is-number', '7.0.0'), integrity } },
    }));
    const result = await walkTree(dir);
    expect(result.treeSource.kind).toBe('hidden-lockfile');
    expect(result.warnings.join(' ')).toMatch(/No package-lock\.json/);
    expect(result.packages.map((p) => [p.name, p.version, p.source])).toEqual([['is-number', '7.0.0', 'registry']]);
  });

  it('takes a registry tarball URL for a remote one when npm refuses the package name, whichever reader reads it', async () => {
    const { dir, cleanup } = await makeTempDir();
    cleanups.push(cleanup);
    const dependencies = { 'is-number': '7.0.0', _private: '1.0.0' };
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', dependencies }));
    const integrity = 'sha512-41Cifkg6e8TylSpdtTpeLVMqvSBEVzTttHvERD741+pnZ8ANv0004MRL43QKPDlK9cGvNp6NZWZUBlbGXYxxng==';
    await writeFile(join(dir, 'package-lock.json'), JSON.stringify({
      name: 'app', version: '1.0.0', lockfileVersion: 3, requires: true,
      packages: {
        '': { name: 'app', version: '1.0.0', dependencies },
        'node_modules/is-number': { version: '7.0.0', resolved: npmjsTarballUrl('is-number', '7.0.0'), integrity },
        'node_modules/_private': { version: '1.0.0', resolved: npmjsTarballUrl('_private', '1.0.0'), integrity },
      },
    }));
    const expected = [['_private', 'remote'], ['is-number', 'registry']];
    expect((await walkTree(dir)).packages.map((p) => [p.name, p.source])).toEqual(expected);
    expect((await walkTree(dir, { arboristTree: true })).packages.map((p) => [p.name, p.source])).toEqual(expected);
  });

  it('refuses a directory with neither lockfile nor node_modules, naming the file', async () => {
    const { dir, cleanup } = await makeTempDir();
    cleanups.push(cleanup);
    await writeFile(join(dir, 'package.json'), '{"name":"app","version":"1.0.0"}');
    const error = await walkTree(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ code: 'NO_LOCKFILE', exitCode: 2 });
    expect((error as InputError).message).toContain(join(dir, 'package-lock.json'));
  });
});

function countLegacyEntries(dependencies: Record<string, { dependencies?: Record<string, unknown> }> | undefined): number {
  let count = 0;
  for (const entry of Object.values(dependencies ?? {})) {
    count += 1 + countLegacyEntries(entry.dependencies as Record<string, { dependencies?: Record<string, unknown> }> | undefined);
  }
  return count;
}

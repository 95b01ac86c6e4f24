import { existsSync } from 'node:fs';
import { cp, mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The real lockfiles of test/fixtures/lockfiles (see its PROVENANCE.md).
export const LOCKFILES_DIR = fileURLToPath(new URL('../fixtures/lockfiles/', import.meta.url));

export const LOCKFILE_FIXTURES = [
  'actions-checkout',
  'axios-1.7.9',
  'firebase-tools-shrinkwrap',
  'firebase-vscode',
  'firepit-builder-small',
  'firepit-standalone',
  'mocha-12.0.0-rc.6',
  'mocha-8.3.2-v1',
  'mocha-docs-site',
  'npm-cli-10.9.0',
  'socket.io-4.3.2-v1',
  'socket.io-monorepo',
  'v1-links-overrides-peers',
  'v1-npm11-alias-git-tarball',
  'v1-npm5-no-requires',
  'v1-npm6-nyc13-resolved-false',
  'v2-workspaces-alias',
  'v3-bundled-nyc13',
  'v3-links-overrides-peers',
] as const;

export type LockfileFixture = (typeof LOCKFILE_FIXTURES)[number];

// Copies a fixture project into a fresh temp dir, so no test can alter the shared copy.
// A fixture's npm-shrinkwrap.json is renamed package-lock.json unless `keepShrinkwrap`: npm 12
// reads no other name, and this one (overrides of direct dependencies) only arborist can read.
export async function copyFixtureProject(name: LockfileFixture, { keepShrinkwrap = false } = {}): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const base = await mkdtemp(join(tmpdir(), 'verify-deps-'));
  const dir = join(base, name);
  await cp(join(LOCKFILES_DIR, name), dir, { recursive: true });
  if (!keepShrinkwrap && existsSync(join(dir, 'npm-shrinkwrap.json'))) await rename(join(dir, 'npm-shrinkwrap.json'), join(dir, 'package-lock.json'));
  return { dir, cleanup: () => rm(base, { recursive: true, force: true }) };
}

// A fresh, empty temp dir for tests that build their own project.
export async function makeTempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'verify-deps-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

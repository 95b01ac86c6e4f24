import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findStrayInstalled } from '../../src/check/installed-strays.js';
import { makeTempDir } from '../support/fixture-project.js';

// findStrayInstalled on laid-out node_modules folders: what no lockfile location installs is
// reported, npm's own entries and the entries of every lockfile location are not.
describe('findStrayInstalled', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ dir, cleanup } = await makeTempDir()));
  afterAll(async () => cleanup());

  async function lay(name: string, files: string[]): Promise<string> {
    const root = join(dir, name);
    for (const path of files) {
      await mkdir(dirname(join(root, path)), { recursive: true });
      await writeFile(join(root, path), 'x');
    }
    return root;
  }
  const strays = async (root: string, locations: string[]) => (await findStrayInstalled(root, new Set(['', ...locations]))).map((f) => [f.code, f.details]);

  it('reports a package folder, a scoped one and a loose file no location names; skips .bin and .package-lock.json', async () => {
    const root = await lay('top', ['node_modules/a/index.js', 'node_modules/@s/b/index.js', 'node_modules/evil/index.js', 'node_modules/@s/evil/index.js', 'node_modules/loose.js', 'node_modules/.bin/a', 'node_modules/.package-lock.json']);
    expect(await strays(root, ['node_modules/a', 'node_modules/@s/b'])).toEqual([
      ['INSTALLED_TREE_MODIFIED', { location: 'node_modules', path: '@s/evil', kind: 'added' }],
      ['INSTALLED_TREE_MODIFIED', { location: 'node_modules', path: 'evil', kind: 'added' }],
      ['INSTALLED_TREE_MODIFIED', { location: 'node_modules', path: 'loose.js', kind: 'added' }],
    ]);
  });

  it('a tree that holds exactly the lockfile\'s locations (a link among them, an omitted one absent) has none; no node_modules has none', async () => {
    const root = await lay('exact', ['node_modules/a/index.js', 'packages/w/package.json']);
    await symlink('../packages/w', join(root, 'node_modules', 'w'));
    expect(await strays(root, ['node_modules/a', 'node_modules/w', 'node_modules/dev-only', 'packages/w'])).toEqual([]);
    expect(await strays(await lay('empty', ['package.json']), ['node_modules/a'])).toEqual([]);
  });

  it('a workspace folder\'s node_modules is checked too; a nested node_modules of an installed package is left to that package\'s check', async () => {
    const root = await lay('workspace', ['packages/w/node_modules/ok/index.js', 'packages/w/node_modules/evil/index.js', 'node_modules/a/node_modules/inner/index.js']);
    expect(await strays(root, ['packages/w', 'packages/w/node_modules/ok', 'node_modules/a'])).toEqual([
      ['INSTALLED_TREE_MODIFIED', { location: 'packages/w/node_modules', path: 'evil', kind: 'added' }],
    ]);
  });
});

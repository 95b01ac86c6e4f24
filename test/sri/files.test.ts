// hashPackageFiles: sha384 per matching file, posix paths, sorted; symlinks never followed out of
// the package (skipped and reported, their targets never read).

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildSriManifest, hashPackageFiles } from '../../src/sri/index.js';

let base: string;
let pkgDir: string;
const SECRET = 'outside the package: must never be read';

function sha384(text: string): string {
  return `sha384-${createHash('sha384').update(text).digest('base64')}`;
}

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'verify-deps-files-'));
  pkgDir = join(base, 'node_modules', 'pkg');
  await mkdir(join(pkgDir, 'lib', 'deep'), { recursive: true });
  await mkdir(join(pkgDir, 'node_modules', 'dep'), { recursive: true });
  await writeFile(join(base, 'secret.js'), SECRET);
  await writeFile(join(pkgDir, 'package.json'), '{"name":"pkg"}');
  await writeFile(join(pkgDir, 'README.md'), '# pkg');
  await writeFile(join(pkgDir, '.hidden.js'), 'hidden');
  await writeFile(join(pkgDir, 'lib', 'b.js'), 'b');
  await writeFile(join(pkgDir, 'lib', 'a.js'), 'a');
  await writeFile(join(pkgDir, 'lib', 'deep', 'c.js'), 'c');
  await writeFile(join(pkgDir, 'node_modules', 'dep', 'index.js'), 'dep');
  await symlink('a.js', join(pkgDir, 'lib', 'alias.js'));
  await symlink(join(base, 'secret.js'), join(pkgDir, 'lib', 'outside.js'));
  await symlink('../../../secret.js', join(pkgDir, 'lib', 'relative-outside.js'));
  await symlink('missing.js', join(pkgDir, 'lib', 'dangling.js'));
  await symlink('deep', join(pkgDir, 'lib', 'deep-link'));
  await symlink(base, join(pkgDir, 'lib', 'up'));
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('hashPackageFiles', () => {
  it('hashes matching files with sha384, keyed by sorted posix path, and reports what it skipped', async () => {
    const result = await hashPackageFiles(pkgDir, ['lib/**/*.js', 'package.json']);
    expect(result.files).toEqual({
      'lib/a.js': sha384('a'),
      'lib/alias.js': sha384('a'),
      'lib/b.js': sha384('b'),
      'lib/deep/c.js': sha384('c'),
      'package.json': sha384('{"name":"pkg"}'),
    });
    expect(Object.keys(result.files)).toEqual(['lib/a.js', 'lib/alias.js', 'lib/b.js', 'lib/deep/c.js', 'package.json']);
    expect(result.skipped).toEqual([
      { path: 'lib/dangling.js', reason: 'dangling-symlink' },
      { path: 'lib/deep-link', reason: 'symlink-to-directory' },
      { path: 'lib/outside.js', reason: 'symlink-outside-package' },
      { path: 'lib/relative-outside.js', reason: 'symlink-outside-package' },
      { path: 'lib/up', reason: 'symlink-outside-package' },
    ]);
    expect(Object.values(result.files)).not.toContain(sha384(SECRET));
  });

  it('matches dotfiles, and globs decide whether nested node_modules are included', async () => {
    const all = await hashPackageFiles(pkgDir, ['**/*.js']);
    expect(all.files['.hidden.js']).toBe(sha384('hidden'));
    expect(all.files['node_modules/dep/index.js']).toBe(sha384('dep'));
    const own = await hashPackageFiles(pkgDir, ['*.md', 'lib/*.js']);
    expect(Object.keys(own.files)).toEqual(['README.md', 'lib/a.js', 'lib/alias.js', 'lib/b.js']);
  });

  it('follows a package directory that is itself a symlink (npm link, workspaces)', async () => {
    const linked = join(base, 'linked');
    await symlink(pkgDir, linked);
    const result = await hashPackageFiles(linked, ['lib/a.js']);
    expect(result.files).toEqual({ 'lib/a.js': sha384('a') });
  });

  it('skips a FIFO without opening it', async () => {
    execFileSync('mkfifo', [join(pkgDir, 'lib', 'pipe.js')]);
    const result = await hashPackageFiles(pkgDir, ['lib/pipe.js']);
    expect(result).toEqual({ files: {}, skipped: [{ path: 'lib/pipe.js', reason: 'not-a-regular-file' }] });
  });

  it('no globs: nothing hashed', async () => {
    expect(await hashPackageFiles(pkgDir, [])).toEqual({ files: {}, skipped: [] });
  });

  it.each([[''], ['/etc/*'], ['../*.js'], ['lib/../../*.js']])('refuses the glob %j (SRI_GLOB_INVALID)', async (glob) => {
    await expect(hashPackageFiles(pkgDir, [glob])).rejects.toMatchObject({ code: 'SRI_GLOB_INVALID', exitCode: 2 });
  });

  it('an absent or non-directory package dir is SRI_PACKAGE_DIR_UNREADABLE (exit 3)', async () => {
    await expect(hashPackageFiles(join(base, 'nope'), ['**'])).rejects.toMatchObject({ code: 'SRI_PACKAGE_DIR_UNREADABLE', exitCode: 3 });
    await expect(hashPackageFiles(join(pkgDir, 'package.json'), ['**'])).rejects.toMatchObject({ code: 'SRI_PACKAGE_DIR_UNREADABLE' });
  });

  it('its output goes straight into a valid manifest entry', async () => {
    const { files } = await hashPackageFiles(pkgDir, ['**/*']);
    const integrity = `sha512-${createHash('sha512').update('tgz').digest('base64')}`;
    const manifest = buildSriManifest({ mode: 'strict', packages: [{ name: 'pkg', version: '1.0.0', integrity, verified: true, reasons: [], files }] });
    expect(manifest.packages[0]?.files).toEqual(files);
  });
});

describe('hashPackageFiles and awkward names', () => {
  it('reports a file whose name has a backslash instead of silently leaving it out', async () => {
    await writeFile(join(pkgDir, 'lib', 'evil\\name.js'), 'x');
    const result = await hashPackageFiles(pkgDir, ['lib/*.js']);
    expect(result.skipped).toContainEqual({ path: 'lib/evil\\name.js', reason: 'unrepresentable-name' });
    expect(Object.keys(result.files)).not.toContain('lib/evil\\name.js');
  });
});

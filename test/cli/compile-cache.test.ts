import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { enableCodeCache } from '../../src/cli/compile-cache.js';
import { serveCacheScenario } from '../support/cache-scenario.js';
import { writeLockfileProject } from '../support/lockfile-project.js';
import { runCli } from '../support/run-cli.js';

const NOW = '2026-11-23T00:00:00Z';

async function filesUnder(dir: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).length;
}

// Node's compile cache, kept in the state directory: it speeds up loading, and a directory it
// cannot use never stops a run.
describe('the compile cache', () => {
  const served = serveCacheScenario();

  const check = async (name: string, stateDir: string) => {
    const project = join(served.dir, name);
    await mkdir(project);
    await writeLockfileProject(project, served.packages);
    return runCli(['check', project, '--registry', served.registry.url, '--trusted-root', served.trustedRoot, '--cache', join(served.dir, `${name}-cache`), '--now', NOW, '--json'], {
      env: { VERIFY_DEPS_STATE_DIR: stateDir },
    });
  };

  it('is written to the state directory', async () => {
    const stateDir = join(served.dir, 'state');
    const run = await check('writable', stateDir);
    expect(run.code).toBe(0);
    expect(await filesUnder(join(stateDir, 'compile-cache'))).toBeGreaterThan(0);
  });

  it('never stops a run when its directory cannot be created', async () => {
    // A file where the state directory should be: nothing can be created under it (even by root).
    const blocker = join(served.dir, 'blocker');
    await writeFile(blocker, 'not a directory');
    const run = await check('unwritable', join(blocker, 'state'));
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).verdict).toBe('pass');
    const version = await runCli(['--version'], { env: { VERIFY_DEPS_STATE_DIR: join(blocker, 'state') } });
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('is not turned on when its directory cannot be created', () => {
    expect(enableCodeCache({ VERIFY_DEPS_STATE_DIR: join(served.dir, 'blocker', 'state') })).toBeUndefined();
  });
});

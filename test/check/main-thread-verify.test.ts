import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readProjectTree, runCheck, type CheckOptions } from '../../src/check/index.js';
import { serveCacheScenario } from '../support/cache-scenario.js';
import { writeLockfileProject } from '../support/lockfile-project.js';

const NOW = new Date('2026-11-23T00:00:00Z');

// Without worker threads the trust's Sigstore material is built on the first verification, in
// this thread, and every package is verified with it (bundles included).
describe('verification on the main thread', () => {
  const served = serveCacheScenario();

  it('builds the trust when it first verifies, and verifies every package and bundle', async () => {
    const project = join(served.dir, 'project');
    await mkdir(project);
    await writeLockfileProject(project, served.packages);
    const tree = await readProjectTree(project, {});
    const run = (verifyInWorkers: boolean, cacheDir: string) => {
      const options: CheckOptions = {
        dir: project, tree, registry: served.registry.url, trustedRootFile: served.trustedRoot, concurrency: 4, timeoutMs: 10_000, retries: 0,
        cacheDir, stateDir: join(served.dir, 'state'), offline: false, now: NOW, refreshTimeoutMs: 1_000, verifyInWorkers,
      };
      return runCheck(options);
    };
    const here = await run(false, join(served.dir, 'cache'));
    expect(here.packages).toHaveLength(served.packages.length);
    for (const p of here.packages) {
      expect(p.findings).toEqual([]);
      expect(p.facts?.registrySignature.status).toBe('verified');
    }
    const attestations = here.packages.flatMap((p) => p.facts?.attestations ?? []);
    expect(attestations.length).toBeGreaterThan(0);
    expect(attestations.every((a) => a.status === 'verified')).toBe(true);
  });
});

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serveCacheScenario } from '../support/cache-scenario.js';
import { writeLockfileProject } from '../support/lockfile-project.js';
import { runCli } from '../support/run-cli.js';

const NOW = '2026-11-23T00:00:00Z';

// The trust is built from its documents only when a bundle is first verified, but the documents
// are checked at the start: an unusable one stops the run (exit 2) before any package is fetched,
// whether or not the cache would have spared every verification.
describe('an unusable --trusted-root', () => {
  const served = serveCacheScenario();

  it.each([
    ['not JSON', '{'],
    ['a root without a transparency log', JSON.stringify({ mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1', tlogs: [], ctlogs: [], certificateAuthorities: [] })],
  ])('%s: TRUSTED_ROOT_INVALID, exit 2, no package fetched, though the cache holds every result', async (label, text) => {
    const project = join(served.dir, label.replace(/\W+/g, '-'));
    const cache = join(project, '.cache');
    await mkdir(project);
    await writeLockfileProject(project, served.packages);
    const badRoot = join(project, 'bad_root.json');
    await writeFile(badRoot, text);
    const check = (root: string) => runCli(['check', project, '--registry', served.registry.url, '--trusted-root', root, '--cache', cache, '--now', NOW, '--json']);

    expect((await check(served.trustedRoot)).code).toBe(0);
    served.registry.resetLog();
    const run = await check(badRoot);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout).error.code).toBe('TRUSTED_ROOT_INVALID');
    expect(served.registry.requests.map((r) => r.path).filter((path) => !path.startsWith('/-/npm/v1/keys'))).toEqual([]);
  });
});

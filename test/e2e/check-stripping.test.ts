import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, startFixtureRegistry, syntheticScenario, type FixtureRegistry } from '../support/index.js';
import { makeTempDir } from '../support/fixture-project.js';
import { writeLockfileProject } from '../support/lockfile-project.js';
import { runCli } from '../support/run-cli.js';

// A registry that publishes keys but serves no signature for any package (a mirror that strips
// them, like this project's development mirror): the gate fails, and says why once, plainly,
// instead of a line per package.
describe('a registry that strips signatures', () => {
  const pki = createTestPki();
  const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
  const scenario = syntheticScenario(pki, names.map((name) => ({ name, version: '1.0.0' })), { provenanceShare: 0, sign: false });
  let registry: FixtureRegistry;
  let dir: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ dir, cleanup } = await makeTempDir());
    registry = await startFixtureRegistry({ ...scenario, keys: pki.npmKeys() });
  });
  afterAll(async () => {
    await registry.close();
    await cleanup();
  });

  it('fails with one explanation, not a wall of identical lines', async () => {
    const project = join(dir, 'project');
    await mkdir(project);
    await writeLockfileProject(project, scenario.packages);
    const trustedRoot = join(dir, 'trusted_root.json');
    pki.writeTrustedRoot(trustedRoot);
    const result = await runCli(['check', project, '--registry', registry.url, '--trusted-root', trustedRoot, '--cache', join(dir, 'cache'), '--now', '2026-11-23T00:00:00Z'], { env: { CI: 'true' } });
    expect(result.code).toBe(1);
    expect(result.stderr.match(/most likely a mirror or proxy that strips dist\.signatures/g)).toHaveLength(1);
    expect(result.stderr).toMatch(/SIGNATURE_MISSING: the registry strips signatures, see above \(7\)/);
    for (const name of names) expect(result.stderr).not.toContain(`${name}@1.0.0 rejected`);
  });
});

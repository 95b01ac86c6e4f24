import { join } from 'node:path';
import { makeTempDir } from './fixture-project.js';
import { startFixtureRegistry, type FixtureRegistry, type syntheticScenario, type TestPki } from './index.js';

export interface ServedScenario {
  dir: string;
  trustedRoot: string;
  registry: FixtureRegistry;
  // Closes the registry, then removes the folder.
  cleanup: () => Promise<void>;
}

// A temporary folder with the test PKI's trusted root in it, and the fixture registry serving the
// scenario with the PKI's npm keys: what every end-to-end file that runs the gate sets up first.
export async function serveScenario(pki: TestPki, scenario: ReturnType<typeof syntheticScenario>): Promise<ServedScenario> {
  const { dir, cleanup } = await makeTempDir();
  const trustedRoot = join(dir, 'trusted_root.json');
  pki.writeTrustedRoot(trustedRoot);
  const registry = await startFixtureRegistry({ ...scenario, keys: pki.npmKeys() });
  return {
    dir,
    trustedRoot,
    registry,
    cleanup: async () => {
      await registry.close();
      await cleanup();
    },
  };
}

import { createTestPki, syntheticScenario, type TestPki } from './index.js';
import type { LockfilePackage } from './lockfile-project.js';
import { afterAll, beforeAll } from 'vitest';
import { serveScenario, type ServedScenario } from './serve-scenario.js';

// Four packages, half with provenance, signed by a registry key valid long before: the tree the
// cache tests fill a cache with and run again from it.
export function cacheScenario(): { pki: TestPki; scenario: ReturnType<typeof syntheticScenario>; packages: LockfilePackage[] } {
  const pki = createTestPki({ registryKeyValidFrom: new Date('2020-01-01T00:00:00Z') });
  const scenario = syntheticScenario(pki, [
    { name: 'alpha', version: '1.0.0' },
    { name: '@scope/beta', version: '2.1.0' },
    { name: 'gamma', version: '0.3.0' },
    { name: 'delta', version: '4.0.0' },
  ], { provenanceShare: 0.5, seed: 'offline', attestation: { time: new Date('2026-11-01T12:00:00Z') } });
  return { pki, scenario, packages: scenario.packages.map((p) => ({ name: p.name, version: p.version, integrity: p.integrity })) };
}

export interface ServedCacheScenario extends ServedScenario {
  packages: LockfilePackage[];
}

// The cache scenario served to the tests of one describe block: started before them, stopped
// after; its fields are read inside the tests.
export function serveCacheScenario(): ServedCacheScenario {
  const { pki, scenario, packages } = cacheScenario();
  const served = { packages } as ServedCacheScenario;
  beforeAll(async () => {
    Object.assign(served, await serveScenario(pki, scenario));
  });
  afterAll(() => served.cleanup());
  return served;
}

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, describe, expect, test } from 'vitest';
import { httpGet } from './http-get.js';
import { installNetworkGuard } from './network-guard.mjs';
import { makeNpmAttestations } from './attestations.js';
import type { AttestationsDocument } from './attestations.js';
import { createTestPki } from './pki.js';
import { npmTufKeys, publicGoodTrustedRoot, recordedScenario } from './recorded.js';
import { startFixtureRegistry } from './registry.js';
import { syntheticScenario } from './scenario.js';
import { verifyBundleJson } from './sigstore-verify.js';

// Installed before anything opens a socket in this (forked) test process.
const guard = installNetworkGuard();
afterAll(() => guard.restore());

describe('nothing reaches beyond 127.0.0.1', () => {
  test('the guard refuses non-loopback connections', async () => {
    await expect(fetch('http://192.0.2.1:8080/')).rejects.toThrow();
    expect(guard.refused).toContain('192.0.2.1:8080');
    guard.refused.length = 0;
  });

  test('a Node process a test spawns is guarded too (NODE_OPTIONS from the setup file)', async () => {
    const script = "fetch('http://192.0.2.1:8080/').then(() => console.log('connected'), (e) => console.log(e.cause?.message ?? e.message))";
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script]);
    expect(stdout).toMatch(/^network guard: connection to 192\.0\.2\.1:8080 refused/);
  });

  test('PKI, scenarios, the registry (fetch and raw http) and verification stay on loopback', async () => {
    const pki = createTestPki({ withTsa: true });
    const synthetic = syntheticScenario(pki, [{ name: '@n/a', version: '1.0.0' }], { provenanceShare: 1 });
    const recorded = recordedScenario();
    const registry = await startFixtureRegistry({ packages: [...synthetic.packages, ...recorded.packages], keys: pki.npmKeys() });
    try {
      for (const p of [...synthetic.packages, ...recorded.packages]) {
        const name = p.name.replace('/', '%2f');
        const packument = (await (await fetch(`${registry.url}/${name}`)).json()) as {
          versions: Record<string, { dist: { attestations?: { url: string } } }>;
        };
        const url = packument.versions[p.version]?.dist.attestations?.url;
        expect(url).toBeDefined();
        const doc = (await (await fetch(url ?? '')).json()) as AttestationsDocument;
        const own = p.name === '@n/a';
        for (const a of doc.attestations) {
          verifyBundleJson(a.bundle, own ? pki.trustedRoot() : publicGoodTrustedRoot(), { keys: own ? pki.tufKeys() : npmTufKeys() });
        }
      }
      expect((await httpGet(`${registry.url}/-/npm/v1/keys`)).json()).toEqual(pki.npmKeys());
      makeNpmAttestations(pki, synthetic.packages[0] ?? { name: 'x', version: '1.0.0', integrity: '' });
    } finally {
      await registry.close();
    }
    expect(guard.refused).toEqual([]);
    expect(guard.connected.length).toBeGreaterThan(0);
    for (const target of guard.connected) expect(target).toMatch(/^(127\.0\.0\.1|::1|localhost):\d+$/);
  });
});

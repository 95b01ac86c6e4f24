import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AttestationsDocument } from './attestations.js';
import { httpGet } from './http-get.js';
import { negativeRecordedDocuments, npmTufKeys, publicGoodTrustedRoot, recordedScenario } from './recorded.js';
import { type FixtureRegistry, startFixtureRegistry } from './registry.js';
import { verifyBundleJson } from './sigstore-verify.js';

const scenario = recordedScenario();
const root = publicGoodTrustedRoot();
const keys = npmTufKeys();
// Every recorded entry has an inclusion promise (SET), so its integrated time is a verified
// timestamp: one timestamp and one tlog entry are required. v0.1 bundles have no inclusion proof.
const verifyReal = (bundle: unknown) =>
  verifyBundleJson(bundle, root, { keys, verifier: { tlogThreshold: 1, ctlogThreshold: 1, timestampThreshold: 1 } });

let registry: FixtureRegistry;
beforeAll(async () => {
  registry = await startFixtureRegistry(scenario);
});
afterAll(() => registry.close());

describe('recorded npm attestations served by the fixture registry', () => {
  test.each(scenario.entries.map((e) => [`${e.name}@${e.version}`, e] as const))('%s verifies offline against the public-good root', async (_spec, entry) => {
    const encoded = entry.name.replace('/', '%2f');
    const manifest = (await httpGet(`${registry.url}/${encoded}/${entry.version}`)).json<{ dist: { integrity: string; attestations: { url: string; provenance: { predicateType: string } } } }>();
    expect(manifest.dist.integrity).toBe(entry.integrity);
    expect(manifest.dist.attestations.url.startsWith(`${registry.url}/-/npm/v1/attestations/`)).toBe(true);
    const res = await httpGet(manifest.dist.attestations.url, { 'accept-encoding': 'gzip' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    const doc = res.json<AttestationsDocument>();
    expect(doc.attestations.map((a) => a.predicateType)).toEqual(entry.attestations.map((a) => a.predicateType));
    for (const att of doc.attestations) {
      const signer = verifyReal(att.bundle);
      if (att.bundle.verificationMaterial.publicKey) expect(signer.identity).toBeUndefined();
      else expect(signer.identity?.extensions?.issuer).toBe('https://token.actions.githubusercontent.com');
    }
  });

  test('the negative fixtures fail exactly where index.json says they do', () => {
    const negatives = negativeRecordedDocuments();
    expect(negatives.length).toBeGreaterThan(0);
    for (const { entry, document } of negatives) {
      document.attestations.forEach((att, i) => {
        const expected = entry.attestations[i]?.verifiesOffline;
        if (expected) expect(() => verifyReal(att.bundle), `${entry.file}#${i}`).not.toThrow();
        else expect(() => verifyReal(att.bundle), `${entry.file}#${i}`).toThrow();
      });
    }
  });

  test('the real npm keys are served in the /-/npm/v1/keys shape', async () => {
    const body = (await httpGet(`${registry.url}/-/npm/v1/keys`)).json<{ keys: Array<{ keyid: string; expires: string | null }> }>();
    expect(body.keys.map((k) => k.keyid)).toEqual([
      'SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA',
      'SHA256:DhQ8wR5APBvFHLF/+Tc+AYvPOdTpcIDqOhxsBHRwC7U',
    ]);
    expect(body.keys[0]?.expires).toBe('2025-01-29T00:00:00.000Z');
    expect(body.keys[1]?.expires).toBeNull();
  });
});

import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultWorkerCount } from '../../src/check/verifier-pool.js';
import { MAX_ATTESTATIONS } from '../../src/verify/attestation/document.js';
import { createTestPki, makeNpmAttestations, startFixtureRegistry, syntheticScenario, type AttestationsDocument, type FixtureRegistry } from '../support/index.js';
import { checkRun, createWorkspace, pinned, PUBLISHED, writeTrustFiles, type CheckRun, type Workspace } from '../support/attack-kit.js';

// Attacks on the gate's time, end to end with the REAL CLI: a registry serving attestations
// documents that are expensive to verify. A document past MAX_ATTESTATIONS entries is refused
// unverified (INPUT_TOO_LARGE), one whose entries claim a role twice is refused before any of its
// bundles is verified, and --timeout bounds verification too: what is not verified by the
// deadline is FETCH_FAILED (kind 'deadline'), exit 3, with the report written. The time limits
// asserted are generous sanity bounds (the machine may be loaded), not benchmarks.
const COPIES = 1_000;
// Packages whose every bundle verifies: 2,000 per verification worker the run starts here, each
// with MAX_ATTESTATIONS bundles, so that verifying them all takes several times the deadline
// (about 18 s per worker on the 2-core machine this was measured on) however fast or wide the
// machine. A fixed count was verified within the deadline once verification got faster.
const SLOW_PACKAGES = 2_000 * defaultWorkerCount();
const TIMEOUT_SECONDS = 5;

describe('check: attacks on the time verification takes', () => {
  const pki = createTestPki();
  let ws: Workspace;
  let trust: { trustedRoot: string; registryKeys: string };
  let registry: FixtureRegistry;
  const scenario = syntheticScenario(
    pki,
    ['atk-copies', 'atk-duplicate', ...Array.from({ length: SLOW_PACKAGES }, (_, i) => `atk-slow-${i}`)].map((name) => ({ name, version: '1.0.0' })),
    { provenanceShare: 0 },
  );
  // A valid document (provenance + publish), signed once; the attacks are built from its entries.
  const valid = makeNpmAttestations(pki, { name: 'atk-copies', version: '1.0.0', integrity: scenario.packages[0]!.integrity }, { time: PUBLISHED });
  const [provenance, publish] = valid.attestations as [AttestationsDocument['attestations'][number], AttestationsDocument['attestations'][number]];
  const documents: Record<string, AttestationsDocument> = {
    // Many copies of a valid bundle: each would verify.
    'atk-copies': { attestations: [provenance, publish, ...Array.from({ length: COPIES }, () => provenance)] },
    // One copy: the document claims two provenance attestations.
    'atk-duplicate': { attestations: [provenance, publish, provenance] },
  };
  // At the bound, with no role claimed twice (the copies are labelled with predicate types this
  // tool records without interpreting): every bundle of it is verified.
  const atTheBound: AttestationsDocument = {
    attestations: [provenance, publish, ...Array.from({ length: MAX_ATTESTATIONS - 2 }, (_, i) => ({ ...provenance, predicateType: `https://example.com/other/v${i}` }))],
  };

  beforeAll(async () => {
    ws = await createWorkspace();
    trust = await writeTrustFiles(ws, pki);
    registry = await startFixtureRegistry({
      ...scenario,
      packages: scenario.packages.map((p) => ({ ...p, attestations: documents[p.name] ?? atTheBound })),
    });
  });
  afterAll(async () => {
    await registry?.close();
    await ws?.cleanup();
  });

  const run = async (label: string, names: readonly string[], extraArgs: readonly string[] = []): Promise<{ run: CheckRun; ms: number }> => {
    const started = Date.now();
    const result = await checkRun({ ws, label, registry, packages: pinned(scenario, names.map((n) => `${n}@1.0.0`)), ...trust, extraArgs });
    return { run: result, ms: Date.now() - started };
  };

  it(`${COPIES} copies of a valid bundle in one document: INPUT_TOO_LARGE, unverified, quickly (exit 1)`, async () => {
    const { run: result, ms } = await run('copies', ['atk-copies']);
    expect(result.codes('atk-copies')).toEqual(['INPUT_TOO_LARGE']);
    expect(result.pkg('atk-copies').evidence?.attestations).toEqual([]);
    expect(result.code).toBe(1);
    expect(ms).toBeLessThan(20_000);
  }, 120_000);

  it('a document claiming provenance twice: DUPLICATE_PREDICATE_TYPE, no bundle of it verified (exit 1)', async () => {
    const { run: result } = await run('duplicate', ['atk-duplicate']);
    expect(result.codes('atk-duplicate')).toContain('DUPLICATE_PREDICATE_TYPE');
    expect(result.pkg('atk-duplicate').evidence?.attestations).toEqual([]);
    expect(result.code).toBe(1);
  }, 120_000);

  it(`--timeout ${TIMEOUT_SECONDS} bounds verification: packages at the bound not verified by then end incomplete near the deadline (exit 3, report written)`, async () => {
    const { run: result, ms } = await run('deadline', scenario.packages.slice(2).map((p) => p.name), [
      '--timeout', String(TIMEOUT_SECONDS),
      // Many packages in flight at once: without a deadline on verification, all those fetched
      // would be verified before the run ends.
      '--concurrency', '128',
    ]);
    const verified = result.report.packages.filter((p) => p.evidence !== null).length;
    console.log(`${SLOW_PACKAGES} packages of ${MAX_ATTESTATIONS} attestations under --timeout ${TIMEOUT_SECONDS}: ${ms} ms, ${verified} verified`);
    // CLI start-up, the deadline, and the report: far less than verifying every package takes.
    expect(ms).toBeLessThan(TIMEOUT_SECONDS * 1000 + 10_000);
    expect(result.code).toBe(3);
    expect(result.report.verdict).toBe('incomplete');
    const late = result.report.packages.filter((p) => p.findings.some((f) => f.code === 'FETCH_FAILED' && (f.details as { kind?: string } | undefined)?.kind === 'deadline'));
    expect(late.length).toBeGreaterThan(0);
    for (const pkg of late) expect(pkg.verdict).toBe('incomplete');
    expect((await stat(join(ws.dir, 'deadline', 'project', 'verify-deps-report.json'))).isFile()).toBe(true);
  }, 180_000);
});

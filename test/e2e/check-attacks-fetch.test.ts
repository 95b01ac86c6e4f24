import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, mutate, startFixtureRegistry, syntheticScenario, SLSA_PROVENANCE_V1, type AttestationsDocument, type FixtureRegistry, type RegistryScenario } from '../support/index.js';
import { checkRun, createWorkspace, pinned, PUBLISHED, type CheckRun, type CheckRunOptions, type Workspace, writeTrustFiles } from '../support/attack-kit.js';

// Attacks on the fetch itself, end to end with the REAL CLI: a registry that withholds, truncates or
// garbles evidence. Evidence that cannot be had is FETCH_FAILED and the gate fails closed (exit 3,
// verdict incomplete); a complete document of the wrong shape is a verification failure (exit 1).
// The exit code is the whole run's, so every attack has a run (and a project) of its own; the
// positive control checks the same packages, unfaulted, in one run.
const P = {
  truncated: 'atk-att-truncated',
  nonJson: 'atk-att-nonjson',
  wrongShape: 'atk-att-wrong-shape',
  missing: 'atk-att-404',
  unavailable: 'atk-manifest-503',
} as const;
const NAMES = Object.values(P);
const attestationsPath = (name: string) => `/-/npm/v1/attestations/${name}@1.0.0`;

// Complete, valid JSON, but the entry's bundle is a string, not a Sigstore bundle object.
const WRONG_SHAPE = { attestations: [{ predicateType: SLSA_PROVENANCE_V1, bundle: 'not a bundle' }] } as unknown as AttestationsDocument;

describe('check: attacks on fetching the evidence', () => {
  const pki = createTestPki();
  let ws: Workspace;
  let base: RegistryScenario;
  let baseRegistry: FixtureRegistry;
  let attackRegistry: FixtureRegistry;
  const runs: Record<string, CheckRun> = {};

  beforeAll(async () => {
    ws = await createWorkspace();
    base = syntheticScenario(pki, NAMES.map((name) => ({ name, version: '1.0.0' })), { provenanceShare: 1, attestation: { time: PUBLISHED } });
    baseRegistry = await startFixtureRegistry(base);
    attackRegistry = await startFixtureRegistry(mutate.withAttestations(base, P.wrongShape, '1.0.0', WRONG_SHAPE));
    attackRegistry.addFault(attestationsPath(P.truncated), { truncateAt: 100 });
    attackRegistry.addFault(attestationsPath(P.nonJson), { nonJson: true });
    attackRegistry.addFault(attestationsPath(P.missing), { status: 404 });
    attackRegistry.addFault(`/${P.unavailable}`, { status: 503 });
    const trust = {
      ...(await writeTrustFiles(ws, pki)),
    };
    const run = (label: string, registry: FixtureRegistry, names: readonly string[], extra: Partial<CheckRunOptions> = {}) =>
      checkRun({ ws, label, registry, packages: pinned(base, names.map((n) => `${n}@1.0.0`)), ...trust, ...extra }).then((r) => {
        runs[label] = r;
      });
    await Promise.all([
      run('control', baseRegistry, NAMES),
      ...[P.truncated, P.nonJson, P.wrongShape, P.missing].map((name) => run(name, attackRegistry, [name])),
      run(P.unavailable, attackRegistry, [P.unavailable], { extraArgs: ['--retries', '2'] }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([baseRegistry?.close(), attackRegistry?.close()]);
    await ws?.cleanup();
  });

  const result = (label: string): CheckRun => {
    const run = runs[label];
    if (!run) throw new Error(`no run ${label}`);
    return run;
  };
  // The package failed with exactly this code, in a run whose exit code and verdict are its alone.
  const expectOutcome = (name: string, code: string, exit: number, verdict: string) => {
    const run = result(name);
    expect(run.codes(name)).toEqual([code]);
    expect(run.report.verdict).toBe(verdict);
    expect(run.code).toBe(exit);
  };

  it('positive control: the same packages, unfaulted, pass (exit 0) with signature and both attestations verified', () => {
    const control = result('control');
    expect(control.report.packages.flatMap((p) => p.findings)).toEqual([]);
    expect(control.report.verdict).toBe('pass');
    expect(control.code).toBe(0);
    expect(control.report.packages.map((p) => p.name).sort()).toEqual([...NAMES].sort());
    for (const pkg of control.report.packages) {
      expect(pkg.evidence?.registrySignature.status).toBe('verified');
      expect(pkg.evidence?.attestations.map((a) => a.status)).toEqual(['verified', 'verified']);
    }
  });

  it('13a. a truncated attestations document → FETCH_FAILED, exit 3', () => {
    expectOutcome(P.truncated, 'FETCH_FAILED', 3, 'incomplete');
    expect(result(P.truncated).pkg(P.truncated).evidence).toBeNull();
  });

  it('13b. a non-JSON attestations document → FETCH_FAILED, exit 3', () => {
    expectOutcome(P.nonJson, 'FETCH_FAILED', 3, 'incomplete');
    expect(result(P.nonJson).pkg(P.nonJson).findings[0]?.details).toMatchObject({ kind: 'malformed' });
  });

  it('13c. a complete attestations document of the wrong shape → ATTESTATIONS_MALFORMED, exit 1', () => {
    expectOutcome(P.wrongShape, 'ATTESTATIONS_MALFORMED', 1, 'fail');
    expect(result(P.wrongShape).pkg(P.wrongShape).evidence?.registrySignature.status).toBe('verified');
  });

  it('14. attestations advertised by the manifest but answered 404 → FETCH_FAILED, exit 3', () => {
    expectOutcome(P.missing, 'FETCH_FAILED', 3, 'incomplete');
    expect(result(P.missing).pkg(P.missing).findings[0]?.details).toMatchObject({ kind: 'not-found' });
    expect(attackRegistry.count(attestationsPath(P.missing))).toBe(1); // a 404 is an answer, not retried
  });

  it('15. the packument of the package answered 503 on every try → FETCH_FAILED, exit 3, after 1 + 2 retries', () => {
    expectOutcome(P.unavailable, 'FETCH_FAILED', 3, 'incomplete');
    expect(result(P.unavailable).pkg(P.unavailable).findings[0]?.details).toMatchObject({ kind: 'unreachable' });
    const tries = attackRegistry.requestsFor(`/${P.unavailable}`);
    expect(tries.map((r) => r.status)).toEqual([503, 503, 503]);
    expect(attackRegistry.count(attestationsPath(P.unavailable))).toBe(0);
  });
});

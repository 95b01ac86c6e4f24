import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, mutate, sha512Integrity, startFixtureRegistry, syntheticScenario, type FixtureRegistry, type RegistryScenario } from '../support/index.js';
import { createWorkspace, pinned, NOW, PUBLISHED, type ReportJson, type Workspace, writeTrustFiles } from '../support/attack-kit.js';
import { writeLockfileProject } from '../support/lockfile-project.js';
import { rulesPolicy, policyRun } from '../support/policy-kit.js';
import { runCli, type CliRun } from '../support/run-cli.js';
import { validateVsa } from '../support/vsa-schema.js';

// "Verified" means a registry signature over the lockfile's digest, or an attestation whose subject
// is the lockfile's digest, verified, and no finding of the package was waived. Whatever else the
// policy lets through is never listed as verified: not in the SRI manifest's digests, not as a
// dependency counted by the verification summary (whose result is then FAILED), not as verified in the report,
// and every summary (human, --quiet, GitHub annotations and job summary, GitLab, --json) counts it
// on a line of its own.

interface SriManifestJson {
  packages: Array<{ name: string; version: string; integrity: string }>;
  notVerified: Array<{ name: string; version: string; reasons: string[] }>;
}
interface VsaJson {
  subject: Array<{ name: string; digest: { sha256: string } }>;
  predicate: { verificationResult: string; verifiedLevels: string[]; dependencyLevels: Record<string, number>; [VERIFIED_DEPENDENCIES]: Array<{ name: string; digest: { sha512: string } }> };
}
const VERIFIED_DEPENDENCIES = 'https://github.com/verify-deps/verify-deps/vsa/verifiedDependencies';

interface Outputs {
  run: { code: number | null; stderr: string };
  report: ReportJson;
  sri: SriManifestJson;
  vsa: VsaJson;
  stepSummary: string;
  gitlab: Array<{ check_name: string; description: string }>;
}

const SUMMARY_LINE = (n: number) => new RegExp(`^ *passed without verified evidence: ${n} packages?\\b`, 'm');
const ANNOTATION = (n: number) => new RegExp(`^::warning [^\\n]*title=passed without verified evidence::passed without verified evidence: ${n} packages?\\b`, 'm');
const readJson = async <T>(path: string): Promise<T> => JSON.parse(await readFile(path, 'utf8')) as T;

// The CI files a run writes, and the CLI arguments and environment that ask for them.
async function ciFiles(dir: string): Promise<{ args: string[]; env: NodeJS.ProcessEnv; read: (project: string) => Promise<Omit<Outputs, 'run' | 'report'>> }> {
  const summary = join(dir, 'step-summary.md');
  const gitlab = join(dir, 'gl-code-quality.json');
  const vsa = join(dir, 'vsa.json');
  await writeFile(summary, '');
  return {
    args: ['--vsa', vsa, '--gitlab-report', gitlab],
    env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary, CI: 'true' },
    read: async (project) => ({
      sri: await readJson<SriManifestJson>(join(project, 'sri-manifest.json')),
      vsa: await readJson<VsaJson>(vsa),
      stepSummary: await readFile(summary, 'utf8'),
      gitlab: await readJson(gitlab),
    }),
  };
}

describe('(a) a registry that publishes no keys and serves no signatures or attestations', () => {
  const pki = createTestPki();
  const names = ['plain-a', 'plain-b', 'plain-c'];
  const scenario = syntheticScenario(pki, names.map((name) => ({ name, version: '1.0.0' })), { provenanceShare: 0, sign: false });
  let registry: FixtureRegistry;
  let ws: Workspace;
  let trustedRoot: string;

  // No --registry-keys, and the fixture registry's /-/npm/v1/keys is a 404: it publishes none. The
  // default policy refuses such packages (NO_EVIDENCE, test/e2e/check-keyless.test.ts); this policy
  // accepts the registry unsigned, so the gate lets them through, unverified.
  const gate = async (label: string, extra: string[], env: NodeJS.ProcessEnv = {}) => {
    const project = join(ws.dir, label, 'project');
    await mkdir(project, { recursive: true });
    await writeLockfileProject(project, scenario.packages);
    const policy = join(ws.dir, label, 'policy.json');
    const accepting = { version: 1, enforcement: 'strict', registries: { unsigned: [new URL(registry.url).host] }, rules: [{ name: 'everything', match: { package: '*' } }] };
    await writeFile(policy, JSON.stringify(accepting));
    const run = await runCli(['check', project, '--registry', registry.url, '--trusted-root', trustedRoot, '--cache', join(ws.dir, label, 'cache'), '--now', NOW, '--policy', policy, ...extra], { env: { CI: 'true', ...env } });
    return { project, run };
  };
  let full: Outputs;
  let audit: Outputs;
  let quiet: CliRun;

  beforeAll(async () => {
    ws = await createWorkspace();
    ({ trustedRoot } = await writeTrustFiles(ws, pki));
    registry = await startFixtureRegistry({ ...scenario, keys: null });
    const fullCi = await ciFiles(await mkdirIn(ws.dir, 'full-ci'));
    const auditCi = await ciFiles(await mkdirIn(ws.dir, 'audit-ci'));
    const [a, b, c] = await Promise.all([
      gate('full', ['--json', ...fullCi.args], fullCi.env),
      gate('audit', ['--json', '--mode', 'audit', ...auditCi.args], auditCi.env),
      gate('quiet', ['--quiet']),
    ]);
    full = { run: a.run, report: JSON.parse(a.run.stdout) as ReportJson, ...(await fullCi.read(a.project)) };
    audit = { run: b.run, report: JSON.parse(b.run.stdout) as ReportJson, ...(await auditCi.read(b.project)) };
    quiet = c.run;
  });
  afterAll(async () => {
    await registry?.close();
    await ws?.cleanup();
  });

  it('a policy that accepts the keyless registry unsigned lets every package through, but none is verified', () => {
    expect(full.report.registries).toMatchObject([{ publishesKeys: false }]);
    expect(full.report.verdict).toBe('pass');
    expect(full.run.code).toBe(0);
    for (const pkg of full.report.packages) {
      // The policy's acceptance stands as an audit finding (NO_EVIDENCE): reported, never verified.
      expect(pkg.verification).toEqual({ verified: false, verifiedBy: [], reasons: [{ kind: 'registry-publishes-no-keys' }, { kind: 'findings-standing', codes: ['NO_EVIDENCE'] }] });
    }
    expect(full.report.counts).toMatchObject({ verified: 0, passedWithoutVerifiedEvidence: 3 });
    expect(full.report.notVerified).toEqual(names.map((name) => ({ name, version: '1.0.0', reasons: [{ kind: 'registry-publishes-no-keys' }, { kind: 'findings-standing', codes: ['NO_EVIDENCE'] }] })));
  });

  for (const [label, get] of [['accepted unsigned', () => full], ['--mode audit', () => audit]] as const) {
    it(`${label}: the SRI manifest lists no digest as verified; each package is in notVerified with its reason`, () => {
      const { sri } = get();
      expect(sri.packages).toEqual([]);
      expect(sri.notVerified).toEqual(names.map((name) => ({ name, version: '1.0.0', reasons: ['registry-publishes-no-keys', 'findings-standing'] })));
      for (const pkg of scenario.packages) expect(JSON.stringify(sri)).not.toContain(pkg.integrity);
    });

    it(`${label}: the verification summary counts no dependency as verified and says FAILED`, () => {
      const { vsa } = get();
      expect(validateVsa(vsa)).toEqual([]);
      expect(vsa.subject.map((s) => s.name)).toEqual(['package-lock.json']);
      expect(vsa.predicate[VERIFIED_DEPENDENCIES]).toEqual([]);
      expect(vsa.predicate.dependencyLevels).toEqual({});
      expect(vsa.predicate.verificationResult).toBe('FAILED');
      expect(vsa.predicate.verifiedLevels).toEqual(['FAILED']);
    });
  }

  it('every summary says how many passed without verified evidence, on a line of its own', () => {
    // The human summary is on stderr whatever --json does with stdout.
    expect(full.run.stderr).toMatch(SUMMARY_LINE(3));
    expect(full.run.stderr).toMatch(ANNOTATION(3));
    expect(full.stepSummary).toMatch(SUMMARY_LINE(3));
    expect(full.gitlab.filter((issue) => issue.check_name === 'passed-without-verified-evidence')).toHaveLength(1);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toMatch(SUMMARY_LINE(3));
    expect(audit.run.stderr).toMatch(SUMMARY_LINE(3));
    expect(audit.report.counts.passedWithoutVerifiedEvidence).toBe(3);
  });
});

describe('(b) an exception that waives a forged or mismatched digest', () => {
  const pki = createTestPki();
  const CLEAN = 'clean';
  // The registry serves another dist.integrity than the lockfile's (which it signed and attested).
  const SERVED_OTHER = 'served-other';
  // The lockfile pins a sha512 the registry neither serves, signs nor attests.
  const FORGED_PIN = 'forged-pin';
  const OTHER_SHA512 = sha512Integrity(Buffer.from('bytes the registry never served'));
  const exception = (pkg: string, waive: string[]) => ({ package: pkg, waive, reason: 'vendor re-published', approvedBy: 'sec@example.com', expires: '2027-01-01' });
  const EXCEPTIONS = [
    exception(`${SERVED_OTHER}@1.0.0`, ['INTEGRITY_MISMATCH']),
    exception(`${FORGED_PIN}@1.0.0`, ['INTEGRITY_MISMATCH', 'SIGNATURE_INVALID', 'SUBJECT_DIGEST_MISMATCH']),
  ];
  let registry: FixtureRegistry;
  let ws: Workspace;
  let full: Outputs;
  let quiet: { code: number | null; stderr: string };

  beforeAll(async () => {
    ws = await createWorkspace();
    let scenario: RegistryScenario = syntheticScenario(pki, [CLEAN, SERVED_OTHER, FORGED_PIN].map((name) => ({ name, version: '1.0.0' })), { provenanceShare: 1, attestation: { time: PUBLISHED } });
    scenario = mutate.withPackage(scenario, SERVED_OTHER, '1.0.0', { integrity: OTHER_SHA512 });
    registry = await startFixtureRegistry(scenario);
    const { trustedRoot, registryKeys } = await writeTrustFiles(ws, pki);
    const packages = pinned(scenario, [CLEAN, SERVED_OTHER, FORGED_PIN].map((n) => `${n}@1.0.0`)).map((p) => {
      if (p.name === FORGED_PIN) return { ...p, integrity: OTHER_SHA512 };
      // The lockfile keeps the digest the registry signed and attested, not the one it now serves.
      if (p.name === SERVED_OTHER) return { ...p, integrity: sha512Integrity(scenario.packages.find((s) => s.name === SERVED_OTHER)?.tarball ?? Buffer.alloc(0)) };
      return p;
    });
    const policy = rulesPolicy([{ name: 'every package', match: { package: '*' } }], { exceptions: EXCEPTIONS });
    const ci = await ciFiles(await mkdirIn(ws.dir, 'ci'));
    const base = { ws, registry, trustedRoot, registryKeys, packages, policy };
    const [a, b] = await Promise.all([
      policyRun({ ...base, label: 'full', args: ci.args, env: ci.env }),
      policyRun({ ...base, label: 'quiet', args: ['--quiet'] }),
    ]);
    full = { run: a, report: a.report, ...(await ci.read(join(ws.dir, 'full', 'project'))) };
    quiet = b;
  });
  afterAll(async () => {
    await registry?.close();
    await ws?.cleanup();
  });

  it('the waivers let the gate pass; the waived packages are not verified, with the codes and the exception that waived them', () => {
    const { report } = full;
    expect(report.verdict).toBe('pass');
    const pkg = (name: string) => report.packages.find((p) => p.name === name);
    expect(pkg(CLEAN)?.verification).toEqual({ verified: true, verifiedBy: ['registry-signature', 'attestation'], reasons: [] });
    expect(pkg(SERVED_OTHER)?.waived.map((f) => f.code)).toEqual(['INTEGRITY_MISMATCH']);
    expect(pkg(SERVED_OTHER)?.verification).toEqual({
      verified: false,
      // The signature and attestations do cover the lockfile's digest; the waived mismatch still
      // keeps the package out of what is called verified.
      verifiedBy: ['registry-signature', 'attestation'],
      reasons: [{ kind: 'findings-waived', waived: [{ code: 'INTEGRITY_MISMATCH', exception: `${SERVED_OTHER}@1.0.0` }] }],
    });
    const forged = pkg(FORGED_PIN)?.verification;
    expect(forged?.verified).toBe(false);
    expect(forged?.verifiedBy).toEqual([]);
    expect(forged?.reasons[0]).toMatchObject({ kind: 'no-verified-evidence' });
    expect(forged?.reasons[1]).toMatchObject({ kind: 'findings-waived' });
    expect(report.counts).toMatchObject({ verified: 1, passedWithoutVerifiedEvidence: 2 });
    expect(report.notVerified.map((n) => n.name)).toEqual([FORGED_PIN, SERVED_OTHER]);
  });

  it('the SRI manifest lists only the verified digest; the forged one appears nowhere in it', () => {
    expect(full.sri.packages.map((p) => p.name)).toEqual([CLEAN]);
    expect(full.sri.notVerified).toEqual([
      { name: FORGED_PIN, version: '1.0.0', reasons: ['no-verified-evidence', 'findings-waived'] },
      { name: SERVED_OTHER, version: '1.0.0', reasons: ['findings-waived'] },
    ]);
    expect(JSON.stringify(full.sri)).not.toContain(OTHER_SHA512);
  });

  it('the verification summary covers the verified package only, and says FAILED: not everything verified', () => {
    expect(validateVsa(full.vsa)).toEqual([]);
    expect(full.vsa.predicate[VERIFIED_DEPENDENCIES].map((s) => s.name)).toEqual([`pkg:npm/${CLEAN}@1.0.0`]);
    expect(Object.values(full.vsa.predicate.dependencyLevels).reduce((a, b) => a + b, 0)).toBe(1);
    expect(full.vsa.predicate.verificationResult).toBe('FAILED');
    expect(full.vsa.predicate.verifiedLevels).toEqual(['FAILED']);
  });

  it('every summary says how many passed without verified evidence, on a line of its own', () => {
    expect(full.run.stderr).toMatch(SUMMARY_LINE(2));
    expect(full.run.stderr).toMatch(ANNOTATION(2));
    expect(full.stepSummary).toMatch(SUMMARY_LINE(2));
    expect(full.gitlab.filter((issue) => issue.check_name === 'passed-without-verified-evidence')).toHaveLength(1);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toMatch(SUMMARY_LINE(2));
  });
});

async function mkdirIn(dir: string, name: string): Promise<string> {
  const path = join(dir, name);
  await mkdir(path, { recursive: true });
  return path;
}

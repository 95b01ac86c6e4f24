import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import cacache from 'cacache';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheScenario } from '../support/cache-scenario.js';
import type { FixtureRegistry } from '../support/index.js';
import { writeLockfileProject } from '../support/lockfile-project.js';
import { runCli } from '../support/run-cli.js';
import { serveScenario } from '../support/serve-scenario.js';

const NOW = '2026-11-23T00:00:00Z';
const exists = async (path: string) => (await stat(path).catch(() => null)) !== null;

type ReportPackage = { name: string; findings: Array<{ code: string }> };

// Whoever can write the cache directory (a CI cache restored from another branch, a shared
// volume) can rewrite its index and content together, which cacache's integrity check does not
// see. Evidence from the cache is verified again; a verification result is reused only when this
// machine's key vouches for it.
describe('a cache rewritten under a forged integrity', () => {
  const { pki, scenario, packages } = cacheScenario();
  let registry: FixtureRegistry;
  let dir: string;
  let trustedRoot: string;
  let cleanup: () => Promise<void>;

  const check = (project: string, cache: string, stateDir: string, ...extra: string[]) =>
    runCli(['check', project, '--registry', registry.url, '--trusted-root', trustedRoot, '--cache', cache, '--now', NOW, '--json', ...extra], {
      env: { VERIFY_DEPS_STATE_DIR: stateDir },
    });
  // A project checked once with the genuine lockfile: the cache holds its evidence and results.
  const warmProject = async (name: string): Promise<{ project: string; cache: string; stateDir: string }> => {
    const project = join(dir, name);
    const cache = join(dir, `${name}-cache`);
    const stateDir = join(dir, `${name}-state`);
    await mkdir(project);
    await writeLockfileProject(project, packages);
    const first = await check(project, cache, stateDir);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout).verdict).toBe('pass');
    return { project, cache, stateDir };
  };

  beforeAll(async () => {
    ({ dir, trustedRoot, registry, cleanup } = await serveScenario(pki, scenario));
  });
  afterAll(() => cleanup());

  it('fails, online and --offline, and the forged digest is in no SRI manifest', async () => {
    const { project, cache, stateDir } = await warmProject('forged');
    // One package with provenance and one without, each pinned to bytes the registry never served.
    const targets = [packages.find((p) => scenario.attested.has(`${p.name}@${p.version}`)), packages.find((p) => !scenario.attested.has(`${p.name}@${p.version}`))];
    const forged = new Map<string, string>();
    for (const [i, target] of targets.entries()) {
      if (target === undefined) throw new Error('expected packages with and without provenance');
      const forgedIntegrity = `sha512-${Buffer.alloc(64, 0x41 + i).toString('base64')}`;
      await copyUnderForgedIntegrity(join(cache, 'evidence'), target.integrity, forgedIntegrity);
      forged.set(target.name, forgedIntegrity);
    }
    await writeLockfileProject(project, packages.map((p) => ({ ...p, integrity: forged.get(p.name) ?? p.integrity })));

    for (const extra of [[], ['--offline']]) {
      const sri = join(project, `sri-${extra.length}.json`);
      const run = await check(project, cache, stateDir, '--sri', sri, ...extra);
      expect(run.code, run.stderr).toBe(1);
      const report = JSON.parse(run.stdout);
      expect(report.verdict).toBe('fail');
      for (const name of forged.keys()) {
        const pkg = (report.packages as ReportPackage[]).find((p) => p.name === name);
        expect(pkg?.findings.map((f) => f.code)).toContain('INTEGRITY_MISMATCH');
      }
      expect(await exists(sri)).toBe(false);
      for (const integrity of forged.values()) expect(await readFile(sri, 'utf8').catch(() => '')).not.toContain(integrity);
    }
  });

  it('a warm run with the untouched cache still reuses the results: no evidence needed', async () => {
    const { project, cache, stateDir } = await warmProject('reused');
    await removeEvidence(join(cache, 'evidence'));
    registry.resetLog();
    const warm = await check(project, cache, stateDir, '--offline');
    expect(warm.code, warm.stderr).toBe(0);
    const report = JSON.parse(warm.stdout);
    expect(report.verdict).toBe('pass');
    // Reused results still carry the verified attestations.
    expect((report.packages as Array<{ evidence: { attestations: unknown[] } }>).some((p) => p.evidence.attestations.length > 0)).toBe(true);
    expect(registry.requests).toEqual([]);
  });

  it('another machine\'s key (a CI cache restored on a new runner) vouches for no result: the evidence is verified again', async () => {
    const { project, cache } = await warmProject('new-runner');
    const newRunner = join(dir, 'new-runner-other-state');
    registry.resetLog();
    // The evidence is in the cache: no request, verified again under this runner's key.
    const verified = await check(project, cache, newRunner, '--offline');
    expect(verified.code, verified.stderr).toBe(0);
    expect(registry.requests).toEqual([]);
    // Without the evidence, nothing can be verified: the first key's results are not reused.
    await removeEvidence(join(cache, 'evidence'));
    const third = join(dir, 'new-runner-third-state');
    const missed = await check(project, cache, third, '--offline');
    expect(missed.code).toBe(3);
    expect((JSON.parse(missed.stdout).packages as ReportPackage[]).every((p) => p.findings.some((f) => f.code === 'OFFLINE_CACHE_MISS'))).toBe(true);
    // The second runner's own results, sealed with its key when it verified them, are reused.
    const own = await check(project, cache, newRunner, '--offline');
    expect(own.code, own.stderr).toBe(0);
  });

  it('a key inside the cache directory is not used: results are not reused, and the run says so', async () => {
    const { project, cache } = await warmProject('key-in-cache');
    await removeEvidence(join(cache, 'evidence'));
    const inside = await check(project, cache, join(cache, 'state'), '--offline');
    expect(inside.code).toBe(3);
    expect(inside.stderr).toMatch(/warning: .*result key/);
  });
});

// Every cacache entry rewritten with cacache's own API: each key and each JSON member name that
// holds the genuine integrity copied under the forged one, values unchanged.
async function copyUnderForgedIntegrity(cacheDir: string, genuine: string, forged: string): Promise<void> {
  for (const key of Object.keys(await cacache.ls(cacheDir))) {
    const text = (await cacache.get(cacheDir, key)).data.toString('utf8');
    let rewritten = text;
    try {
      rewritten = JSON.stringify(copyMembers(JSON.parse(text), genuine, forged));
    } catch {
      // Not JSON: stored as it is.
    }
    await cacache.put(cacheDir, key, rewritten);
    if (key.includes(genuine)) await cacache.put(cacheDir, key.replaceAll(genuine, forged), rewritten);
  }
}

function copyMembers(value: unknown, genuine: string, forged: string): unknown {
  if (Array.isArray(value)) return value.map((item) => copyMembers(item, genuine, forged));
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(value)) {
    copy[name] = copyMembers(member, genuine, forged);
    if (name.includes(genuine)) copy[name.replaceAll(genuine, forged)] = copyMembers(member, genuine, forged);
  }
  return copy;
}

// Deletes the stored evidence (the packs' content), keeping the index with its results.
async function removeEvidence(cacheDir: string): Promise<void> {
  for (const [key, entry] of Object.entries(await cacache.ls(cacheDir))) {
    if (key.startsWith('verify-deps:evidence-pack:')) await cacache.rm.content(cacheDir, entry.integrity);
  }
}

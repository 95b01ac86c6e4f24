// `npm run bench:quick`: the verify-deps half of the bench only, for working on speed: one tree
// (axios-1.7.9; QUICK_COPIES=6 for the ~10k tree), one latency (QUICK_LATENCY_MS, default 20),
// a cold run then a warm run (QUICK_WARM_RUNS=N: N warm runs and their median), and with
// QUICK_PROFILE=1 a --cpu-prof summary of each (self time, time under verify-deps' own stages
// and their timeline). QUICK_RULES=N adds N rounds of the cost of each rule
// (rule-costs.ts: cold runs with installScripts off, downgrade off, and npm's `min-release-age`
// set to QUICK_RELEASE_AGE_DAYS, default 7). QUICK_INSTALLED=N adds N rounds of check vs
// check --installed on a tree of real tarballs that npm ci installs (installed-cost.ts;
// QUICK_INSTALLED_TREE names its lockfile under test/fixtures/lockfiles, default axios-1.7.9;
// with QUICK_PROFILE=1 the last warm `check --installed` is profiled too).
// Never compared with npm: `npm run bench` does that.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { summarizeProfiles } from './cpu-profile.js';
import { createBenchEnvironment } from './environment.js';
import { measureInstalledCost } from './installed-cost.js';
import { median } from './measure.js';
import { measureRuleCosts } from './rule-costs.js';
import { formatTraffic } from './report.js';
import { runVerifyDeps } from './tools.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const num = (name: string, fallback: number) => (process.env[name] === undefined ? fallback : Number(process.env[name]));

async function main(): Promise<void> {
  const workDir = mkdtempSync(join(tmpdir(), 'verify-deps-quick-'));
  const copies = num('QUICK_COPIES', 1);
  const latencyMs = num('QUICK_LATENCY_MS', 20);
  const profile = num('QUICK_PROFILE', 0) > 0;
  const env = await createBenchEnvironment({
    label: copies === 1 ? 'axios-1.7.9' : `synthetic-${copies}x-axios`,
    sourceLockfileDir: join(REPO, 'test/fixtures/lockfiles/axios-1.7.9'),
    copies,
    workDir,
    provenanceShare: 0.3,
    attestationTime: new Date(Date.now() - 30 * 86_400_000),
  });
  try {
    if (latencyMs > 0) env.registry.addFault('*', { latencyMs });
    console.log(`${env.label}: ${env.packages} packages, ${env.attested} attested, ${latencyMs} ms per request, built in ${(env.buildMs / 1000).toFixed(1)} s`);
    const files = { cache: join(workDir, 'cache'), report: join(workDir, 'report.json'), sri: join(workDir, 'sri.json'), now: new Date().toISOString() };
    // QUICK_WARM_RUNS=N: the warm run N times (the machine's load varies: compare medians).
    const warmRuns = Math.max(1, num('QUICK_WARM_RUNS', 1));
    const warmWalls: number[] = [];
    const warmCpus: number[] = [];
    for (const kind of ['cold', ...Array.from({ length: warmRuns }, (_, i) => (i === 0 ? 'warm' : `warm-${i + 1}`))]) {
      const dir = join(workDir, `profile-${kind}`);
      mkdirSync(dir, { recursive: true });
      const serverCpu = process.cpuUsage();
      const run = await runVerifyDeps(env, { ...files, ...(profile ? { extraNodeArgs: ['--cpu-prof', '--cpu-prof-dir', dir] } : {}) });
      const served = process.cpuUsage(serverCpu);
      if (kind !== 'cold') {
        warmWalls.push(run.wallMs);
        warmCpus.push(run.cpuMs ?? Number.NaN);
      }
      console.log(`${kind}: wall ${(run.wallMs / 1000).toFixed(2)} s, CPU ${((run.cpuMs ?? Number.NaN) / 1000).toFixed(2)} s, load ${run.load1.toFixed(1)}, fixture registry CPU ${((served.user + served.system) / 1e6).toFixed(2)} s, peak RSS ${Math.round((run.peakRssKb ?? 0) / 1024)} MiB, requests ${run.requests}, verdict ${run.verdict}, signatures ${run.signatures}, attestations ${run.attestations}${run.problem ? `, PROBLEM ${run.problem}` : ''}`);
      console.log(`  served: ${formatTraffic(run.traffic)}`);
      for (const { thread, summary } of profile ? summarizeProfiles(dir, 25) : []) {
        console.log(`  ${thread}: profile ${(summary.totalMs / 1000).toFixed(2)} s; by module: ${summary.modules.slice(0, 10).map((m) => `${m.name} ${(m.ms / 1000).toFixed(2)}`).join('; ')}`);
        for (const f of summary.functions) console.log(`    ${(f.ms / 1000).toFixed(2).padStart(6)} s  ${f.name}`);
        for (const s of summary.inclusive) console.log(`    under ${s.name}: ${(s.ms / 1000).toFixed(2)} s`);
        for (const t of summary.timeline) console.log(`    stage ${t.name}: ${(t.fromMs / 1000).toFixed(2)}–${(t.toMs / 1000).toFixed(2)} s`);
      }
    }
    if (warmWalls.length > 1) console.log(`warm median of ${warmWalls.length}: wall ${(median(warmWalls) / 1000).toFixed(2)} s, CPU ${(median(warmCpus) / 1000).toFixed(2)} s`);
    const ruleRounds = num('QUICK_RULES', 0);
    if (ruleRounds > 0) {
      const plan = { latencyMs, rounds: ruleRounds, releaseAgeDays: num('QUICK_RELEASE_AGE_DAYS', 7) };
      for (const line of await measureRuleCosts(env, plan, { workDir, now: files.now, log: console.log })) console.log(line);
    }
    const installedRounds = num('QUICK_INSTALLED', 0);
    if (installedRounds > 0) {
      const tree = process.env.QUICK_INSTALLED_TREE ?? 'axios-1.7.9';
      const plan = { sourceLockfileDir: join(REPO, 'test/fixtures/lockfiles', tree), label: `${tree}-installed`, latencyMs, rounds: installedRounds, profile, attestationTime: new Date(Date.now() - 30 * 86_400_000) };
      for (const line of await measureInstalledCost(plan, { workDir, now: files.now, log: console.log })) console.log(line);
    }
  } finally {
    await env.close();
    // QUICK_KEEP=1 keeps the profiles and reports for a closer look.
    if (num('QUICK_KEEP', 0) > 0) console.log(`kept ${workDir}`);
    else rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

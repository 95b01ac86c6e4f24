// `npm run bench`: verify-deps check vs npm audit signatures, offline, on the axios-1.7.9 tree
// and a ~10k-package synthetic tree (copies of it under distinct names), served by the fixture
// registry with 0 and 20 ms injected latency per request. Prints everything and writes the output
// to test/bench/RESULTS.md. Defaults: five alternating rounds of every cell (npm is
// not run on the 10k tree at 0 ms); one run takes ~30 min on 2 cores, two thirds of it npm on the
// 10k tree. Knobs (env): BENCH_ROUNDS (axios @ 20 ms, default 5), BENCH_ROUNDS_0MS (axios @ 0 ms,
// 5), BENCH_ROUNDS_10K (10k @ 20 ms, 5), BENCH_ROUNDS_10K_0MS (5), BENCH_NPM_10K (npm rounds on
// 10k @ 20 ms, 5),
// BENCH_NPM_WARM (npm warm rounds per axios cell, 0), BENCH_PROFILE (0 none, 1 axios cold, 2 also
// axios warm and 10k cold), BENCH_RULE_ROUNDS (cost of each rule, axios @ 20 ms, 3; 0 skips),
// BENCH_RELEASE_AGE_DAYS (npm min-release-age for it, 7), BENCH_INSTALLED_ROUNDS (check --installed
// on a tree of real tarballs installed by npm ci, 1; 0 skips), BENCH_INSTALLED_TREE (its lockfile
// under test/fixtures/lockfiles, axios-1.7.9).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { summarizeProfiles } from './cpu-profile.js';
import { createBenchEnvironment, type BenchEnvironment } from './environment.js';
import { runCell, type CellPlan, type CellResult } from './matrix.js';
import { measureInstalledCost } from './installed-cost.js';
import { median } from './measure.js';
import { formatCell, pairRatios } from './report.js';
import { measureRuleCosts } from './rule-costs.js';
import { distDigest, snapshotBuild } from './snapshot.js';
import { CLI_BIN, NPM_BIN, runVerifyDeps, useCli } from './tools.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const AXIOS = join(REPO, 'test/fixtures/lockfiles/axios-1.7.9');
const RESULTS = join(REPO, 'test/bench/RESULTS.md');
const num = (name: string, fallback: number) => (process.env[name] === undefined ? fallback : Number(process.env[name]));
const ROUNDS = num('BENCH_ROUNDS', 5);
const ROUNDS_0MS = num('BENCH_ROUNDS_0MS', 5);
const ROUNDS_10K = num('BENCH_ROUNDS_10K', 5);
const ROUNDS_10K_0MS = num('BENCH_ROUNDS_10K_0MS', 5);
const NPM_10K = num('BENCH_NPM_10K', 5);
const NPM_WARM = num('BENCH_NPM_WARM', 0);
const PROFILE = num('BENCH_PROFILE', 1);
const RULE_ROUNDS = num('BENCH_RULE_ROUNDS', 3);
const RELEASE_AGE_DAYS = num('BENCH_RELEASE_AGE_DAYS', 7);
const INSTALLED_ROUNDS = num('BENCH_INSTALLED_ROUNDS', 1);
const INSTALLED_TREE = process.env.BENCH_INSTALLED_TREE ?? 'axios-1.7.9';
const TARGET_10K = 10_000;

const out: string[] = [];
const log = (line = '') => {
  out.push(line);
  console.log(line);
};
const progress = (line: string) => console.log(line); // per-run lines: console only

async function main(): Promise<void> {
  if (!existsSync(CLI_BIN)) throw new Error(`${CLI_BIN} is missing: run npm run build first`);
  const startedAt = Date.now();
  const build = snapshotBuild(REPO);
  useCli(build.cliBin);
  const date = execFileSync('date', { encoding: 'utf8' }).trim();
  const npmVersion = execFileSync(NPM_BIN, ['-v'], { encoding: 'utf8', env: { ...process.env, NPM_CONFIG_UPDATE_NOTIFIER: 'false' } }).trim();
  const workDir = mkdtempSync(join(tmpdir(), 'verify-deps-bench-'));
  const now = new Date(startedAt);
  const attestationTime = new Date(startedAt - 30 * 86_400_000);
  log(`verify-deps bench — ${date}`);
  log(`machine: nproc ${cpus().length}, node ${process.version}, npm ${npmVersion}; everything on 127.0.0.1 (fixture registry + TUF proxy)`);
  log(`build measured: git ${build.gitHead}${build.dirtySrcFiles ? ` + ${build.dirtySrcFiles} uncommitted src/ files` : ''}, dist/ sha256 ${build.distSha256.slice(0, 16)} (frozen copy in .bench/verify-deps)`);
  log(`verify-deps: node dist/cli/bin.js check DIR --registry URL --trusted-root ROOT --cache DIR --now ${now.toISOString()} --report FILE --sri FILE`);
  log(`npm: npm audit signatures --registry URL --cache DIR (Sigstore TUF CDN = bench TUF repo through a CONNECT proxy; keys from /-/npm/v1/keys)`);
  log(`load average at start: ${loadavg().map((l) => l.toFixed(2)).join(' ')} (above ~0.5 something else is running: wall times are inflated, ratios less so)`);
  log('cold = empty cache; warm = the cache of the cold run just before (verify-deps: its evidence cache; npm: its _cacache).');
  log('');

  const envs: BenchEnvironment[] = [];
  const cells: CellResult[] = [];
  try {
    const sourceLocations = Object.keys((JSON.parse(readFileSync(join(AXIOS, 'package-lock.json'), 'utf8')) as { packages: object }).packages).length - 1;
    const axios = await createBenchEnvironment({ label: 'axios-1.7.9', sourceLockfileDir: AXIOS, copies: 1, workDir, provenanceShare: 0.3, attestationTime });
    envs.push(axios);
    const copies = Math.ceil(TARGET_10K / axios.packages);
    const big = await createBenchEnvironment({ label: `synthetic-${copies}x-axios`, sourceLockfileDir: AXIOS, copies, workDir, provenanceShare: 0.3, attestationTime });
    envs.push(big);
    log(`trees: ${axios.label} (${sourceLocations} lockfile entries; sha1-only integrities replaced by synthetic sha512s) built in ${(axios.buildMs / 1000).toFixed(1)} s;`);
    log(`       ${big.label}: ${copies} renamed copies (p0001-<name> …) = ${big.packages} distinct packages, built in ${(big.buildMs / 1000).toFixed(1)} s`);
    log('');

    const npm10kReason = () => {
      const npmRuns = cells.find((c) => c.env === axios && c.plan.latencyMs === 20)?.npmCold ?? [];
      const estimate = npmRuns.length ? `≈ ${((median(npmRuns.map((r) => r.wallMs)) / axios.locations) * big.locations / 60_000).toFixed(1)} min per run at npm's axios rate` : 'minutes per run';
      return `not run (BENCH_NPM_10K=0): ${estimate}`;
    };
    const plans: Array<[BenchEnvironment, CellPlan]> = [
      [axios, { latencyMs: 20, rounds: ROUNDS, npmRounds: ROUNDS, npmWarmRounds: NPM_WARM }],
      [axios, { latencyMs: 0, rounds: ROUNDS_0MS, npmRounds: ROUNDS_0MS, npmWarmRounds: NPM_WARM }],
      [big, { latencyMs: 20, rounds: ROUNDS_10K, npmRounds: NPM_10K, npmWarmRounds: 0 }],
      [big, { latencyMs: 0, rounds: ROUNDS_10K_0MS, npmRounds: 0, npmWarmRounds: 0, npmSkipReason: 'not run at 0 ms on this tree' }],
    ];
    for (const [env, plan] of plans) {
      if (env === big && plan.npmRounds === 0) plan.npmSkipReason ??= npm10kReason();
      if (plan.rounds === 0) {
        log(`${env.label} @ ${plan.latencyMs} ms: not measured (0 rounds asked)`);
        log('');
        continue;
      }
      const cell = await runCell(env, plan, { workDir, now: now.toISOString(), log: progress });
      cells.push(cell);
      for (const line of formatCell(cell)) log(line);
      log('');
    }
    summaryAgainstTargets(cells);
    if (RULE_ROUNDS > 0) {
      for (const line of await measureRuleCosts(axios, { latencyMs: 20, rounds: RULE_ROUNDS, releaseAgeDays: RELEASE_AGE_DAYS }, { workDir, now: now.toISOString(), log: progress })) log(line);
      log('');
    }
    if (INSTALLED_ROUNDS > 0) {
      const plan = { sourceLockfileDir: join(REPO, 'test/fixtures/lockfiles', INSTALLED_TREE), label: `${INSTALLED_TREE}-installed`, latencyMs: 20, rounds: INSTALLED_ROUNDS, attestationTime };
      for (const line of await measureInstalledCost(plan, { workDir, now: now.toISOString(), log: progress })) log(line);
      log('');
    }
    if (PROFILE > 0) await profiles(PROFILE > 1 ? [[axios, 'cold'], [axios, 'warm'], [big, 'cold']] : [[axios, 'cold']], workDir, now.toISOString());
  } finally {
    for (const env of envs) await env.close();
    rmSync(workDir, { recursive: true, force: true });
  }
  const distNow = distDigest(join(REPO, 'dist'));
  if (distNow !== build.distSha256) log(`note: dist/ was rebuilt during the run (now ${distNow.slice(0, 16)}); the frozen copy was measured throughout`);
  log(`whole bench: ${((Date.now() - startedAt) / 60_000).toFixed(1)} min; load average at end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  writeFileSync(RESULTS, `# verify-deps bench results\n\nLast \`npm run bench\` (${date}; nproc ${cpus().length}, node ${process.version}, npm ${npmVersion}):\n\n\`\`\`\n${out.join('\n')}\n\`\`\`\n`);
}

function summaryAgainstTargets(cells: CellResult[]): void {
  const cell = (label: RegExp, latency: number) => cells.find((c) => label.test(c.env.label) && c.plan.latencyMs === latency);
  const ax20 = cell(/^axios/, 20);
  const big20 = cell(/^synthetic/, 20);
  const med = (runs: { wallMs: number }[]) => (runs.length ? median(runs.map((r) => r.wallMs)) : Number.NaN);
  const check = (ok: boolean | null) => (ok === null ? 'n/a' : ok ? 'met' : 'NOT met');
  log('targets (reported, not asserted):');
  const rss = (runs: { peakRssKb: number | null }[]) => median(runs.map((r) => r.peakRssKb ?? 0));
  const coldRatio = (c: CellResult) => {
    const ratios = pairRatios(c.vdCold, c.npmCold);
    return ratios.length ? median(ratios) : null;
  };
  const ratioText = (r: number | null) => (r === null ? 'n/a (npm not run)' : `${r.toFixed(3)}×`);
  if (ax20) {
    const warmMs = med(ax20.vdWarm);
    log(`  axios cold @20 ms verify-deps/npm ≤ 0.15×: ${ratioText(coldRatio(ax20))} → ${check(coldRatio(ax20) === null ? null : (coldRatio(ax20) as number) <= 0.15)}`);
    log(`  axios warm @20 ms ≤ 0.5 s: ${(warmMs / 1000).toFixed(2)} s → ${check(warmMs <= 500)}`);
    if (ax20.npmCold.length) log(`  peak RSS ≤ npm's (axios @20 ms, cold): ${Math.round(rss(ax20.vdCold) / 1024)} vs ${Math.round(rss(ax20.npmCold) / 1024)} MiB → ${check(rss(ax20.vdCold) <= rss(ax20.npmCold))}`);
  }
  if (big20) {
    log(`  ${big20.env.packages}-package cold @20 ms verify-deps/npm ≤ 0.15×: ${ratioText(coldRatio(big20))} → ${check(coldRatio(big20) === null ? null : (coldRatio(big20) as number) <= 0.15)}`);
    if (big20.npmCold.length) log(`  peak RSS ≤ npm's (${big20.env.packages}-package tree @20 ms, cold): ${Math.round(rss(big20.vdCold) / 1024)} vs ${Math.round(rss(big20.npmCold) / 1024)} MiB → ${check(rss(big20.vdCold) <= rss(big20.npmCold))}`);
  }
  if (big20 && ax20) {
    const bigMs = med(big20.vdCold);
    const ratio = bigMs / med(ax20.vdCold);
    const perPackage = ratio / (big20.env.packages / ax20.env.packages);
    log(`  10k/1k (this tree / axios) cold @20 ms ≤ 11: ${ratio.toFixed(2)} for ${(big20.env.packages / ax20.env.packages).toFixed(2)}× the packages (${perPackage.toFixed(2)}× the time per package) → ${check(ratio <= 11)}`);
  }
  if (ax20) {
    // The latency floor: every request at the injected latency, as many in flight as the tool
    // allows (verify-deps: --concurrency 32; a package's attestations wait for its packument).
    const requests = median(ax20.vdCold.map((r) => r.requests));
    const floorMs = Math.max((requests / 32) * 20, 2 * 20);
    log(`  latency floor, axios cold @20 ms: ${requests} requests over 32 sockets at 20 ms = ${(floorMs / 1000).toFixed(2)} s of ${(med(ax20.vdCold) / 1000).toFixed(2)} s`);
  }
  log('');
}

async function profiles(which: Array<[BenchEnvironment, 'cold' | 'warm']>, workDir: string, now: string): Promise<void> {
  for (const [env, kind] of which) {
    const dir = join(workDir, 'profiles', `${env.label}-${kind}`);
    mkdirSync(dir, { recursive: true });
    const cache = join(workDir, 'profiles', `${env.label}-cache`);
    if (kind === 'cold') rmSync(cache, { recursive: true, force: true });
    const files = { cache, report: join(dir, 'report.json'), sri: join(dir, 'sri.json'), now };
    if (kind === 'warm') await runVerifyDeps(env, files); // make sure the cache is filled
    const run = await runVerifyDeps(env, { ...files, extraNodeArgs: ['--cpu-prof', '--cpu-prof-dir', dir] });
    log(`where the time goes: verify-deps ${kind}, ${env.label} @ 0 ms, --cpu-prof (wall ${(run.wallMs / 1000).toFixed(2)} s; self time per thread, idle included):`);
    for (const { thread, summary } of summarizeProfiles(dir)) {
      log(`  ${thread} (profile ${(summary.totalMs / 1000).toFixed(2)} s) by module: ${summary.modules.slice(0, 6).map((m) => `${m.name} ${(m.ms / 1000).toFixed(2)} s`).join('; ')}`);
      for (const f of summary.functions.slice(0, 8)) log(`    ${(f.ms / 1000).toFixed(2).padStart(6)} s  ${f.name}`);
      if (summary.timeline.length > 0) log(`    stages (first–last sample on the stack, s from the profile's start): ${summary.timeline.map((t) => `${t.name} ${(t.fromMs / 1000).toFixed(2)}–${(t.toMs / 1000).toFixed(2)}`).join('; ')}`);
    }
    log('');
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

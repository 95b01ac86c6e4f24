// What `check --installed` adds: the tree built with real tarballs (installed-tree.ts), installed
// for real with `npm ci --ignore-scripts` from the fixture registry, then `check` and
// `check --installed` on the same cache state (cold: empty evidence caches; warm: each one's
// cache from its cold run), npm's cache holding every tarball as npm ci left it.
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { summarizeProfiles } from './cpu-profile.js';
import { createBenchEnvironment, type BenchEnvironment } from './environment.js';
import { BYTES_PER_FILE, FILES_PER_PACKAGE, realTarballScenario } from './installed-tree.js';
import { measure, median, summarizeMs } from './measure.js';
import { NPM_BIN, runVerifyDeps, type ToolRun } from './tools.js';

export interface InstalledCostPlan {
  sourceLockfileDir: string;
  label: string;
  latencyMs: number;
  rounds: number;
  attestationTime: Date;
  // Profiles the last round's warm `check --installed` (--cpu-prof) and prints a summary.
  profile?: boolean;
}

// Files and bytes under node_modules that --installed hashes: every regular file but npm's own
// (`.bin` links, the hidden lockfile).
function countInstalled(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const entry of readdirSync(join(dir, 'node_modules'), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    if (/[/\\]node_modules[/\\]\.bin([/\\]|$)/.test(path) || path === join(dir, 'node_modules', '.package-lock.json')) continue;
    files++;
    bytes += statSync(path).size;
  }
  return { files, bytes };
}

async function npmCi(env: BenchEnvironment, cache: string): Promise<number> {
  const run = await measure(NPM_BIN, ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--registry', `${env.registry.url}/`, '--cache', cache, '--loglevel=error'], { cwd: env.dir, env: env.npmEnv });
  if (run.code !== 0) throw new Error(`npm ci exited ${run.code}: ${run.stderr.trim().split('\n').slice(-5).join(' | ')}`);
  return run.wallMs;
}

// Builds and installs the tree, measures, and returns the lines to print.
export async function measureInstalledCost(plan: InstalledCostPlan, o: { workDir: string; now: string; log: (line: string) => void }): Promise<string[]> {
  const env = await createBenchEnvironment({ label: plan.label, sourceLockfileDir: plan.sourceLockfileDir, copies: 1, workDir: o.workDir, provenanceShare: 0.3, attestationTime: plan.attestationTime, scenario: realTarballScenario });
  try {
    const npmCache = join(o.workDir, `${plan.label}-npm-cache`);
    o.log(`  ${plan.label}: npm ci --ignore-scripts …`);
    const installMs = await npmCi(env, npmCache);
    const installed = countInstalled(env.dir);
    const kinds = ['check cold', 'check --installed cold', 'check warm', 'check --installed warm'] as const;
    const runs = new Map<string, ToolRun[]>(kinds.map((k) => [k, []]));
    if (plan.latencyMs > 0) env.registry.addFault('*', { latencyMs: plan.latencyMs });
    for (let round = 1; round <= plan.rounds; round++) {
      const caches = { plain: join(o.workDir, `${plan.label}-cache-plain`), installed: join(o.workDir, `${plan.label}-cache-installed`) };
      for (const cache of Object.values(caches)) rmSync(cache, { recursive: true, force: true });
      for (const kind of kinds) {
        const withInstalled = kind.includes('--installed');
        const profileDir = plan.profile === true && round === plan.rounds && kind === 'check --installed warm' ? join(o.workDir, `${plan.label}-profile`) : undefined;
        const run = await runVerifyDeps(env, {
          cache: withInstalled ? caches.installed : caches.plain,
          report: join(o.workDir, `${plan.label}-report.json`),
          sri: join(o.workDir, `${plan.label}-sri.json`),
          now: o.now,
          extraArgs: withInstalled ? ['--installed'] : [],
          extraEnv: { npm_config_cache: npmCache },
          ...(profileDir === undefined ? {} : { extraNodeArgs: ['--cpu-prof', '--cpu-prof-dir', profileDir] }),
        });
        for (const { thread, summary } of profileDir === undefined ? [] : summarizeProfiles(profileDir, 25)) {
          o.log(`  ${kind} ${thread}: profile ${(summary.totalMs / 1000).toFixed(2)} s; by module: ${summary.modules.slice(0, 10).map((m) => `${m.name} ${(m.ms / 1000).toFixed(2)}`).join('; ')}`);
          for (const f of summary.functions) o.log(`    ${(f.ms / 1000).toFixed(2).padStart(6)} s  ${f.name}`);
        }
        runs.get(kind)?.push(run);
        o.log(`  --installed round ${round}/${plan.rounds}, ${kind}: ${(run.wallMs / 1000).toFixed(2)} s${run.problem ? `, PROBLEM ${run.problem}` : ''}`);
      }
    }
    const wall = (kind: string) => median((runs.get(kind) ?? []).map((r) => r.wallMs));
    const lines = [
      `check --installed: ${plan.label} with real tarballs of synthetic files (${FILES_PER_PACKAGE.min}–${FILES_PER_PACKAGE.max} files per package and ${BYTES_PER_FILE.min} B–${BYTES_PER_FILE.max / 1024} KB per file, both log-uniform, seeded by name@version),`,
      `  tree and tarballs built in ${(env.buildMs / 1000).toFixed(1)} s; installed by npm ci --ignore-scripts (${(installMs / 1000).toFixed(1)} s, 0 ms latency): ${installed.files} files, ${(installed.bytes / 2 ** 20).toFixed(1)} MiB in node_modules (${env.packages} distinct packages, ${env.locations} lockfile entries);`,
      `  @ ${plan.latencyMs} ms per request, n=${plan.rounds}, tarballs read from npm's cache (npm_config_cache):`,
    ];
    for (const kind of kinds) {
      const list = runs.get(kind) ?? [];
      const last = list[list.length - 1];
      const findings = Object.entries(last?.findings ?? {}).map(([code, n]) => `${code} ×${n}`).join(', ') || 'none';
      lines.push(`  ${kind.padEnd(24)} wall ${summarizeMs(list.map((r) => r.wallMs)).padEnd(20)} peak RSS ${Math.round(median(list.map((r) => r.peakRssKb ?? 0)) / 1024)} MiB, requests ${last?.requests ?? 'n/a'}, verdict ${last?.verdict ?? 'n/a'} (packages with findings: ${findings})${list.some((r) => r.problem) ? ` PROBLEM ${list.find((r) => r.problem)?.problem}` : ''}`);
    }
    if (kinds.some((kind) => (runs.get(kind) ?? []).some((r) => r.findings?.INSTALLED_PACKAGE_MISSING))) {
      lines.push('  (INSTALLED_PACKAGE_MISSING: optional packages built for another platform, which npm ci skips here: warnings, found without fetching their tarballs)');
    }
    for (const state of ['cold', 'warm']) {
      const added = wall(`check --installed ${state}`) - wall(`check ${state}`);
      const perSecond = (n: number) => (added > 0 ? n / (added / 1000) : Number.NaN);
      lines.push(`  added by --installed (${state}): ${(added / 1000).toFixed(2)} s = ${Math.round(perSecond(installed.files))} files/s, ${(perSecond(installed.bytes) / 2 ** 20).toFixed(1)} MiB/s of installed files (tarball reading and unpacking included)`);
    }
    return lines;
  } finally {
    await env.close();
  }
}

// One cell of the bench: a tree at one injected latency, measured in alternating rounds
// (verify-deps cold, npm, verify-deps warm from that cold run's cache, npm warm from its cache).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchEnvironment } from './environment.js';
import { runNpmAudit, runVerifyDeps, type ToolRun } from './tools.js';

export interface CellPlan {
  latencyMs: number;
  rounds: number;
  // Rounds (from the first) that also run npm cold / npm warm.
  npmRounds: number;
  npmWarmRounds: number;
  // Why npm is not measured in this cell, when npmRounds is 0.
  npmSkipReason?: string;
}

export interface CellResult {
  env: BenchEnvironment;
  plan: CellPlan;
  vdCold: ToolRun[];
  vdWarm: ToolRun[];
  npmCold: ToolRun[];
  npmWarm: ToolRun[];
}

export async function runCell(env: BenchEnvironment, plan: CellPlan, o: { workDir: string; now: string; log: (line: string) => void }): Promise<CellResult> {
  env.registry.clearFaults();
  if (plan.latencyMs > 0) env.registry.addFault('*', { latencyMs: plan.latencyMs });
  const result: CellResult = { env, plan, vdCold: [], vdWarm: [], npmCold: [], npmWarm: [] };
  const base = join(o.workDir, env.label, `lat${plan.latencyMs}`);
  const show = (what: string, run: ToolRun) =>
    o.log(`  [${env.label} ${plan.latencyMs} ms] ${what.padEnd(16)} ${(run.wallMs / 1000).toFixed(2).padStart(7)} s  rss ${Math.round((run.peakRssKb ?? 0) / 1024)} MiB  requests ${run.requests}${run.problem ? `  PROBLEM ${run.problem}` : ''}`);
  for (let round = 1; round <= plan.rounds; round++) {
    const vdCache = join(base, `vd-cache-${round}`);
    const npmCache = join(base, `npm-cache-${round}`);
    const vdFiles = { cache: vdCache, report: join(base, `report-${round}.json`), sri: join(base, `sri-${round}.json`), now: o.now };
    rmSync(vdCache, { recursive: true, force: true });

    const cold = await runVerifyDeps(env, vdFiles);
    result.vdCold.push(cold);
    show(`#${round} verify-deps cold`, cold);
    if (round <= plan.npmRounds) {
      const npm = await runNpmAudit(env, { cache: env.freshNpmCache(npmCache) });
      result.npmCold.push(npm);
      show(`#${round} npm cold`, npm);
    }
    const warm = await runVerifyDeps(env, vdFiles);
    result.vdWarm.push(warm);
    show(`#${round} verify-deps warm`, warm);
    if (round <= Math.min(plan.npmRounds, plan.npmWarmRounds)) {
      const npm = await runNpmAudit(env, { cache: npmCache });
      result.npmWarm.push(npm);
      show(`#${round} npm warm`, npm);
    }
    rmSync(vdCache, { recursive: true, force: true });
    rmSync(npmCache, { recursive: true, force: true });
  }
  env.registry.clearFaults();
  return result;
}

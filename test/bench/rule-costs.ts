// The cost of each policy rule that can fetch or judge more: cold verify-deps runs on one tree at
// one latency under the default policy, the same policy with one rule switched off (install
// scripts, publishing downgrade), and with npm's `min-release-age` set (the release cooldown
// needs each package's publish time: packuments). Rounds alternate the variants so a busy
// machine slows them alike; every run starts from an empty evidence cache.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchEnvironment } from './environment.js';
import { median, summarizeMs } from './measure.js';
import { runVerifyDeps, type ToolRun } from './tools.js';

const DEFAULT_POLICY = fileURLToPath(new URL('../../../policies/default.json', import.meta.url));

export interface RuleCostPlan {
  latencyMs: number;
  rounds: number;
  // npm's `min-release-age` (days) for the cooldown variants.
  releaseAgeDays: number;
}

interface Variant {
  label: string;
  policy?: Record<string, unknown>;
  releaseAge?: boolean;
}

// The default policy's document with some settings changed (its `$schema` path is relative).
function defaultPolicyWith(changes: Record<string, unknown>): Record<string, unknown> {
  const doc = JSON.parse(readFileSync(DEFAULT_POLICY, 'utf8')) as Record<string, unknown>;
  delete doc.$schema;
  return { ...doc, ...changes };
}

// Runs the variants and returns the lines to print: per variant wall time, requests, verdict and
// finding codes, and the difference from the default policy's cold run.
export async function measureRuleCosts(env: BenchEnvironment, plan: RuleCostPlan, o: { workDir: string; now: string; log: (line: string) => void }): Promise<string[]> {
  const variants: Variant[] = [
    { label: 'default policy' },
    { label: 'installScripts off', policy: defaultPolicyWith({ installScripts: 'off' }) },
    { label: 'downgrade off', policy: defaultPolicyWith({ downgrade: 'off' }) },
    { label: `default policy + min-release-age=${plan.releaseAgeDays}`, releaseAge: true },
    { label: `downgrade off + min-release-age=${plan.releaseAgeDays}`, policy: defaultPolicyWith({ downgrade: 'off' }), releaseAge: true },
  ];
  const runs = new Map<Variant, ToolRun[]>(variants.map((v) => [v, []]));
  env.registry.clearFaults();
  if (plan.latencyMs > 0) env.registry.addFault('*', { latencyMs: plan.latencyMs });
  try {
    for (let round = 1; round <= plan.rounds; round++) {
      for (const [index, variant] of variants.entries()) {
        const base = join(o.workDir, 'rule-costs', String(index));
        rmSync(base, { recursive: true, force: true });
        const extraArgs: string[] = [];
        if (variant.policy !== undefined) {
          const file = join(o.workDir, `rule-costs-${index}.policy.json`);
          writeFileSync(file, JSON.stringify(variant.policy));
          extraArgs.push('--policy', file);
        }
        const run = await runVerifyDeps(env, {
          cache: join(base, 'cache'),
          report: join(o.workDir, `rule-costs-${index}.report.json`),
          sri: join(o.workDir, `rule-costs-${index}.sri.json`),
          now: o.now,
          extraArgs,
          ...(variant.releaseAge ? { extraEnv: { npm_config_min_release_age: String(plan.releaseAgeDays) } } : {}),
        });
        runs.get(variant)?.push(run);
        o.log(`  rule costs round ${round}/${plan.rounds}, ${variant.label}: ${(run.wallMs / 1000).toFixed(2)} s, ${run.requests} requests${run.problem ? `, PROBLEM ${run.problem}` : ''}`);
      }
    }
  } finally {
    env.registry.clearFaults();
  }
  const baseline = runs.get(variants[0] as Variant) ?? [];
  const medianWall = (list: ToolRun[]) => median(list.map((r) => r.wallMs));
  const baseRequests = baseline.length ? median(baseline.map((r) => r.requests)) : Number.NaN;
  const lines = [
    `cost of each rule: ${env.label} @ ${plan.latencyMs} ms per request, verify-deps cold (empty evidence cache), n=${plan.rounds} per variant, variants alternated`,
  ];
  for (const variant of variants) {
    const list = runs.get(variant) ?? [];
    const last = list[list.length - 1];
    const delta = list.length && baseline.length ? medianWall(list) - medianWall(baseline) : Number.NaN;
    const requests = list.length ? median(list.map((r) => r.requests)) : Number.NaN;
    const findings = Object.entries(last?.findings ?? {}).map(([code, n]) => `${code} ×${n}`).join(', ') || 'none';
    lines.push(`  ${variant.label.padEnd(40)} wall ${summarizeMs(list.map((r) => r.wallMs)).padEnd(20)} ${variant === variants[0] ? '' : `(${delta >= 0 ? '+' : ''}${(delta / 1000).toFixed(2)} s) `}requests ${requests}${variant === variants[0] ? '' : ` (${requests - baseRequests >= 0 ? '+' : ''}${requests - baseRequests})`}, verdict ${last?.verdict ?? 'n/a'} (packages with findings: ${findings})${list.some((r) => r.problem) ? ' PROBLEM in a run' : ''}`);
  }
  lines.push('  what each rule reads: installScripts the lockfile alone (no request); downgrade the packument (version history) of every registry package;');
  lines.push('  min-release-age the packument of each package without a signed publish time (one fetch serves both rules).');
  return lines;
}

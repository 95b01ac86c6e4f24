// The two tools under measurement, run as a user runs them, and what each reported:
// - `verify-deps check` (the built CLI, dist/cli/bin.js) against the fixture registry, counts
//   from its compliance report (`counts`, and per installed location for comparison with npm);
// - `npm audit signatures` (/usr/bin/npm) on the installed tree, counts parsed from its output.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DocumentKind, RecordedRequest } from '../support/registry.js';
import { baseEnv, type BenchEnvironment } from './environment.js';
import { measure, type Measured } from './measure.js';

// The built CLI; run.ts points it at a frozen copy of dist/ (snapshot.ts).
export let CLI_BIN = fileURLToPath(new URL('../../../dist/cli/bin.js', import.meta.url));
export function useCli(path: string): void {
  CLI_BIN = path;
}
export const NPM_BIN = '/usr/bin/npm';

export interface ToolRun extends Measured {
  requests: number;
  // What the fixture registry served this run, per kind of document: requests and body bytes sent.
  traffic: Traffic;
  // Packages with a verified registry signature / with verified attestations.
  signatures: number | null;
  attestations: number | null;
  // The same, counted per installed location (npm's unit) — verify-deps only.
  signatureLocations?: number;
  attestationLocations?: number;
  verdict?: string;
  // verify-deps: finding codes and how many packages carry each.
  findings?: Record<string, number>;
  problem?: string;
}

interface ReportPackage {
  locations?: string[];
  findings?: Array<{ code: string }>;
  evidence?: { registrySignature?: { status?: string }; attestations?: Array<{ status?: string }> };
}

export async function runVerifyDeps(env: BenchEnvironment, o: { cache: string; report: string; sri: string; now: string; extraNodeArgs?: string[]; extraArgs?: string[]; extraEnv?: NodeJS.ProcessEnv }): Promise<ToolRun> {
  env.registry.resetLog();
  const args = [...(o.extraNodeArgs ?? []), CLI_BIN, 'check', env.dir, '--registry', env.registry.url, '--trusted-root', env.trustedRoot, '--cache', o.cache, '--now', o.now, '--report', o.report, '--sri', o.sri, ...(o.extraArgs ?? [])];
  const run = await measure(process.execPath, args, { cwd: env.dir, env: { ...baseEnv(), ...o.extraEnv } });
  const requests = env.registry.requests.length;
  const traffic = toTraffic(env.registry.requests);
  try {
    const report = JSON.parse(readFileSync(o.report, 'utf8')) as { verdict: string; counts: Record<string, number>; packages: ReportPackage[] };
    const signed = report.packages.filter((p) => p.evidence?.registrySignature?.status === 'verified');
    const attested = report.packages.filter((p) => p.evidence?.attestations?.some((a) => a.status === 'verified'));
    const locations = (list: ReportPackage[]) => list.reduce((sum, p) => sum + (p.locations?.length ?? 1), 0);
    const counts = report.counts;
    const findings: Record<string, number> = {};
    for (const p of report.packages) for (const code of new Set((p.findings ?? []).map((f) => f.code))) findings[code] = (findings[code] ?? 0) + 1;
    return {
      ...run,
      requests,
      traffic,
      verdict: report.verdict,
      findings,
      signatures: counts.verifiedSignatures ?? null,
      attestations: Math.max(counts.verifiedProvenance ?? 0, counts.verifiedPublishAttestations ?? 0),
      signatureLocations: locations(signed),
      attestationLocations: locations(attested),
      // Exit 1 is the policy's verdict (reported with its finding codes); anything else is a problem.
      ...(run.code === 0 || run.code === 1 ? {} : { problem: `exit ${run.code}: ${lastLines(run.stderr)}` }),
    };
  } catch (error) {
    return { ...run, requests, traffic, signatures: null, attestations: null, problem: `no report (${String(error)}); exit ${run.code}: ${lastLines(run.stderr)}` };
  }
}

export async function runNpmAudit(env: BenchEnvironment, o: { cache: string }): Promise<ToolRun> {
  env.registry.resetLog();
  env.proxy.resetLog();
  const run = await measure(NPM_BIN, ['audit', 'signatures', '--registry', `${env.registry.url}/`, '--cache', o.cache], { cwd: env.dir, env: env.npmEnv });
  const count = (re: RegExp): number | null => {
    const m = re.exec(run.stdout);
    return m ? Number(m[1]) : null;
  };
  const signatures = count(/(\d+) packages? (?:have|has a) verified registry signatures?/);
  const attestations = count(/(\d+) packages? (?:have|has an?) verified attestations?/);
  const refused = env.proxy.refused.length > 0 ? `; proxy refused ${env.proxy.refused.join(', ')}` : '';
  const problem = run.code === 0 && signatures !== null ? undefined : `exit ${run.code}: ${lastLines(run.stdout + run.stderr)}${refused}`;
  return { ...run, requests: env.registry.requests.length, traffic: toTraffic(env.registry.requests), signatures, attestations: attestations ?? 0, ...(problem ? { problem } : {}) };
}

export type Traffic = Partial<Record<DocumentKind, { requests: number; bytes: number }>>;

function toTraffic(requests: readonly RecordedRequest[]): Traffic {
  const traffic: Traffic = {};
  for (const r of requests) {
    const kind = (traffic[r.kind] ??= { requests: 0, bytes: 0 });
    kind.requests++;
    kind.bytes += r.bytes ?? 0;
  }
  return traffic;
}

const lastLines = (text: string): string => text.trim().split('\n').slice(-3).join(' | ').slice(0, 400);

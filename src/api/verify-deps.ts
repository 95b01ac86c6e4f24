import { resolve } from 'node:path';
import { EXIT } from '../errors.js';
import { runGate, type GateOptions } from '../gate/index.js';
import { buildReport } from '../report/build.js';
import { writeOutputs } from '../report/outputs.js';
import type { ComplianceReport } from '../report/report.generated.js';
import { DEFAULTS } from '../cli/args.js';
import { TOOL_VERSION } from '../cli/tool-version.js';
import type { OmitType } from '../types.js';

// What `verifyDeps` gates and how; every field is optional and defaults as the CLI's `check` does.
export interface VerifyDepsOptions {
  // The project directory (package.json and its lockfile); default the current directory.
  dir?: string;
  // The policy file; default verify-deps.policy.json in the project, else the default policy.
  policyFile?: string;
  mode?: 'strict' | 'audit';
  omit?: OmitType[];
  registry?: string;
  attestationsRegistry?: string;
  registryKeysFile?: string;
  trustedRootFile?: string;
  cacheDir?: string;
  // Only the cache: anything missing fails closed (verdict incomplete).
  offline?: boolean;
  // Stop (TRUST_NOT_FRESH) when only the trust material embedded in @sigstore/tuf can be had.
  requireFreshTrust?: boolean;
  now?: Date;
  concurrency?: number;
  // One request's timeout, milliseconds.
  timeoutMs?: number;
  retries?: number;
  rehash?: boolean;
  // Write the outputs too: the report always, the SRI manifest only when the gate passed.
  write?: { report: string; sri: string };
}

// What a run found: the compliance report (schema/report.schema.json), its verdict, and the exit
// code the CLI would give it.
export interface VerifyDepsResult {
  report: ComplianceReport;
  verdict: ComplianceReport['verdict'];
  exitCode: 0 | 1 | 3;
}

const VERDICT_EXIT = { pass: EXIT.pass, fail: EXIT.policyFailure, incomplete: EXIT.incomplete } as const;

// Runs the gate on a project and returns the report; writes no file unless `write` asks. Throws a
// VerifyDepsError when the run cannot start (no lockfile, an invalid policy, bad trust material).
export async function verifyDeps(options: VerifyDepsOptions = {}): Promise<VerifyDepsResult> {
  const dir = resolve(options.dir ?? '.');
  const gate: GateOptions = {
    dir,
    omit: options.omit ?? [],
    concurrency: options.concurrency ?? DEFAULTS.concurrency,
    timeoutMs: options.timeoutMs ?? DEFAULTS.fetchTimeoutMs,
    retries: options.retries ?? DEFAULTS.retries,
    offline: options.offline ?? false,
    now: options.now ?? new Date(),
    // As the CLI: a Sigstore TUF refresh slower than this falls back to the embedded trust root.
    refreshTimeoutMs: 5_000,
    rehash: options.rehash ?? false,
    ...pick(options, ['policyFile', 'mode', 'registry', 'attestationsRegistry', 'registryKeysFile', 'trustedRootFile', 'cacheDir', 'requireFreshTrust']),
  };
  const result = await runGate(gate);
  const report = buildReport(result, { toolVersion: TOOL_VERSION, projectDir: dir });
  if (options.write !== undefined) {
    await writeOutputs(report, result.check, { projectDir: dir, report: resolve(options.write.report), sri: resolve(options.write.sri), sriFiles: [] });
  }
  return { report, verdict: report.verdict, exitCode: VERDICT_EXIT[report.verdict] };
}

function pick<T extends object, K extends keyof T>(from: T, keys: K[]): Partial<Pick<T, K>> {
  return Object.fromEntries(keys.filter((key) => from[key] !== undefined).map((key) => [key, from[key]])) as Partial<Pick<T, K>>;
}

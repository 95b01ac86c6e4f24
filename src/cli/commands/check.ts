import { resolve } from 'node:path';
import { EXIT, type ExitCode } from '../../errors.js';
import { runGate, type GateOptions } from '../../gate/index.js';
import { getCiContext } from '../../report/ci-context.js';
import { buildReport } from '../../report/build.js';
import type { CliArgs } from '../args.js';
import type { CliIo } from '../io.js';
import { renderGateSummary } from '../render-check.js';
import { TOOL_VERSION } from '../tool-version.js';

const VERDICT_EXIT = { pass: EXIT.pass, fail: EXIT.policyFailure, incomplete: EXIT.incomplete } as const;

// How long the Sigstore TUF refresh may take before the embedded trust root is used instead.
const TUF_REFRESH_TIMEOUT_MS = 5_000;

// `verify-deps [check]`: the gate. Exit 0 pass, 1 policy failures, 3 incomplete.
export async function runCheckCommand(args: CliArgs, io: CliIo, clockAtStart: Date): Promise<ExitCode> {
  const result = await runGate(toGateOptions(args, clockAtStart));
  io.stderr(renderGateSummary(result));
  const ci = getCiContext(io.env);
  const report = buildReport(result, { toolVersion: TOOL_VERSION, projectDir: resolve(args.dir), ...(ci === undefined ? {} : { ci }) });
  if (args.json) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  return VERDICT_EXIT[result.decision.verdict];
}

export function toGateOptions(args: CliArgs, clockAtStart: Date): GateOptions {
  return {
    dir: args.dir,
    omit: args.omit,
    concurrency: args.concurrency,
    timeoutMs: args.fetchTimeoutMs,
    retries: args.retries,
    offline: args.offline,
    now: args.now ?? clockAtStart,
    refreshTimeoutMs: TUF_REFRESH_TIMEOUT_MS,
    ...(args.registry === undefined ? {} : { registry: args.registry }),
    ...(args.registryKeys === undefined ? {} : { registryKeysFile: args.registryKeys }),
    ...(args.trustedRoot === undefined ? {} : { trustedRootFile: args.trustedRoot }),
    ...(args.cache === undefined ? {} : { cacheDir: args.cache }),
    ...(args.tufMirror === undefined ? {} : { tufMirror: args.tufMirror }),
    ...(args.policy === undefined ? {} : { policyFile: args.policy }),
    ...(args.mode === undefined ? {} : { mode: args.mode }),
  };
}

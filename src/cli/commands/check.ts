import { appendFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { styleText } from 'node:util';
import { EXIT, type ExitCode } from '../../errors.js';
import { runGate, type GateOptions } from '../../gate/index.js';
import { getCiContext } from '../../report/ci-context.js';
import { buildReport } from '../../report/build.js';
import { writeFileAtomic } from '../../report/atomic-write.js';
import type { ComplianceReport } from '../../report/build.js';
import { writeOutputs, type OutputsWritten } from '../../report/outputs.js';
import { renderGithubAnnotations, renderGithubStepSummary, renderGitlabCodeQuality } from '../ci-annotations.js';
import { isInteractive, ProgressReporter } from '../progress.js';
import type { CliArgs } from '../args.js';
import type { CliIo } from '../io.js';
import { renderFailures, renderGateSummary, renderVerdict } from '../render-check.js';
import { TOOL_VERSION } from '../tool-version.js';

export const DEFAULT_REPORT_FILE = 'verify-deps-report.json';
export const DEFAULT_SRI_FILE = 'sri-manifest.json';

const VERDICT_EXIT = { pass: EXIT.pass, fail: EXIT.policyFailure, incomplete: EXIT.incomplete } as const;

// How long the Sigstore TUF refresh may take before the embedded trust root is used instead.
const TUF_REFRESH_TIMEOUT_MS = 5_000;

// `verify-deps [check]`: the gate. Exit 0 pass, 1 policy failures, 3 incomplete.
export async function runCheckCommand(args: CliArgs, io: CliIo, clockAtStart: Date): Promise<ExitCode> {
  const interactive = isInteractive({ isTTY: io.stderrIsTTY === true }, io.env);
  // --quiet: not even the start line.
  const progress = new ProgressReporter(args.quiet ? () => undefined : io.stderr, interactive);
  let result;
  try {
    result = await runGate({ ...toGateOptions(args, clockAtStart), onProgress: (p) => progress.update(p) });
  } finally {
    progress.finish();
  }
  io.stderr(args.quiet ? renderFailures(result) : renderGateSummary(result));
  const ci = getCiContext(io.env);
  const projectDir = resolve(args.dir);
  const report = buildReport(result, { toolVersion: TOOL_VERSION, projectDir, ...(ci === undefined ? {} : { ci }) });
  const written = await writeOutputs(report, result.check, {
    projectDir,
    report: resolve(args.report ?? join(projectDir, DEFAULT_REPORT_FILE)),
    sri: resolve(args.sri ?? join(projectDir, DEFAULT_SRI_FILE)),
    sriFiles: args.sriFiles,
    ...(args.vsa === undefined ? {} : { vsa: resolve(args.vsa) }),
    ...(args.ledger === undefined ? {} : { ledger: resolve(args.ledger) }),
  });
  if (!args.quiet) io.stderr(renderOutputs(written));
  io.stderr(colourVerdict(renderVerdict(result), result.decision.verdict, interactive && !io.env.NO_COLOR));
  await reportToCi(report, args, io);
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
    rehash: args.rehash,
    ...(args.runTimeoutMs === undefined ? {} : { deadlineMs: args.runTimeoutMs }),
  };
}

// GitHub Actions annotations and step summary; GitLab's code-quality report when asked for.
async function reportToCi(report: ComplianceReport, args: CliArgs, io: CliIo): Promise<void> {
  if (io.env.GITHUB_ACTIONS === 'true') {
    // The runner reads workflow commands from both streams; stdout stays --json's alone.
    (args.json ? io.stderr : io.stdout)(renderGithubAnnotations(report));
    if (io.env.GITHUB_STEP_SUMMARY) await appendFile(io.env.GITHUB_STEP_SUMMARY, renderGithubStepSummary(report));
  }
  if (args.gitlabReport !== undefined) await writeFileAtomic(resolve(args.gitlabReport), renderGitlabCodeQuality(report));
}

function colourVerdict(text: string, verdict: string, colour: boolean): string {
  if (!colour) return text;
  return styleText(verdict === 'pass' ? 'green' : 'red', text);
}

function renderOutputs(written: OutputsWritten): string {
  const lines = ["", `report: ${written.report}`];
  if (written.sri.written) lines.push(`SRI manifest: ${written.sri.path}`);
  else lines.push(`SRI manifest: not written (the gate did not pass)${written.sri.removed ? `; the stale ${written.sri.path} was removed` : ''}`);
  if (written.vsa !== undefined) lines.push(`verification summary attestation: ${written.vsa}`);
  if (written.ledger !== undefined) lines.push(`ledger: record ${written.ledger.sequence} (${written.ledger.sha256}) in ${written.ledger.file}`);
  return `${lines.join('\n')}\n`;
}

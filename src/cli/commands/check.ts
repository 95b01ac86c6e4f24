import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, readFile, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { styleText } from 'node:util';
import { EXIT, VerifyDepsError, type ExitCode } from '../../errors.js';
import { runGate, type GateInputs, type GateOptions, type GateResult } from '../../gate/index.js';
import { getCiContext } from '../../report/ci-context.js';
import { buildFailedRunReport, buildReport, type ReportContext } from '../../report/build.js';
import { writeFileAtomic } from '../../report/atomic-write.js';
import type { ComplianceReport } from '../../report/build.js';
import type { LoadedPolicy } from '../../gate/policy-source.js';
import { getVsaInputs } from '../../report/vsa-inputs.js';
import type { VsaInputs } from '../../report/vsa.js';
import { removeStaleOutputs, removeStaleSri, writeOutputs, type OutputPaths, type OutputsWritten } from '../../report/outputs.js';
import { prepareOutputs } from '../../report/prepare-outputs.js';
import { renderGithubAnnotations, renderGithubStepSummary, renderGitlabCodeQuality } from '../ci-annotations.js';
import { renderSarif } from '../render-sarif.js';
import { isInteractive, ProgressReporter } from '../progress.js';
import { toTreeOptions, type CheckOutputArgs, type CliArgs } from '../args.js';
import type { CliIo } from '../io.js';
import { indexLockfileLines } from '../lockfile-lines.js';
import { renderGateSummary, renderQuietSummary, renderStoppedVerdict, renderVerdict } from '../render-check.js';
import { toSafeJson, toSafeOutput } from '../safe-text.js';
import { formatError, toRunError } from '../render-error.js';
import { TOOL_VERSION } from '../tool-version.js';

export const DEFAULT_REPORT_FILE = 'verify-deps-report.json';
export const DEFAULT_SRI_FILE = 'sri-manifest.json';

const VERDICT_EXIT = { pass: EXIT.pass, fail: EXIT.policyFailure, incomplete: EXIT.incomplete } as const;

// How long the Sigstore TUF refresh may take before the embedded trust root is used instead.
const TUF_REFRESH_TIMEOUT_MS = 5_000;

// `verify-deps [check]`: the gate. Exit 0 pass, 1 policy failures, 3 incomplete. Every run that
// got as far as reading the lockfile ends in a report, and no run that fails leaves an SRI
// manifest behind, whatever stopped it.
export async function runCheckCommand(args: CliArgs, io: CliIo, clockAtStart: Date): Promise<ExitCode> {
  const interactive = isInteractive({ isTTY: io.stderrIsTTY === true }, io.env);
  const paths = toOutputPaths(args);
  const ci = getCiContext(io.env);
  const context: ReportContext = {
    toolVersion: TOOL_VERSION,
    projectDir: paths.projectDir,
    ...(ci === undefined ? {} : { ci }),
    options: { rehash: args.rehash, installed: args.installed, omit: args.omit },
  };
  // --quiet: not even the start line.
  const progress = new ProgressReporter(args.quiet ? () => undefined : io.stderr, interactive);
  let inputs: GateInputs | undefined;
  try {
    // Before any request: an output that cannot be written is exit 2 now, not after the run. A
    // missing project is the gate's error to report (and no folder is created for it).
    if ((await stat(paths.projectDir).catch(() => null))?.isDirectory()) {
      await prepareOutputs(outputFiles(args, paths), paths.ledger === undefined ? [] : [paths.ledger]);
    }
    let result: GateResult;
    try {
      result = await runGate({ ...toGateOptions(args, clockAtStart), onProgress: (p) => progress.update(p), onInputs: (known) => (inputs = known) });
    } finally {
      progress.finish();
    }
    const report = buildReport(result, context);
    const commands = guardWorkflowCommands(io);
    // Names, SANs and URLs in the summary come from the lockfile and the registry: made safe, and
    // on GitHub read as plain text (stop-commands), so none of them can act on the runner.
    commands.stop();
    io.stderr(toSafeOutput(args.quiet ? renderQuietSummary(report) : renderGateSummary(result, report)));
    commands.resume();
    const written = await writeOutputs(report, result.check, paths, toVsaInputs(report, result.policy, paths, io));
    if (!args.quiet) io.stderr(toSafeOutput(renderOutputs(written)));
    io.stderr(colourVerdict(renderVerdict(result), result.decision.verdict, interactive && !io.env.NO_COLOR));
    await reportToCi(report, args, io, paths.projectDir);
    if (args.json) io.stdout(toSafeJson(report));
    return VERDICT_EXIT[result.decision.verdict];
  } catch (error) {
    return reportStoppedRun(error, inputs, { args, io, paths, context, now: args.now ?? clockAtStart });
  }
}

interface StoppedRun {
  args: CliArgs;
  io: CliIo;
  paths: OutputPaths;
  context: ReportContext;
  now: Date;
}

// A run that stopped on an error. Before the lockfile was read there is nothing to report: the
// error alone (a configuration error, exit 2), and an earlier run's outputs are removed. After it,
// the report records what was read and the error, verdict incomplete, and no SRI manifest is left.
// A stale digest list must not outlive a run that failed. Configuration errors keep exit 2
// (rethrown, printed as every error is); anything else is exit 3.
async function reportStoppedRun(error: unknown, inputs: GateInputs | undefined, run: StoppedRun): Promise<ExitCode> {
  const { args, io, paths } = run;
  if (inputs === undefined) {
    await removeStaleOutputs(paths);
    throw error;
  }
  const report = buildFailedRunReport(inputs, run.now, toRunError(error), run.context);
  let written: OutputsWritten;
  try {
    written = await writeOutputs(report, undefined, paths, toVsaInputs(report, inputs.policy, paths, io));
  } catch (writeError) {
    // The run's own error says why it stopped; this one why there is no report.
    io.stderr(formatError(writeError, args.debug));
    await removeStaleSri(paths.sri);
    throw error;
  }
  if (error instanceof VerifyDepsError && error.exitCode === EXIT.badInput) {
    if (!args.quiet) io.stderr(renderOutputs(written));
    throw error;
  }
  io.stderr(toSafeOutput(formatError(error, args.debug)));
  if (!args.quiet) io.stderr(renderOutputs(written));
  io.stderr(renderStoppedVerdict());
  if (args.json) io.stdout(toSafeJson(report));
  return EXIT.incomplete;
}

// Removes the outputs of an earlier check whose command line named them but was otherwise wrong
// (a bad option value): that run failed too.
export async function removeStaleCheckOutputs(args: CheckOutputArgs): Promise<void> {
  await removeStaleOutputs(toOutputPaths({ ...args, sriFiles: [] }));
}

// Where the VSA's lockfile and policy are (src/report/vsa-inputs.ts).
function toVsaInputs(report: ComplianceReport, policy: LoadedPolicy, paths: OutputPaths, io: CliIo): VsaInputs {
  return getVsaInputs({ projectDir: paths.projectDir, lockfilePath: report.lockfile.path, policy: policy.source, env: io.env });
}

// Every file a run writes, checked before any request (prepareOutputs).
function outputFiles(args: CliArgs, paths: OutputPaths): string[] {
  const files = [paths.report, paths.sri, ...(paths.vsa === undefined ? [] : [paths.vsa])];
  const extra = [args.gitlabReport, args.sarif].flatMap((file) => (file === undefined ? [] : [resolve(file)]));
  return [...files, ...extra];
}

function toOutputPaths(args: CheckOutputArgs & Pick<CliArgs, 'sriFiles' | 'ledger'>): OutputPaths {
  const projectDir = resolve(args.dir);
  return {
    projectDir,
    report: resolve(args.report ?? join(projectDir, DEFAULT_REPORT_FILE)),
    sri: resolve(args.sri ?? join(projectDir, DEFAULT_SRI_FILE)),
    sriFiles: args.sriFiles,
    ...(args.vsa === undefined ? {} : { vsa: resolve(args.vsa) }),
    ...(args.ledger === undefined ? {} : { ledger: resolve(args.ledger) }),
  };
}

export function toGateOptions(args: CliArgs, clockAtStart: Date): GateOptions {
  return {
    dir: args.dir,
    omit: args.omit,
    treeOptions: toTreeOptions(args),
    concurrency: args.concurrency,
    timeoutMs: args.fetchTimeoutMs,
    retries: args.retries,
    offline: args.offline,
    now: args.now ?? clockAtStart,
    refreshTimeoutMs: TUF_REFRESH_TIMEOUT_MS,
    ...(args.registry === undefined ? {} : { registry: args.registry }),
    ...(args.attestationsRegistry === undefined ? {} : { attestationsRegistry: args.attestationsRegistry }),
    ...(args.registryKeys === undefined ? {} : { registryKeysFile: args.registryKeys }),
    ...(args.trustedRoot === undefined ? {} : { trustedRootFile: args.trustedRoot }),
    ...(args.cache === undefined ? {} : { cacheDir: args.cache }),
    ...(args.tufMirror === undefined ? {} : { tufMirror: args.tufMirror }),
    ...(args.requireFreshTrust ? { requireFreshTrust: true } : {}),
    ...(args.policy === undefined ? {} : { policyFile: args.policy }),
    ...(args.mode === undefined ? {} : { mode: args.mode }),
    rehash: args.rehash,
    installed: args.installed,
    ...(args.runTimeoutMs === undefined ? {} : { deadlineMs: args.runTimeoutMs }),
  };
}


// GitHub Actions annotations and step summary; GitLab's code-quality report when asked for. Each
// points at the package's entry in the lockfile.
async function reportToCi(report: ComplianceReport, args: CliArgs, io: CliIo, projectDir: string): Promise<void> {
  const github = io.env.GITHUB_ACTIONS === 'true';
  if (!github && args.gitlabReport === undefined && args.sarif === undefined) return;
  const lockfile = resolve(projectDir, report.lockfile.path);
  const lines = await readLockfileLines(lockfile);
  if (github) {
    // The runner reads workflow commands from both streams; stdout stays --json's alone.
    (args.json ? io.stderr : io.stdout)(renderGithubAnnotations(report, lines));
    if (io.env.GITHUB_STEP_SUMMARY) await appendFile(io.env.GITHUB_STEP_SUMMARY, renderGithubStepSummary(report, lines));
  }
  if (args.gitlabReport !== undefined) await writeFileAtomic(resolve(args.gitlabReport), renderGitlabCodeQuality(report, lines));
  if (args.sarif !== undefined) await writeFileAtomic(resolve(args.sarif), renderSarif(report, lines, toRepositoryUri(lockfile, io.env)));
}

// The lockfile's path from the repository root, as code scanning resolves it: from
// $GITHUB_WORKSPACE on GitHub, else from the nearest folder with a .git, else from here.
function toRepositoryUri(file: string, env: CliIo['env']): string {
  let root = env.GITHUB_WORKSPACE === undefined || env.GITHUB_WORKSPACE === '' ? undefined : resolve(env.GITHUB_WORKSPACE);
  for (let dir = dirname(file); root === undefined; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) root = dir;
    else if (dirname(dir) === dir) root = process.cwd();
  }
  return relative(root, file).split(sep).join('/');
}

// The lockfile was read by the walk; a file that changed or went since only loses the line numbers.
async function readLockfileLines(path: string): Promise<Map<string, number>> {
  try {
    return indexLockfileLines(await readFile(path, 'utf8'));
  } catch {
    return new Map();
  }
}

// On GitHub Actions, `::stop-commands::TOKEN` … `::TOKEN::` around text that quotes the registry
// and the lockfile: the runner then runs no workflow command from it, even one that got past escaping.
function guardWorkflowCommands(io: CliIo): { stop: () => void; resume: () => void } {
  if (io.env.GITHUB_ACTIONS !== 'true') return { stop: () => undefined, resume: () => undefined };
  const token = randomBytes(16).toString('hex');
  return { stop: () => io.stderr(`::stop-commands::${token}\n`), resume: () => io.stderr(`::${token}::\n`) };
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

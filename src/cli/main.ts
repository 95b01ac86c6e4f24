import { createRequire } from 'node:module';
import { EXIT, type ExitCode } from '../errors.js';
import { walkTree } from '../walk/index.js';
import { runCheck, type CheckOptions } from '../check/index.js';
import { parseCliArgs, type CliArgs } from './args.js';
import { renderCheckSummary, toCheckJson } from './render-check.js';
import { HELP_TEXT } from './help.js';
import { formatError } from './render-error.js';
import { renderInventorySummary, toInventoryJson } from './render-inventory.js';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const VERDICT_EXIT = { pass: EXIT.pass, fail: EXIT.policyFailure, incomplete: EXIT.incomplete } as const;

// How long the Sigstore TUF refresh may take before the embedded trust root is used instead.
const TUF_REFRESH_TIMEOUT_MS = 5_000;

function toCheckOptions(args: CliArgs, clockAtStart: Date): CheckOptions {
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
  };
}

const packageJson = createRequire(import.meta.url)('../../package.json') as { version: string };

// Runs one CLI invocation and returns its exit code; the only place that decides what is printed.
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  // The run's one clock reading; every time comparison uses it (or --now).
  const clockAtStart = new Date();
  const debug = argv.includes('--debug');
  try {
    const args = parseCliArgs(argv);
    switch (args.command) {
      case 'help':
        io.stdout(HELP_TEXT);
        return EXIT.pass;
      case 'version':
        io.stdout(`${packageJson.version}\n`);
        return EXIT.pass;
      case 'inventory': {
        const result = await walkTree(args.dir, { omit: args.omit });
        io.stderr(renderInventorySummary(result));
        if (args.json) io.stdout(`${JSON.stringify(toInventoryJson(result), null, 2)}\n`);
        return EXIT.pass;
      }
      case 'check': {
        const result = await runCheck(toCheckOptions(args, clockAtStart));
        io.stderr(renderCheckSummary(result));
        if (args.json) io.stdout(`${JSON.stringify(toCheckJson(result), null, 2)}\n`);
        return VERDICT_EXIT[result.verdict];
      }
    }
  } catch (error) {
    io.stderr(formatError(error, debug));
    return (error as { exitCode?: ExitCode }).exitCode ?? EXIT.incomplete;
  }
}

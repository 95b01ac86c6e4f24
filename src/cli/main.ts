import { EXIT, UsageError, type ExitCode } from '../errors.js';
import { locateCheckOutputs, parseCliArgs } from './args.js';
import { removeStaleCheckOutputs, runCheckCommand } from './commands/check.js';
import { runInitCommand } from './commands/init.js';
import { runInventoryCommand } from './commands/inventory.js';
import { runLedgerCommand } from './commands/ledger.js';
import { runPolicyCommand } from './commands/policy.js';
import { runVerifyBundleCommand } from './commands/verify-bundle.js';
import { HELP_TEXT } from './help.js';
import type { CliIo } from './io.js';
import { formatError, formatErrorJson } from './render-error.js';
import { TOOL_VERSION } from './tool-version.js';

export type { CliIo } from './io.js';

// Runs one CLI invocation and returns its exit code; the only place that decides what is printed.
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  // The run's one clock reading; every time comparison uses it (or --now).
  const clockAtStart = new Date();
  if (argv[0] === 'verify-bundle') return runVerifyBundleCommand(argv.slice(1), io, clockAtStart);
  const debug = argv.includes('--debug');
  let parsed = false;
  try {
    const args = parseCliArgs(argv);
    parsed = true;
    switch (args.command) {
      case 'help':
        io.stdout(HELP_TEXT);
        return EXIT.pass;
      case 'version':
        io.stdout(`${TOOL_VERSION}\n`);
        return EXIT.pass;
      case 'inventory':
        return await runInventoryCommand(args, io);
      case 'policy':
        return await runPolicyCommand(args, io, clockAtStart);
      case 'init':
        return await runInitCommand(args, io);
      case 'ledger':
        return await runLedgerCommand(args, io);
      case 'check':
        return await runCheckCommand(args, io, clockAtStart);
    }
  } catch (error) {
    const outputs = !parsed && error instanceof UsageError ? locateCheckOutputs(argv) : undefined;
    if (outputs !== undefined) await removeStaleCheckOutputs(outputs);
    io.stderr(formatError(error, debug));
    if (argv.includes('--json')) io.stdout(formatErrorJson(error));
    return (error as { exitCode?: ExitCode }).exitCode ?? EXIT.incomplete;
  }
}

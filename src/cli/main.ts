import { EXIT, UsageError, type ExitCode } from '../errors.js';
import { locateCheckOutputs, parseCliArgs } from './args.js';
import { HELP_TEXT } from './help.js';
import type { CliIo } from './io.js';
import { formatError, formatErrorJson } from './render-error.js';
import { TOOL_VERSION } from './tool-version.js';

export type { CliIo } from './io.js';

// Each command's modules (arborist, the Sigstore libraries, npm's config) load only when that
// command runs: start-up is part of every run's time, and `--version` needs none of them.
const commands = {
  check: () => import('./commands/check.js'),
  init: () => import('./commands/init.js'),
  inventory: () => import('./commands/inventory.js'),
  ledger: () => import('./commands/ledger.js'),
  policy: () => import('./commands/policy.js'),
  verifyBundle: () => import('./commands/verify-bundle.js'),
};

// Runs one CLI invocation and returns its exit code; the only place that decides what is printed.
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  // The run's one clock reading; every time comparison uses it (or --now).
  const clockAtStart = new Date();
  if (argv[0] === 'verify-bundle') return (await commands.verifyBundle()).runVerifyBundleCommand(argv.slice(1), io, clockAtStart);
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
        return await (await commands.inventory()).runInventoryCommand(args, io);
      case 'policy':
        return await (await commands.policy()).runPolicyCommand(args, io, clockAtStart);
      case 'init':
        return await (await commands.init()).runInitCommand(args, io);
      case 'ledger':
        return await (await commands.ledger()).runLedgerCommand(args, io);
      case 'check':
        return await (await commands.check()).runCheckCommand(args, io, clockAtStart);
    }
  } catch (error) {
    const outputs = !parsed && error instanceof UsageError ? locateCheckOutputs(argv) : undefined;
    if (outputs !== undefined) await (await commands.check()).removeStaleCheckOutputs(outputs);
    io.stderr(formatError(error, debug));
    if (argv.includes('--json')) io.stdout(formatErrorJson(error));
    return (error as { exitCode?: ExitCode }).exitCode ?? EXIT.incomplete;
  }
}

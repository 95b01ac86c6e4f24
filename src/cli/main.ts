import { createRequire } from 'node:module';
import { EXIT, type ExitCode } from '../errors.js';
import { walkTree } from '../walk/index.js';
import { parseCliArgs } from './args.js';
import { HELP_TEXT } from './help.js';
import { formatError } from './render-error.js';
import { renderInventorySummary, toInventoryJson } from './render-inventory.js';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const NOT_VERIFIED_NOTICE =
  'NOT VERIFIED: this version of verify-deps reads the lockfile only; registry signatures and provenance are not checked yet.\n';

const packageJson = createRequire(import.meta.url)('../../package.json') as { version: string };

// Runs one CLI invocation and returns its exit code; the only place that decides what is printed.
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
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
      case 'inventory':
      case 'check': {
        const result = await walkTree(args.dir, { omit: args.omit });
        io.stderr(renderInventorySummary(result));
        // Said on every run until the verification stage exists, so nobody mistakes a walk for a gate.
        if (args.command === 'check') io.stderr(NOT_VERIFIED_NOTICE);
        if (args.json) io.stdout(`${JSON.stringify(toInventoryJson(result), null, 2)}\n`);
        return EXIT.pass;
      }
    }
  } catch (error) {
    io.stderr(formatError(error, debug));
    return (error as { exitCode?: ExitCode }).exitCode ?? EXIT.incomplete;
  }
}

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
        if (args.json) io.stdout(`${JSON.stringify(toInventoryJson(result), null, 2)}\n`);
        return EXIT.pass;
      }
    }
  } catch (error) {
    io.stderr(formatError(error, debug));
    return (error as { exitCode?: ExitCode }).exitCode ?? EXIT.incomplete;
  }
}

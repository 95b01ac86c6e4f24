import { EXIT, type ExitCode } from '../../errors.js';
import { walkTree } from '../../walk/index.js';
import { toTreeOptions, type CliArgs } from '../args.js';
import type { CliIo } from '../io.js';
import { renderInventory, renderInventorySummary, toInventoryJson } from '../render-inventory.js';

// `verify-deps inventory`: what the lockfile installs, no network.
export async function runInventoryCommand(args: CliArgs, io: CliIo): Promise<ExitCode> {
  const result = await walkTree(args.dir, { ...toTreeOptions(args), omit: args.omit });
  // --json lists the packages on stdout; without it, the table is the list.
  io.stderr(args.json ? renderInventorySummary(result, args.omit) : renderInventory(result, args.omit));
  if (args.json) io.stdout(`${JSON.stringify(toInventoryJson(result), null, 2)}\n`);
  return EXIT.pass;
}

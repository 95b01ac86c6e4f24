import { EXIT, type ExitCode } from '../../errors.js';
import { verifyLedger } from '../../report/ledger.js';
import type { CliArgs } from '../args.js';
import type { CliIo } from '../io.js';
import { plural } from '../plural.js';

// `verify-deps ledger verify DIR`: exit 0 when the hash chain is intact, 1 naming the first
// broken record.
export async function runLedgerCommand(args: CliArgs, io: CliIo): Promise<ExitCode> {
  const result = await verifyLedger(args.dir);
  if (result.ok) {
    io.stderr(`${args.dir}: ${plural(result.records, 'record')}, the hash chain is intact\n`);
    return EXIT.pass;
  }
  io.stderr(`${args.dir}: record ${result.record} is ${result.problem}: ${result.message}\n`);
  return EXIT.policyFailure;
}

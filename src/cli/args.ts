import { parseArgs } from 'node:util';
import { UsageError } from '../errors.js';
import type { OmitType } from '../types.js';

// The commands; a first positional that is not one of them is the project directory.
export const COMMANDS = ['check', 'inventory'] as const;

export type CommandName = (typeof COMMANDS)[number];

export interface CliArgs {
  command: CommandName | 'help' | 'version';
  dir: string;
  json: boolean;
  omit: OmitType[];
  debug: boolean;
}

const OMIT_TYPES: readonly OmitType[] = ['dev', 'optional', 'peer'];

const OPTIONS = {
  json: { type: 'boolean' },
  omit: { type: 'string', multiple: true },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

// Turns argv into a command and its options; every mistake is a UsageError naming the argument.
export function parseCliArgs(argv: readonly string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (cause) {
    throw toUsageError(cause as Error & { code?: string });
  }
  const { values, positionals } = parsed;
  const debug = values.debug ?? false;
  if (values.help) return { command: 'help', dir: '.', json: false, omit: [], debug };
  if (values.version) return { command: 'version', dir: '.', json: false, omit: [], debug };

  let command: CommandName = 'check';
  const rest = [...positionals];
  if (rest[0] !== undefined && (COMMANDS as readonly string[]).includes(rest[0])) {
    command = rest.shift() as CommandName;
  }
  if (rest.length > 1) {
    throw new UsageError('USAGE', `too many arguments: expected at most one directory, got ${rest.map((arg) => `"${arg}"`).join(' ')}`);
  }
  return { command, dir: rest[0] ?? '.', json: values.json ?? false, omit: parseOmit(values.omit ?? []), debug };
}

function parseOmit(raw: readonly string[]): OmitType[] {
  const types = raw.flatMap((value) => value.split(',')).map((value) => value.trim()).filter(Boolean);
  for (const type of types) {
    if (!(OMIT_TYPES as readonly string[]).includes(type)) {
      throw new UsageError('INVALID_OPTION', `--omit ${type}: expected one of ${OMIT_TYPES.join(', ')}`, { field: '--omit' });
    }
  }
  return [...new Set(types)] as OmitType[];
}

function toUsageError(error: Error & { code?: string }): UsageError {
  const message = error.message.split('\n')[0] ?? String(error);
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const option = /'([^']+)'/.exec(message)?.[1] ?? message;
    return new UsageError('UNKNOWN_OPTION', `unknown option ${option}`, { field: option });
  }
  return new UsageError('INVALID_OPTION', message);
}

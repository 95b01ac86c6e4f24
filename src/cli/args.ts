import { basename, dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { assertFreshTrustAllowed } from '../check/fresh-trust.js';
import { UsageError } from '../errors.js';
import type { OmitType } from '../types.js';
import type { TreeOptions } from '../check/tree.js';
import { MAX_LOCKFILE_ENTRIES } from '../walk/limits.js';

// The commands; a first positional that is not one of them is the project directory.
export const COMMANDS = ['check', 'inventory', 'policy', 'ledger', 'init'] as const;

export type CommandName = (typeof COMMANDS)[number];

// Commands that take an action word: `policy validate FILE`, `policy learn [dir]`, `ledger verify DIR`.
const ACTIONS: Record<string, readonly string[]> = { policy: ['validate', 'learn'], ledger: ['verify'] };

export interface CliArgs {
  command: CommandName | 'help' | 'version';
  // The action word of `policy` and `ledger`.
  action?: string;
  // The directory (or, for `policy validate` and `ledger verify`, the file or directory) operated on.
  dir: string;
  policy?: string;
  mode?: 'strict' | 'audit';
  report?: string;
  sri?: string;
  sriFiles: string[];
  rehash: boolean;
  // --installed: compare node_modules with the verified tarballs.
  installed: boolean;
  vsa?: string;
  ledger?: string;
  gitlabReport?: string;
  // --sarif: a SARIF 2.1.0 log for GitHub code scanning.
  sarif?: string;
  quiet: boolean;
  postinstall: boolean;
  // init --github: also write the GitHub Actions workflow.
  github: boolean;
  force: boolean;
  json: boolean;
  omit: OmitType[];
  // --workspace (-w): only these workspaces' dependencies (names or folders).
  workspaces: string[];
  includeWorkspaceRoot: boolean;
  // --max-entries: the most lockfile entries read.
  maxEntries?: number;
  debug: boolean;
  registry?: string;
  attestationsRegistry?: string;
  registryKeys?: string;
  trustedRoot?: string;
  cache?: string;
  offline: boolean;
  concurrency: number;
  // Per HTTP request, milliseconds.
  fetchTimeoutMs: number;
  retries: number;
  // --timeout: the whole run, milliseconds.
  runTimeoutMs?: number;
  now?: Date;
  tufMirror?: string;
  requireFreshTrust: boolean;
}

const OMIT_TYPES: readonly OmitType[] = ['dev', 'optional', 'peer'];

const OPTIONS = {
  json: { type: 'boolean' },
  omit: { type: 'string', multiple: true },
  workspace: { type: 'string', multiple: true, short: 'w' },
  'include-workspace-root': { type: 'boolean' },
  'max-entries': { type: 'string' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  registry: { type: 'string' },
  'attestations-registry': { type: 'string' },
  'registry-keys': { type: 'string' },
  'trusted-root': { type: 'string' },
  cache: { type: 'string' },
  offline: { type: 'boolean' },
  concurrency: { type: 'string' },
  'fetch-timeout': { type: 'string' },
  retries: { type: 'string' },
  timeout: { type: 'string' },
  now: { type: 'string' },
  'tuf-mirror': { type: 'string' },
  'require-fresh-trust': { type: 'boolean' },
  policy: { type: 'string' },
  mode: { type: 'string' },
  report: { type: 'string' },
  sri: { type: 'string' },
  'sri-files': { type: 'string', multiple: true },
  rehash: { type: 'boolean' },
  installed: { type: 'boolean' },
  vsa: { type: 'string' },
  ledger: { type: 'string' },
  'gitlab-report': { type: 'string' },
  sarif: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  postinstall: { type: 'boolean' },
  github: { type: 'boolean' },
  force: { type: 'boolean' },
} as const;

export const DEFAULTS = { concurrency: 32, fetchTimeoutMs: 30_000, retries: 3 } as const;

// Turns argv into a command and its options; every mistake is a UsageError naming the argument.
export function parseCliArgs(argv: readonly string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (cause) {
    throw toUsageError(cause as Error & { code?: string });
  }
  const { values, positionals } = parsed;
  let command: CliArgs['command'] = 'check';
  const rest = [...positionals];
  // `verify-deps help`, as `npm help`: the word is the command, never a directory named so.
  if (rest[0] === 'help') {
    rest.splice(0);
    command = 'help';
  } else if (values.help) command = 'help';
  else if (values.version) command = 'version';
  else if (rest[0] !== undefined && (COMMANDS as readonly string[]).includes(rest[0])) command = rest.shift() as CommandName;
  const actions = ACTIONS[command];
  let action: string | undefined;
  if (actions !== undefined) {
    action = rest.shift();
    if (action === undefined || !actions.includes(action)) {
      throw new UsageError('USAGE', `${command} ${action ?? ''}: expected one of ${actions.map((a) => `"${command} ${a}"`).join(', ')}`.replace(' :', ':'));
    }
    if ((action === 'validate' || action === 'verify') && rest[0] === undefined) {
      throw new UsageError('USAGE', `${command} ${action}: expected a ${action === 'validate' ? 'policy file' : 'ledger directory'}`);
    }
  }
  if (rest.length > 1) {
    throw new UsageError('USAGE', `too many arguments: expected at most one directory, got ${rest.map((arg) => `"${arg}"`).join(' ')}`);
  }
  return {
    command,
    ...optional('action', action),
    dir: action === 'validate' || action === 'verify' ? (rest[0] as string) : toProjectDir(rest[0]),
    ...optional('policy', values.policy),
    ...optional('mode', values.mode === undefined ? undefined : parseMode(values.mode)),
    ...optional('report', values.report),
    ...optional('sri', values.sri),
    sriFiles: values['sri-files'] ?? [],
    rehash: values.rehash ?? false,
    installed: values.installed ?? false,
    ...optional('vsa', values.vsa),
    ...optional('ledger', values.ledger),
    ...optional('gitlabReport', values['gitlab-report']),
    ...optional('sarif', values.sarif),
    quiet: values.quiet ?? false,
    postinstall: values.postinstall ?? false,
    github: values.github ?? false,
    force: values.force ?? false,
    json: values.json ?? false,
    omit: parseOmit(values.omit ?? []),
    workspaces: values.workspace ?? [],
    includeWorkspaceRoot: values['include-workspace-root'] ?? false,
    ...optional('maxEntries', values['max-entries'] === undefined ? undefined : parseInteger('--max-entries', values['max-entries'], MAX_LOCKFILE_ENTRIES, 1, 10_000_000)),
    debug: values.debug ?? false,
    ...optional('registry', values.registry),
    ...optional('attestationsRegistry', values['attestations-registry']),
    ...optional('registryKeys', values['registry-keys']),
    ...optional('trustedRoot', values['trusted-root']),
    ...optional('cache', values.cache),
    offline: values.offline ?? false,
    concurrency: parseInteger('--concurrency', values.concurrency, DEFAULTS.concurrency, 1, 256),
    fetchTimeoutMs: parseInteger('--fetch-timeout', values['fetch-timeout'], DEFAULTS.fetchTimeoutMs, 100, 600_000),
    retries: parseInteger('--retries', values.retries, DEFAULTS.retries, 0, 10),
    ...optional('runTimeoutMs', values.timeout === undefined ? undefined : parseInteger('--timeout', values.timeout, 0, 1, 86_400) * 1000),
    ...optional('now', values.now === undefined ? undefined : parseNow(values.now)),
    ...optional('tufMirror', values['tuf-mirror']),
    requireFreshTrust: parseRequireFreshTrust(values['require-fresh-trust'] ?? false, values.offline ?? false),
  };
}

function parseRequireFreshTrust(requireFreshTrust: boolean, offline: boolean): boolean {
  assertFreshTrustAllowed({ requireFreshTrust, offline });
  return requireFreshTrust;
}

// The outputs a `check` command line names, when it names them unambiguously: every option known
// and the command `check`, so no option's value can be mistaken for the directory. For a command
// line that is wrong only in a value (`--mode lenient`): its stale outputs must still go.
export function locateCheckOutputs(argv: readonly string[]): CheckOutputArgs | undefined {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch {
    return undefined;
  }
  const { values, positionals } = parsed;
  const rest = positionals[0] === 'check' ? positionals.slice(1) : positionals;
  if (values.help || values.version || (COMMANDS as readonly string[]).includes(rest[0] ?? '') || rest.length > 1) return undefined;
  return {
    dir: toProjectDir(rest[0]),
    ...optional('report', values.report),
    ...optional('sri', values.sri),
    ...optional('vsa', values.vsa),
  };
}

// The options that say where `check` writes its outputs.
export type CheckOutputArgs = Pick<CliArgs, 'dir' | 'report' | 'sri' | 'vsa'>;

// Lockfile names npm installs from: passed in place of the project directory (as lockfile-lint's
// --path), they name their folder.
const LOCKFILE_NAMES = ['package-lock.json', 'npm-shrinkwrap.json'];

function toProjectDir(arg: string | undefined): string {
  if (arg === undefined) return '.';
  return LOCKFILE_NAMES.includes(basename(arg)) ? dirname(arg) : arg;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function parseInteger(flag: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new UsageError('INVALID_OPTION', `${flag} ${raw}: expected a whole number from ${min} to ${max}`, { field: flag });
  }
  return value;
}

// --now pins the run's clock for reproducible runs; only full ISO 8601 instants are accepted,
// because a date without a zone would mean different instants on different machines.
function parseNow(raw: string): Date {
  const date = new Date(raw);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(raw) || Number.isNaN(date.getTime())) {
    throw new UsageError('INVALID_OPTION', `--now ${raw}: expected an ISO 8601 time with a zone, e.g. 2026-01-31T12:00:00Z`, { field: '--now' });
  }
  return date;
}

function parseMode(raw: string): 'strict' | 'audit' {
  if (raw !== 'strict' && raw !== 'audit') throw new UsageError('INVALID_OPTION', `--mode ${raw}: expected strict or audit`, { field: '--mode' });
  return raw;
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

// The part of the tree a command reads (besides --omit): --workspace, --include-workspace-root,
// --max-entries.
export function toTreeOptions(args: CliArgs): Omit<TreeOptions, 'omit'> {
  return {
    workspaces: args.workspaces,
    includeWorkspaceRoot: args.includeWorkspaceRoot,
    ...(args.maxEntries === undefined ? {} : { maxEntries: args.maxEntries }),
  };
}

import { randomBytes, randomUUID } from 'node:crypto';
import { link, mkdir, open, readFile, realpath, stat, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ResultMac } from './result-mac.js';

// The key's file name in the state directory.
export const RESULT_KEY_FILE = 'result-key';

// This machine's result key, or why there is none (then no verification result is reused).
export type ResultKey = { mac: ResultMac; file: string } | { problem: string; file: string };

// Where verify-deps keeps what belongs to this machine rather than to the cache:
// $VERIFY_DEPS_STATE_DIR, else $XDG_STATE_HOME/verify-deps, else %LOCALAPPDATA%\verify-deps on
// Windows, else ~/.local/state/verify-deps.
export function defaultStateDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  if (env.VERIFY_DEPS_STATE_DIR) return resolve(env.VERIFY_DEPS_STATE_DIR);
  if (env.XDG_STATE_HOME && isAbsolute(env.XDG_STATE_HOME)) return join(env.XDG_STATE_HOME, 'verify-deps');
  if (platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'verify-deps');
  return join(home, '.local', 'state', 'verify-deps');
}

// Reads this machine's result key from stateDir, creating it on first use (32 random bytes,
// mode 0600). The key must not be in a cache directory: whoever can write the cache could then
// read it and vouch for any result.
export async function loadResultKey(stateDir: string, cacheDirs: readonly string[]): Promise<ResultKey> {
  const file = join(resolve(stateDir), RESULT_KEY_FILE);
  try {
    if (await isInsideAny(resolve(stateDir), cacheDirs)) return { file, problem: `expected the result key outside the cache directory, got ${file}` };
    await mkdir(stateDir, { recursive: true, mode: 0o700 });
    // Again with symbolic links resolved, now that the directory exists.
    if (await isInsideAny(await realpath(stateDir), cacheDirs)) return { file, problem: `expected the result key outside the cache directory, got ${file}` };
    const text = (await readKeyFile(file)) ?? (await createKeyFile(file));
    const problem = await keyFileProblem(file, text);
    return problem === undefined ? { file, mac: new ResultMac(Buffer.from(text.trim(), 'hex')) } : { file, problem };
  } catch (error) {
    return { file, problem: `the result key ${file} could not be read or created (${(error as Error).message.split('\n')[0]})` };
  }
}

async function readKeyFile(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

// Writes a new key to a file of its own, then links it to the key's name: link() fails when the
// name exists (as an O_EXCL create does), and the file it links is complete, so two runs that
// start together both end up with the key that won, never a half-written one.
async function createKeyFile(file: string): Promise<string> {
  const text = `${randomBytes(KEY_BYTES).toString('hex')}\n`;
  const temporary = `${file}.${randomUUID()}.tmp`;
  const handle = await open(temporary, 'wx', 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(temporary, file);
    return text;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return await readFile(file, 'utf8');
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}

// A key others can read (or that another user owns) vouches for nothing: it is not used.
async function keyFileProblem(file: string, text: string): Promise<string | undefined> {
  if (!KEY_TEXT.test(text)) return `expected ${KEY_BYTES * 2} hex digits in the result key ${file}, got ${text.length} characters of something else (delete it to make a new key)`;
  if (process.platform === 'win32') return undefined;
  const stats = await stat(file);
  if ((stats.mode & 0o077) !== 0) return `expected the result key ${file} to be readable by its owner only (mode 600), got mode ${(stats.mode & 0o777).toString(8)}`;
  const uid = process.getuid?.();
  if (uid !== undefined && stats.uid !== uid) return `expected the result key ${file} to belong to user ${uid}, got user ${stats.uid}`;
  return undefined;
}

async function isInsideAny(dir: string, parents: readonly string[]): Promise<boolean> {
  for (const parent of parents) {
    const real = await realpath(parent).catch(() => resolve(parent));
    for (const candidate of new Set([resolve(parent), real])) {
      const path = relative(candidate, dir);
      if (path === '' || (path !== '..' && !path.startsWith(`..${sep}`) && !isAbsolute(path))) return true;
    }
  }
  return false;
}

const KEY_BYTES = 32;
const KEY_TEXT = /^[0-9a-f]{64}\n?$/;

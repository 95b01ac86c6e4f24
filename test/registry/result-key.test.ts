// This machine's result key: created on first use with mode 0600 in the state directory (never
// in a cache directory), the same key read back by every later run, one key when runs race.
import { chmodSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultStateDir, loadResultKey, RESULT_KEY_FILE, type ResultKey } from '../../src/registry/result-key.js';
import { ResultMac } from '../../src/registry/result-mac.js';
import { useTempDirs } from '../support/temp-dirs.js';

const newDir = useTempDirs('verify-deps-state-');

function macOf(key: ResultKey): ResultMac {
  if (!('mac' in key)) throw new Error(`expected a key, got: ${key.problem}`);
  return key.mac;
}

describe('loadResultKey', () => {
  it('creates the key on first use, readable by its owner only, and reuses it on the next run', async () => {
    const base = newDir();
    const stateDir = join(base, 'state', 'verify-deps');
    const cacheDir = join(base, 'cache');
    const first = await loadResultKey(stateDir, [cacheDir]);
    const signed = macOf(first).sign('result');
    expect(first.file).toBe(join(stateDir, RESULT_KEY_FILE));
    if (process.platform !== 'win32') expect(statSync(first.file).mode & 0o777).toBe(0o600);
    // Nothing written in the cache directory, nothing left behind beside the key.
    expect(() => readdirSync(cacheDir)).toThrow();
    expect(readdirSync(stateDir)).toEqual([RESULT_KEY_FILE]);
    expect(macOf(await loadResultKey(stateDir, [cacheDir])).verify('result', signed)).toBe(true);
  });

  it('another state directory is another key: it vouches for nothing the first signed', async () => {
    const base = newDir();
    const signed = macOf(await loadResultKey(join(base, 'a'), [join(base, 'cache')])).sign('result');
    const other = macOf(await loadResultKey(join(base, 'b'), [join(base, 'cache')]));
    expect(other.verify('result', signed)).toBe(false);
  });

  it('runs that start together end up with one key', async () => {
    const base = newDir();
    const stateDir = join(base, 'state');
    const keys = await Promise.all(Array.from({ length: 12 }, () => loadResultKey(stateDir, [join(base, 'cache')])));
    const signed = keys.map((key) => macOf(key).sign('result'));
    expect(new Set(signed).size).toBe(1);
    expect(readdirSync(stateDir)).toEqual([RESULT_KEY_FILE]);
  });

  it('refuses a key inside a cache directory', async () => {
    const base = newDir();
    const cacheDir = join(base, 'cache');
    const key = await loadResultKey(join(cacheDir, 'state'), [join(base, 'npm'), cacheDir]);
    expect('problem' in key).toBe(true);
    expect('problem' in (await loadResultKey(cacheDir, [cacheDir]))).toBe(true);
  });

  it.skipIf(process.platform === 'win32')('refuses a key others can read', async () => {
    const stateDir = newDir();
    const file = (await loadResultKey(stateDir, [])).file;
    chmodSync(file, 0o644);
    expect('problem' in (await loadResultKey(stateDir, []))).toBe(true);
  });

  it('refuses a key file that holds no key', async () => {
    const stateDir = newDir();
    writeFileSync(join(stateDir, RESULT_KEY_FILE), '', { mode: 0o600 });
    expect('problem' in (await loadResultKey(stateDir, []))).toBe(true);
  });

  it('reports a state directory that cannot be created as a problem, not an exception', async () => {
    const base = newDir();
    writeFileSync(join(base, 'file'), 'not a directory');
    expect('problem' in (await loadResultKey(join(base, 'file', 'state'), []))).toBe(true);
  });
});

describe('defaultStateDir', () => {
  it('is $VERIFY_DEPS_STATE_DIR, else $XDG_STATE_HOME/verify-deps, else ~/.local/state/verify-deps', () => {
    expect(defaultStateDir({ VERIFY_DEPS_STATE_DIR: '/s', XDG_STATE_HOME: '/x' }, 'linux', '/home/u')).toBe('/s');
    expect(defaultStateDir({ XDG_STATE_HOME: '/x' }, 'linux', '/home/u')).toBe(join('/x', 'verify-deps'));
    expect(defaultStateDir({ XDG_STATE_HOME: 'relative' }, 'linux', '/home/u')).toBe(join('/home/u', '.local', 'state', 'verify-deps'));
    expect(defaultStateDir({}, 'linux', '/home/u')).toBe(join('/home/u', '.local', 'state', 'verify-deps'));
    expect(defaultStateDir({ LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'win32', 'C:\\Users\\u')).toBe(join('C:\\Users\\u\\AppData\\Local', 'verify-deps'));
  });
});

describe('ResultMac', () => {
  it('accepts its own MAC only, of the same message', () => {
    const mac = new ResultMac(Buffer.alloc(32, 1));
    const signed = mac.sign('message');
    expect(mac.verify('message', signed)).toBe(true);
    expect(mac.verify('other message', signed)).toBe(false);
    expect(mac.verify('message', signed.slice(0, 63))).toBe(false);
    expect(mac.verify('message', undefined)).toBe(false);
  });
});

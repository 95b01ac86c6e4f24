// tuf-js is loaded only for a TUF refresh: a run given --trusted-root does without it.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki } from '../support/index.js';
import { makeTempDir } from '../support/fixture-project.js';

const TRUST_SOURCE = fileURLToPath(new URL('../../dist/registry/trust-source.js', import.meta.url));

describe('loading the trust material from --trusted-root', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await makeTempDir());
  });
  afterAll(() => cleanup());

  it('takes the file, without loading tuf-js', async () => {
    const file = join(dir, 'trusted_root.json');
    await writeFile(file, JSON.stringify(createTestPki().trustedRoot()));
    const options = { refresh: false, trustedRootFile: file, tufCacheDir: join(dir, 'cache'), refreshTimeoutMs: 5_000 };
    const script = `
      import { createRequire } from 'node:module';
      const { loadTrustSource } = await import(${JSON.stringify(TRUST_SOURCE)});
      const source = await loadTrustSource(${JSON.stringify(options)});
      const loaded = Object.keys(createRequire(import.meta.url).cache);
      console.log(JSON.stringify({ origin: source.trustedRootOrigin, tufLoaded: loaded.some((path) => path.includes('/tuf-js/')) }));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script]);
    expect(JSON.parse(stdout)).toEqual({ origin: 'file', tufLoaded: false });
  });
});

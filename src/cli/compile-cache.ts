import { mkdirSync } from 'node:fs';
import { enableCompileCache } from 'node:module';
import { join } from 'node:path';
import { defaultStateDir } from '../registry/result-key.js';

// Turns on Node's compile cache for this process, kept in the user's state directory: loading the
// code (arborist, the Sigstore and npm libraries) is most of a warm run's time, and the cache
// halves the compiling part of it. Not in the shared temp directory: the cache holds code this
// process runs, so it must be a directory only this user can write, as the result key's is.
// Whatever goes wrong (unwritable, a file in the way, caching disabled), the run goes on without
// it: a cache is never a reason to fail.
export function enableCodeCache(env: NodeJS.ProcessEnv): string | undefined {
  try {
    const dir = join(defaultStateDir(env), 'compile-cache');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const result = enableCompileCache(dir);
    return result.directory;
  } catch {
    return undefined;
  }
}

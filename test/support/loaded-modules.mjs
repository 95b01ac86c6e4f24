// Preloaded into a CLI run (NODE_OPTIONS --import) by a test that asks what the run loaded: at
// exit, the URL of every module the main thread loaded (ES modules and CommonJS alike) is written
// to the file named by VERIFY_DEPS_TEST_LOADED, one a line.
import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { isMainThread } from 'node:worker_threads';

const out = process.env.VERIFY_DEPS_TEST_LOADED;
if (out !== undefined && isMainThread) {
  const loaded = [];
  registerHooks({
    load(url, context, next) {
      loaded.push(url);
      return next(url, context);
    },
  });
  process.on('exit', () => writeFileSync(out, `${loaded.join('\n')}\n`));
}

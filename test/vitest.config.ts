import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The config lives in test/ because the repository's top level is fixed; root points back up.
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ['test/**/*.test.ts'],
    exclude: ['test/bench/**', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // No test reaches beyond 127.0.0.1, nor does any CLI a test spawns.
    setupFiles: ['./test/support/network-guard-setup.ts'],
    reporters: ['default', './test/support/plain-summary-reporter.ts'],
  },
});

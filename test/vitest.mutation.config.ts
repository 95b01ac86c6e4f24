import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// The tests `npm run mutate` runs against each mutant of src/verify and src/policy: the unit tests
// that import those modules directly. The e2e tests and the CLI tests run dist/, which holds no
// mutant, so they could only slow the run down. (Not mergeConfig: it would append to include.)
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: [
      'test/verify/**/*.test.ts',
      'test/policy/**/*.test.ts',
      'test/verify-bundle/binding.test.ts',
      'test/verify-bundle/conformance-lib.test.ts',
      'test/verify-bundle/digest-signature.test.ts',
      'test/verify-bundle/identity.test.ts',
    ],
  },
});

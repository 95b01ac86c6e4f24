// StrykerJS over src/verify and src/policy: `npm run mutate` (not part of `npm test` or CI).
// Incremental: the result of each mutant is kept in .stryker/incremental.json (gitignored) and
// reused while neither the mutated code nor the tests that cover it change, so a rerun after a
// small change takes minutes. Results are written up in test/MUTATION.md.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'test/vitest.mutation.config.ts', related: false },
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: [
    'src/verify/**/*.ts',
    'src/policy/**/*.ts',
    // Types only, and generated from the schema.
    '!src/policy/policy.generated.ts',
    '!src/**/types.ts',
    // Runs in a worker thread from dist/ only (test/check/verifier-pool.test.ts).
    '!src/verify/worker.ts',
  ],
  // vitest does not typecheck; without this Stryker would also prepend @ts-nocheck to the generated
  // files that test/policy compares byte for byte with their generator's output.
  disableTypeChecks: false,
  // StrykerJS rewrites the paths of this tsconfig that point outside its sandbox through the
  // TypeScript JavaScript API, which TypeScript 7 no longer has; ours point to nothing outside, so
  // it is pointed at a file that does not exist and the rewrite is skipped.
  tsconfigFile: 'tsconfig.stryker-no-rewrite.json',
  coverageAnalysis: 'perTest',
  // A static mutant (code run when a module or a describe block loads, like the trust most test
  // files build once) needs every test run against it: 20% of the mutants, 80% of the time. They
  // are reported as ignored; test/MUTATION.md says how many and where.
  ignoreStatic: true,
  incremental: true,
  incrementalFile: '.stryker/incremental.json',
  tempDirName: '.stryker/tmp',
  cleanTempDir: true,
  // Only what the tests read is copied into the sandbox.
  ignorePatterns: ['dist', '.bench', 'coverage', '.stryker', 'test/e2e', 'test/bench'],
  concurrency: 2,
  timeoutMS: 20_000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: '.stryker/report/mutation.html' },
  jsonReporter: { fileName: '.stryker/report/mutation.json' },
  thresholds: { high: 90, low: 80, break: null },
};

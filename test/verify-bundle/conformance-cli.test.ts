// Every case of the sigstore-conformance sample, in both modes (artifact path and sha256 digest),
// through the real built CLI with the client protocol's exact argument order.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type ExpectStatic, describe, expect, test } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { CASES, KNOWN_FAILURE_RUNS, PASSING_RUNS, PRODUCTION_ROOT, RUNS, type Run, SAMPLE_DIR, expectsFailure, protocolArgs, readSample } from './_cases.js';
import { SIGSTORE_TUF_MIRROR } from '../../src/registry/trust-source.js';

const require = createRequire(import.meta.url);

describe('verify-bundle: sigstore-conformance sample through the CLI', () => {
  test('the sample has 18 cases, each run in both modes; 1 case (2 runs) is a known gap', () => {
    expect(CASES).toHaveLength(18);
    expect(RUNS).toHaveLength(36);
    expect(PASSING_RUNS).toHaveLength(34);
    expect(KNOWN_FAILURE_RUNS.map((r) => r.name)).toEqual([
      'intoto-canonical-log-entry (path)',
      'intoto-canonical-log-entry (digest)',
    ]);
  });

  test('the default root (no --trusted-root) is the sample production root, byte for byte', () => {
    const seeds = JSON.parse(readFileSync(require.resolve('@sigstore/tuf/seeds.json'), 'utf8'));
    const embedded = Buffer.from(seeds[SIGSTORE_TUF_MIRROR].targets['trusted_root.json'], 'base64');
    expect(createHash('sha256').update(embedded).digest('hex')).toBe(createHash('sha256').update(readSample(PRODUCTION_ROOT)).digest('hex'));
  });

  // Concurrent: each run is its own process.
  test.concurrent.for(PASSING_RUNS)('$name', async (run, { expect }) => {
    await checkRun(run, expect);
  });

  // Known gaps (`knownFailure` in cases.json): the suite's expectation, expected to fail until closed.
  test.concurrent.fails.for(KNOWN_FAILURE_RUNS)('known gap: $name', async (run, { expect }) => {
    await checkRun(run, expect);
  });
});

// The suite's rule for one run: non-zero exit with one line naming the reason for a `_fail` case,
// exit 0 with the verified line otherwise.
async function checkRun({ c, mode }: Run, expect: ExpectStatic): Promise<void> {
  const run = await runCli(protocolArgs(c, mode), { cwd: SAMPLE_DIR });
  const lines = run.stderr.split('\n').filter(Boolean);
  if (expectsFailure(c)) {
    expect(run.code, run.stderr).not.toBe(0);
    // One line that says why: the finding code, or the input error's code.
    expect(lines, run.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^verify-deps( verify-bundle)?: (error )?[A-Z_]+: /);
  } else {
    expect(run.code, run.stderr).toBe(0);
    expect(lines[0]).toMatch(/^verify-deps verify-bundle: verified: /);
  }
}

// Every case of the sigstore-conformance sample, in both modes (artifact path and sha256 digest),
// through the real built CLI with the client protocol's exact argument order.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, test } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { PRODUCTION_ROOT, RUNS, SAMPLE_DIR, expectsFailure, protocolArgs, readSample } from './_cases.js';
import { SIGSTORE_TUF_MIRROR } from '../../src/registry/trust-source.js';

const require = createRequire(import.meta.url);

describe('verify-bundle: sigstore-conformance sample through the CLI', () => {
  test('the sample has 12 cases, each run in both modes', () => {
    expect(RUNS).toHaveLength(24);
  });

  test('the default root (no --trusted-root) is the sample production root, byte for byte', () => {
    const seeds = JSON.parse(readFileSync(require.resolve('@sigstore/tuf/seeds.json'), 'utf8'));
    const embedded = Buffer.from(seeds[SIGSTORE_TUF_MIRROR].targets['trusted_root.json'], 'base64');
    expect(createHash('sha256').update(embedded).digest('hex')).toBe(createHash('sha256').update(readSample(PRODUCTION_ROOT)).digest('hex'));
  });

  // Concurrent: each run is its own process.
  test.concurrent.for(RUNS)('$name', async ({ c, mode }, { expect }) => {
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
  });
});

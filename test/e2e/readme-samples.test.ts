// The README's sample output is what the CLI prints: a passing and a failing run against the
// fixture registry (test/support/readme-samples.ts), compared with the README's sample blocks,
// folders, the port and the test keys' digests replaced by placeholders.

import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { runReadmeSamples, type SampleRun } from '../support/readme-samples.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

// The fenced block right after `<!-- sample:NAME -->`.
function sample(name: string): string {
  const match = new RegExp(`<!-- sample:${name} -->\\n\`\`\`text\\n([\\s\\S]*?)\`\`\`\\n`).exec(readme);
  if (!match) throw new Error(`README.md has no sample:${name} block`);
  return match[1] ?? '';
}

describe("the README's sample output", () => {
  let runs: { pass: SampleRun; fail: SampleRun };
  beforeAll(async () => {
    runs = await runReadmeSamples();
  }, 120_000);

  it('the passing sample is what a passing run prints (exit 0)', () => {
    expect(runs.pass.code).toBe(0);
    expect(runs.pass.stderr).toBe(sample('pass'));
  });

  it('the failing sample is what a failing run prints (exit 1)', () => {
    expect(runs.fail.code).toBe(1);
    expect(runs.fail.stderr).toBe(sample('fail'));
  });
});

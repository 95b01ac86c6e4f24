import { describe, expect, it } from 'vitest';
import { ProgressReporter } from '../../src/cli/progress.js';

// "verified" has one meaning (src/policy/verification.ts, known only once the policy judged):
// the progress line counts packages whose evidence was checked, and says so.
describe('the progress line', () => {
  it('counts checked packages, never calling them verified', () => {
    const written: string[] = [];
    const progress = new ProgressReporter((text) => written.push(text), true, () => 1_000);
    progress.update({ walked: 30, total: 20, fetched: 12, checked: 9, done: 8 });
    progress.update({ walked: 30, total: 20, fetched: 20, checked: 20, done: 20 });
    const lines = written.join('');
    expect(lines).toContain('9 checked');
    expect(lines).toContain('20 checked');
    expect(lines).not.toMatch(/verified/);
  });
});

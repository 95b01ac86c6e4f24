import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeTempDir } from '../support/fixture-project.js';
import { writeLockfileProject } from '../support/lockfile-project.js';
import { runCli } from '../../src/cli/main.js';
import type { ComplianceReport } from '../../src/report/build.js';

// The fault: the check stage fails halfway, after the lockfile was read, with an error nothing
// expected (what a bug looks like). Injected by replacing runCheck here (vi.mock is hoisted above
// the imports), never in the product.
vi.mock('../../src/check/index.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/check/index.js')>()),
  runCheck: vi.fn(async () => {
    throw new TypeError("Cannot read properties of undefined (reading 'registry')");
  }),
}));

const exists = async (path: string) => (await stat(path).catch(() => null)) !== null;
const INTEGRITY = `sha512-${Buffer.alloc(64, 1).toString('base64')}`;

describe('check: an unexpected error after the lockfile was read', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  const out: string[] = [];
  const err: string[] = [];
  let code: number;

  beforeAll(async () => {
    ({ dir, cleanup } = await makeTempDir());
    await writeLockfileProject(dir, [{ name: 'alpha', version: '1.0.0', integrity: INTEGRITY }, { name: 'beta', version: '2.0.0', integrity: INTEGRITY }]);
    await writeFile(join(dir, 'sri-manifest.json'), '{"stale": true}\n');
    code = await runCli(['check', dir, '--now', '2026-06-01T00:00:00Z', '--json'], {
      stdout: (text) => out.push(text),
      stderr: (text) => err.push(text),
      env: {},
    });
  });
  afterAll(async () => cleanup());

  it('exits 3 and says it was an internal error', () => {
    expect(code).toBe(3);
    expect(err.join('')).toContain('internal error');
  });

  it('still writes the report: verdict incomplete, the error, and every package of the lockfile unjudged', async () => {
    const report = JSON.parse(await readFile(join(dir, 'verify-deps-report.json'), 'utf8')) as ComplianceReport;
    expect(report.verdict).toBe('incomplete');
    expect(report.error).toEqual({ code: 'INTERNAL_ERROR', message: "Cannot read properties of undefined (reading 'registry')" });
    expect(report.packages.map((p) => [p.name, p.verdict, p.findings])).toEqual([['alpha', 'incomplete', []], ['beta', 'incomplete', []]]);
    expect(report.lockfile.path).toBe('package-lock.json');
    expect(report.lockfile.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(report.trustedRoot).toBeNull();
    expect(report.counts).toMatchObject({ packages: 2, checked: 0, failed: 2 });
    expect(JSON.parse(out.join(''))).toEqual(report);
  });

  it('removes the stale SRI manifest', async () => {
    expect(await exists(join(dir, 'sri-manifest.json'))).toBe(false);
  });
});

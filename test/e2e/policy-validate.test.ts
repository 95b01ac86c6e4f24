import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace, type Workspace } from '../support/attack-kit.js';
import { GITHUB_ISSUER, rulesPolicy, problemPaths } from '../support/policy-kit.js';
import { REKOR_URL } from '../support/public-urls.js';
import { runCli, type CliRun } from '../support/run-cli.js';

// `verify-deps policy validate FILE` through the REAL CLI: exit 0 on every shipped policy, exit 2 on
// broken ones with every problem on its own line under the error, each line led by its JSON path;
// an unanchored sanRegex is usable but warned about (case 3; its effect on `check` is in
// policy-signer.test.ts).
// Every broken document below is the valid BASE with only the named defects, so the listed paths
// are exactly the defects (and the valid BASE is the positive control).
const POLICIES_DIR = fileURLToPath(new URL('../../policies/', import.meta.url));
const SHIPPED = readdirSync(POLICIES_DIR).filter((f) => f.endsWith('.json')).sort();
const RULE = { name: 'r', match: { package: '*' } };
const BASE = rulesPolicy([RULE]);
const EXCEPTION = { package: 'a@1.0.0', waive: ['SIGNATURE_MISSING'], reason: 'vendor fix pending', approvedBy: 'sec@example.com', expires: '2026-12-31' };
const GITHUB = { repo: 'org/repo', workflow: '.github/workflows/release.yml', ref: 'refs/heads/main' };
const IDENTITIES = {
  policy: {
    identities: [{ subject: 'npm:registry.npmjs.org/*', issuer: GITHUB_ISSUER }],
    transparency: { log: REKOR_URL },
    enforcement: 'strict',
  },
};
const identitiesWith = (policy: Record<string, unknown>) => ({ policy: { ...IDENTITIES.policy, ...policy } });
const withRegex = (sanRegex: string) => rulesPolicy([{ ...RULE, signer: [{ oidcIssuer: GITHUB_ISSUER, sanRegex }] }]);

// [what is broken, the document, the JSON path of every problem (each path once, sorted)]
const BROKEN: Array<[string, unknown, string[]]> = [
  ['wrong types', { ...BASE, version: '1', downgrade: true, rules: [{ name: 7, match: { package: '*' } }], transparencyLogs: REKOR_URL },
    ['/downgrade', '/rules/0/name', '/transparencyLogs', '/version']],
  ['unknown keys, at every level', { ...BASE, enforce: 'audit', rules: [{ ...RULE, match: { package: '*', scope: 'x' }, requires: { provenance: true } }] },
    ['/enforce', '/rules/0/match/scope', '/rules/0/requires']],
  ['a regular expression that does not compile', rulesPolicy([{ ...RULE, signer: [{ oidcIssuer: GITHUB_ISSUER, sanRegex: '^https://github\\.com/(org$' }] }]),
    ['/rules/0/signer/0/sanRegex']],
  ['dates: not a calendar date, not a date at all', { ...BASE, exceptions: [{ ...EXCEPTION, expires: '2026-02-30' }, { ...EXCEPTION, expires: 'next tuesday' }] },
    ['/exceptions/0/expires', '/exceptions/1/expires']],
  ['empty identities: {} and a github identity with nothing in it', rulesPolicy([{ ...RULE, signer: [{}, { github: {} }] }]),
    ['/rules/0/signer/0', '/rules/0/signer/1/github/ref', '/rules/0/signer/1/github/repo', '/rules/0/signer/1/github/workflow']],
  ['an exception without expires, approvedBy and reason', (() => {
    const { expires: _e, approvedBy: _a, reason: _r, ...rest } = EXCEPTION;
    return { ...BASE, exceptions: [rest] };
  })(), ['/exceptions/0/approvedBy', '/exceptions/0/expires', '/exceptions/0/reason']],
  ['bad semver ranges: a rule version and an exception package', { ...rulesPolicy([{ ...RULE, match: { package: '*', version: '>>1.x' } }]), exceptions: [{ ...EXCEPTION, package: 'a@1.x || banana' }] },
    ['/exceptions/0/package', '/rules/0/match/version']],
  ['bad enum values', { ...rulesPolicy([{ ...RULE, runnerEnvironment: 'laptop', signer: [{ github: GITHUB }] }]), enforcement: 'lenient', sources: { git: 'block' }, exceptions: [{ ...EXCEPTION, waive: ['EVERYTHING'] }] },
    ['/enforcement', '/exceptions/0/waive/0', '/rules/0/runnerEnvironment', '/sources/git']],
  ['empty package globs: "", [] and a list holding ""', rulesPolicy([{ name: 'a', match: { package: '' } }, { name: 'b', match: { package: [] } }, { name: 'c', match: { package: ['lodash', ''] } }]),
    ['/rules/0/match/package', '/rules/1/match/package', '/rules/2/match/package/1']],
  ['the identities format with wrong fields', identitiesWith({ identities: [{ subject: 'registry.npmjs.org/*', issuer: GITHUB_ISSUER, san: 'x' }], transparency: { url: REKOR_URL } }),
    ['/policy/identities/0/san', '/policy/identities/0/subject', '/policy/transparency/log', '/policy/transparency/url']],
];

// Every validation runs at once (each is a process of its own), before the assertions.
describe('policy validate (the real CLI)', () => {
  let ws: Workspace;
  const runs = new Map<string, CliRun>();
  const run = (key: string): CliRun => {
    const found = runs.get(key);
    if (found === undefined) throw new Error(`no run ${key}`);
    return found;
  };

  beforeAll(async () => {
    ws = await createWorkspace();
    const docs: Array<[string, unknown]> = [
      ['base', { ...BASE, exceptions: [EXCEPTION] }],
      ...BROKEN.map(([, doc], i): [string, unknown] => [`broken-${i}`, doc]),
      ['unanchored', withRegex('https://github\\.com/org/repo/\\.github/workflows/release\\.yml@refs/heads/main')],
      ['anchored', withRegex('^https://github\\.com/org/a/.*$|^https://github\\.com/org/b/.*$')],
    ];
    const jobs = [
      ...SHIPPED.map((file) => [`shipped-${file}`, `${POLICIES_DIR}${file}`] as const),
      ...(await Promise.all(docs.map(async ([key, doc]) => [key, await ws.writeJson(`${key}.json`, doc)] as const))),
    ];
    const results = await Promise.all(jobs.map(([, file]) => runCli(['policy', 'validate', file])));
    jobs.forEach(([key], i) => runs.set(key, results[i] as CliRun));
  });
  afterAll(async () => {
    await ws?.cleanup();
  });

  it('the shipped policies are the four documented ones', () => {
    expect(SHIPPED).toEqual(['audit.json', 'default.json', 'example-sigstore.json', 'strict.json']);
  });

  it.each(SHIPPED)('exits 0 on policies/%s, without warnings', (file) => {
    const { code, stderr } = run(`shipped-${file}`);
    expect(stderr).toContain(`${file}: a valid policy`);
    expect(stderr).not.toContain('warning');
    expect(code).toBe(0);
  });

  it('exits 0 on the valid base every broken document is derived from (the positive control)', () => {
    const { code, stderr } = run('base');
    expect(stderr).toMatch(/base\.json: a valid policy \(rules format\): 1 rule, 1 exception, enforcement strict/);
    expect(code).toBe(0);
  });

  it.each(BROKEN.map(([what, , paths], i) => [what, i, paths] as const))('exits 2 on %s, one line per problem, each led by its JSON path', (_what, i, paths) => {
    const { code, stdout, stderr } = run(`broken-${i}`);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    const header = /error POLICY_INVALID: .*broken-\d+\.json is not a valid verify-deps policy \((\d+) problems?\)/.exec(stderr);
    expect(header, stderr).not.toBeNull();
    const listed = problemPaths(stderr);
    // The summary's count is the number of problem lines, and every defect has its path listed.
    expect(listed).toHaveLength(Number(header?.[1]));
    expect([...new Set(listed)].sort()).toEqual(paths);
  });

  const WARNING = /^warning: .*: \/rules\/0\/signer\/0\/sanRegex: unanchored pattern is substring-matched/m;

  it('an unanchored sanRegex: exit 0 (usable) with the warning on stderr', () => {
    const { code, stderr } = run('unanchored');
    expect(stderr).toMatch(WARNING);
    expect(code).toBe(0);
  });

  it('an anchored sanRegex (^…$ per alternative): exit 0 and no warning', () => {
    const { code, stderr } = run('anchored');
    expect(stderr).not.toContain('warning');
    expect(stderr).toContain('a valid policy');
    expect(code).toBe(0);
  });
});

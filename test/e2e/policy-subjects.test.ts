import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, githubActionsIdentity, startFixtureRegistry, syntheticScenario, type FixtureRegistry, type RegistryScenario } from '../support/index.js';
import { createWorkspace, pinned, type Workspace, writeTrustFiles } from '../support/attack-kit.js';
import type { LockfilePackage } from '../support/lockfile-project.js';
import { attestedBy, GITHUB_ISSUER, rulesPolicy, policyRun, type PolicyRun } from '../support/policy-kit.js';
import { runCli, type CliRun } from '../support/run-cli.js';
import { NPMJS_HOST, NPMJS_REGISTRY, YARNPKG_HOST } from '../support/public-urls.js';

// A lockfile stepping around the policy's subjects and pins, through the REAL CLI against the
// fixture registry (evidence is always fetched from it, whatever host the lockfile names):
// - the compact format's `npm:registry.npmjs.org/*` and a lockfile `resolved` on another spelling
//   of that host (trailing dot, upper case, :443), on a host that serves the same tarballs
//   (registry.yarnpkg.com), or on another port: the same host is judged by the subject, any
//   other is refused (REGISTRY_NOT_ALLOWED) where before it matched no subject and passed;
// - a native policy without a catch-all rule: a package no rule names fails (NO_MATCHING_RULE)
//   and `policy validate` warns at /rules, where before it was judged by verification alone;
// - an npm alias installing `evil` under a pinned name: judged by the pinned name's rule
//   (UNTRUSTED_SIGNER) and its identity-lock entry (IDENTITY_CHANGED), where before only `evil`'s.
const tarball = (origin: string, name: string) => `${origin}/${name}/-/${name.split('/').pop()}-1.0.0.tgz`;
const SUBJECT = 'npm:registry.npmjs.org/*';
const COMPACT = { policy: { identities: [{ subject: SUBJECT, issuer: GITHUB_ISSUER }], enforcement: 'strict' } };

// Package name → the lockfile `resolved` origin it is written with.
const HOSTS: Record<string, string> = {
  'h-plain': NPMJS_REGISTRY,
  'h-dot': `${NPMJS_REGISTRY}.`,
  'h-upper-port': `${NPMJS_REGISTRY.toUpperCase().replace('HTTPS:', 'https:')}:443`,
  'h-yarn': `https://${YARNPKG_HOST}`,
  'h-http-443': `http://${NPMJS_HOST}:443`,
  'h-port': `${NPMJS_REGISTRY}:8443`,
};

describe('policy: a lockfile stepping around subjects and pins (the real CLI)', () => {
  const pki = createTestPki();
  let ws: Workspace;
  let registry: FixtureRegistry;
  let scenario: RegistryScenario;
  const runs: Record<string, PolicyRun> = {};
  let validateNoCatchAll: CliRun;

  beforeAll(async () => {
    ws = await createWorkspace();
    scenario = syntheticScenario(pki, [...Object.keys(HOSTS), '@scope/pinned', 'evil', 'plain'].map((name) => ({ name, version: '1.0.0' })), { provenanceShare: 0 });
    for (const name of Object.keys(HOSTS)) scenario = attestedBy(pki, scenario, name, githubActionsIdentity({ repository: `org/${name}` }));
    scenario = attestedBy(pki, scenario, '@scope/pinned', githubActionsIdentity({ repository: 'scope/pinned', ref: 'refs/heads/main' }));
    scenario = attestedBy(pki, scenario, 'evil', githubActionsIdentity({ repository: 'attacker/evil', ref: 'refs/heads/main' }));
    registry = await startFixtureRegistry(scenario);
    const { trustedRoot, registryKeys } = await writeTrustFiles(ws, pki);
    const [plain, genuine, evil] = pinned(scenario, ['plain@1.0.0', '@scope/pinned@1.0.0', 'evil@1.0.0']) as [LockfilePackage, LockfilePackage, LockfilePackage];
    const evilAsPinned: LockfilePackage = { ...evil, installAs: '@scope/pinned' };
    const byHost = pinned(scenario, Object.keys(HOSTS).map((n) => `${n}@1.0.0`)).map((p) => ({ ...p, resolved: tarball(HOSTS[p.name] as string, p.name) }));
    // The compact format, its subject host written in another spelling: the same host.
    const respelled = { policy: { ...COMPACT.policy, identities: [{ subject: 'npm:Registry.NPMJS.org.:443/*', issuer: GITHUB_ISSUER }] } };
    // The identity `@scope/pinned` was learned with; the lock path is relative to the policy file.
    await writeFile(join(ws.dir, 'pinned.identities.json'), JSON.stringify({ version: 1, packages: { '@scope/pinned': { sourceRepositoryURI: 'https://github.com/scope/pinned', issuer: GITHUB_ISSUER } } }));
    const pinRule = { name: 'pinned', match: { package: '@scope/pinned' }, signer: [{ github: { repo: 'scope/pinned', workflow: '.github/workflows/release.yml', ref: 'refs/heads/main' } }] };
    const catchAll = { name: 'every other package', match: { package: '*' } };
    const noCatchAll = await ws.writeJson('no-catch-all.policy.json', rulesPolicy([pinRule]));

    const run = (label: string, packages: LockfilePackage[], policy: object | string) =>
      policyRun({ ws, label, registry, trustedRoot, registryKeys, packages, policy }).then((r) => (runs[label] = r));
    [validateNoCatchAll] = await Promise.all([
      runCli(['policy', 'validate', noCatchAll]),
      run('hosts', byHost, COMPACT),
      run('respelled', byHost, respelled),
      run('no-catch-all', [plain, genuine], noCatchAll),
      run('alias-rule', [evilAsPinned], rulesPolicy([pinRule, catchAll])),
      run('alias-rule-control', [genuine], rulesPolicy([pinRule, catchAll])),
      run('alias-lock', [evilAsPinned], rulesPolicy([catchAll], { identityLock: 'pinned.identities.json' })),
      run('alias-lock-control', [genuine], rulesPolicy([catchAll], { identityLock: 'pinned.identities.json' })),
    ]);
  });
  afterAll(async () => {
    await registry?.close();
    await ws?.cleanup();
  });

  describe('compact format: hosts', () => {
    it.each([['hosts'], ['respelled']])('%s: the subject host spelled otherwise (trailing dot, upper case, :443) is the subject host: judged by its rule', (label) => {
      const r = runs[label] as PolicyRun;
      for (const name of ['h-plain', 'h-dot', 'h-upper-port']) {
        expect(r.pkg(name).rule, name).toMatch(/^npm:/);
        expect(r.codes(name), name).toEqual([]);
      }
    });

    it.each([['hosts'], ['respelled']])('%s: a host no subject names (registry.yarnpkg.com, http on 443, another port) → REGISTRY_NOT_ALLOWED', (label) => {
      const r = runs[label] as PolicyRun;
      expect(r.codes('h-yarn')).toEqual(['REGISTRY_NOT_ALLOWED']);
      expect(r.pkg('h-yarn').findings[0]?.details).toMatchObject({ allowed: ['registry.npmjs.org'], got: 'registry.yarnpkg.com' });
      expect(r.codes('h-http-443')).toEqual(['REGISTRY_NOT_ALLOWED']);
      expect(r.codes('h-port')).toEqual(['REGISTRY_NOT_ALLOWED']);
      expect(r.report.verdict).toBe('fail');
      expect(r.code).toBe(1);
    });
  });

  describe('native format: no catch-all rule', () => {
    it('a registry package no rule matches → NO_MATCHING_RULE, exit 1; the package a rule names passes', () => {
      const r = runs['no-catch-all'] as PolicyRun;
      expect(r.pkg('plain').rule).toBeNull();
      expect(r.codes('plain')).toEqual(['NO_MATCHING_RULE']);
      expect(r.codes('@scope/pinned')).toEqual([]);
      expect(r.code).toBe(1);
    });

    it('policy validate accepts it (exit 0) and warns at /rules that nothing catches the rest', () => {
      expect(validateNoCatchAll.stderr).toMatch(/^warning: .*no-catch-all\.policy\.json: \/rules: expected a catch-all rule/m);
      expect(validateNoCatchAll.code).toBe(0);
    });
  });

  describe('an npm alias over a pinned name', () => {
    it('evil@1.0.0 installed as @scope/pinned meets @scope/pinned\'s rule → UNTRUSTED_SIGNER, exit 1', () => {
      const r = runs['alias-rule'] as PolicyRun;
      expect(r.codes('evil')).toEqual(['UNTRUSTED_SIGNER']);
      expect(r.pkg('evil').findings[0]?.details).toMatchObject({ rule: 'pinned', installedAs: ['@scope/pinned'] });
      expect(r.code).toBe(1);
    });

    it('evil@1.0.0 installed as @scope/pinned meets @scope/pinned\'s identity-lock entry → IDENTITY_CHANGED, exit 1', () => {
      const r = runs['alias-lock'] as PolicyRun;
      expect(r.codes('evil')).toEqual(['IDENTITY_CHANGED']);
      expect(r.pkg('evil').findings[0]?.details).toMatchObject({ installedAs: '@scope/pinned', changed: ['sourceRepositoryURI'] });
      expect(r.code).toBe(1);
    });

    it('control: the genuine @scope/pinned passes the same rule and lock', () => {
      for (const label of ['alias-rule-control', 'alias-lock-control']) {
        expect((runs[label] as PolicyRun).codes('@scope/pinned'), label).toEqual([]);
        expect((runs[label] as PolicyRun).code, label).toBe(0);
      }
    });
  });
});

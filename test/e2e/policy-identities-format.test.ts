import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestPki, githubActionsIdentity, gitlabCiIdentity, publicGoodTrustedRoot, recordedScenario, startFixtureRegistry, syntheticScenario,
  NPM_TUF_KEYS_PATH, PUBLIC_GOOD_TRUSTED_ROOT_PATH, type FixtureRegistry, type RegistryScenario,
} from '../support/index.js';
import { createWorkspace, type Workspace } from '../support/attack-kit.js';
import type { LockfilePackage } from '../support/lockfile-project.js';
import { attestedBy, policyRun, type PolicyRun } from '../support/policy-kit.js';
import type { TrustedRootJson } from '../support/trusted-root.js';
import { runCli, type CliRun } from '../support/run-cli.js';
import { npmjsTarballUrl, REKOR_URL } from '../support/public-urls.js';

// The Sigstore guide's policy file in the identities format, saved as written, is accepted by `policy validate` and
// enforced by `check`. REAL recorded npm bundles (GitHub Actions-signed, logged in
// rekor.sigstore.dev), served by the fixture registry, pass it under the real public-good trusted
// root. Test-PKI packages fail it: a GitLab-signed one (UNTRUSTED_SIGNER), one without provenance
// (PROVENANCE_MISSING), and a GitHub-signed one logged in the test PKI's log (TLOG_NOT_PINNED),
// under a trusted root holding both the public-good and the test PKI's CAs and logs.
const GUIDE_TEXT =
  `{"policy":{"identities":[{"subject":"npm:registry.npmjs.org/*","issuer":"https://token.actions.githubusercontent.com"}],"transparency":{"log":"${REKOR_URL}"},"enforcement":"strict"}}`;
const SUBJECT = 'npm:registry.npmjs.org/*';

describe('the Sigstore guide\'s policy (identities format), as written (the real CLI)', () => {
  const pki = createTestPki({ registryKeyValidFrom: new Date('2020-01-01T00:00:00Z') });
  const recorded = recordedScenario();
  let ws: Workspace;
  let registry: FixtureRegistry;
  let guideFile: string;
  let validate: CliRun;
  const runs: Record<string, PolicyRun> = {};

  const RECORDED: LockfilePackage[] = recorded.entries.map((e, i) => ({ name: e.name, version: e.version, integrity: e.integrity, installAs: `rec-${i}`, resolved: npmjsTarballUrl(e.name, e.version) }));
  let TEST: LockfilePackage[];

  beforeAll(async () => {
    ws = await createWorkspace();
    guideFile = join(ws.dir, 'guide.policy.json');
    await writeFile(guideFile, GUIDE_TEXT);

    // Test-PKI packages beside the recorded ones; every version signed by the test registry key.
    let local: RegistryScenario = syntheticScenario(pki, ['ids-gitlab', 'ids-github', 'ids-bare', 'ids-bare-elsewhere'].map((name) => ({ name, version: '1.0.0' })), { provenanceShare: 0 });
    local = attestedBy(pki, local, 'ids-gitlab', gitlabCiIdentity({ repository: 'org/repo' }));
    local = attestedBy(pki, local, 'ids-github', githubActionsIdentity({ repository: 'org/repo' }));
    for (const pkg of recorded.packages) pkg.signatures = [pki.signPackage(pkg.name, pkg.version, pkg.integrity)];
    registry = await startFixtureRegistry({ packages: [...recorded.packages, ...local.packages], keys: recorded.keys });
    TEST = local.packages.map((p) => ({
      name: p.name,
      version: p.version,
      integrity: p.integrity,
      // ids-bare-elsewhere's lockfile names no URL: it comes from the fixture registry, a host no subject names.
      ...(p.name === 'ids-bare-elsewhere' ? {} : { resolved: npmjsTarballUrl(p.name, p.version) }),
    }));

    // npm's real keys (for the recorded publish attestations) and the test PKI's (signatures, and its publish attestations).
    const npmKeys = JSON.parse(await readFile(NPM_TUF_KEYS_PATH, 'utf8')) as { keys: unknown[] };
    const registryKeys = await ws.writeJson('keys.json', { keys: [...npmKeys.keys, ...pki.tufKeys().keys] });
    // Both trusted roots in one: public-good Fulcio, Rekor and CT logs, and the test PKI's.
    const publicGood = publicGoodTrustedRoot() as TrustedRootJson;
    const test = pki.trustedRoot();
    const bothRoots = await ws.writeJson('trusted_root.both.json', {
      ...publicGood,
      certificateAuthorities: [...publicGood.certificateAuthorities, ...test.certificateAuthorities],
      tlogs: [...publicGood.tlogs, ...test.tlogs],
      ctlogs: [...publicGood.ctlogs, ...test.ctlogs],
      timestampAuthorities: [...(publicGood.timestampAuthorities ?? []), ...test.timestampAuthorities],
    });
    // The control policy: the identities format accepting GitLab too, with the test PKI's log pinned instead.
    const controlPolicy = JSON.parse(GUIDE_TEXT) as { policy: { identities: object[]; transparency: { log: string } } };
    controlPolicy.policy.identities.push({ subject: SUBJECT, issuer: 'https://gitlab.com' });
    controlPolicy.policy.transparency.log = pki.tlog.baseUrl;

    const run = (label: string, packages: LockfilePackage[], trustedRoot: string, policy: object | string = guideFile) =>
      policyRun({ ws, label, registry, trustedRoot, registryKeys, packages, policy }).then((r) => (runs[label] = r));
    [validate] = await Promise.all([
      runCli(['policy', 'validate', guideFile]),
      run('recorded', RECORDED, PUBLIC_GOOD_TRUSTED_ROOT_PATH),
      run('all', [...RECORDED, ...TEST], bothRoots),
      run('control', [...RECORDED, ...TEST], bothRoots, controlPolicy),
    ]);
  });
  afterAll(async () => {
    await registry?.close();
    await ws?.cleanup();
  });

  const recordedCodes = (r: PolicyRun) => RECORDED.map((p) => r.codes(p.name, p.version));

  it('policy validate accepts the file as written: exit 0, identities format', () => {
    expect(validate.stderr).toContain('a valid policy (identities format): 1 rule, 0 exceptions, enforcement strict');
    expect(validate.code).toBe(0);
  });

  it('the real recorded bundles pass it under the public-good root: exit 0, every package judged by its identity rule', () => {
    const r = runs.recorded as PolicyRun;
    expect(r.report.policy).toMatchObject({ origin: 'file', format: 'identities' });
    expect(r.report.packages).toHaveLength(RECORDED.length);
    for (const p of r.report.packages) {
      expect(p.findings, `${p.name}@${p.version}`).toEqual([]);
      expect(p.rule).toBe(SUBJECT);
      expect(p.evidence?.attestations.every((a) => a.status === 'verified')).toBe(true);
    }
    expect(r.report.verdict).toBe('pass');
    expect(r.code).toBe(0);
  });

  it('under both roots the recorded bundles still pass, and the run fails (exit 1) for the test-PKI packages', () => {
    const r = runs.all as PolicyRun;
    for (const codes of recordedCodes(r)) expect(codes).toEqual([]);
    expect(r.report.verdict).toBe('fail');
    expect(r.code).toBe(1);
  });

  it('a GitLab-signed package → UNTRUSTED_SIGNER (and its entries are in the test log → TLOG_NOT_PINNED)', () => {
    const r = runs.all as PolicyRun;
    expect(r.pkg('ids-gitlab').evidence?.attestations.map((a) => a.status)).toEqual(['verified', 'verified']);
    expect(r.codes('ids-gitlab')).toEqual(['UNTRUSTED_SIGNER', 'TLOG_NOT_PINNED', 'TLOG_NOT_PINNED']);
  });

  it('a package without provenance → PROVENANCE_MISSING', () => {
    expect((runs.all as PolicyRun).codes('ids-bare')).toEqual(['PROVENANCE_MISSING']);
  });

  it('a GitHub-signed test-PKI package, logged in the test log, not rekor.sigstore.dev → TLOG_NOT_PINNED (provenance and publish)', () => {
    const r = runs.all as PolicyRun;
    expect(r.codes('ids-github')).toEqual(['TLOG_NOT_PINNED', 'TLOG_NOT_PINNED']);
    expect(r.pkg('ids-github').findings[0]?.details).toMatchObject({ pinned: [REKOR_URL], baseUrl: pki.tlog.baseUrl });
  });

  it('a package from a host no subject names (here: the fixture registry itself, no lockfile `resolved`) → REGISTRY_NOT_ALLOWED', () => {
    const r = runs.all as PolicyRun;
    expect(r.pkg('ids-bare-elsewhere').rule).toBeNull();
    expect(r.codes('ids-bare-elsewhere')).toEqual(['REGISTRY_NOT_ALLOWED']);
    expect(r.pkg('ids-bare-elsewhere').findings[0]?.details).toMatchObject({ allowed: ['registry.npmjs.org'], got: registry.url.replace(/^https?:\/\//, '').replace(/\/$/, '') });
  });

  it('control: the identities format accepting GitLab and pinning the test log passes the test-PKI packages, and pins out rekor.sigstore.dev', () => {
    const r = runs.control as PolicyRun;
    expect(r.codes('ids-gitlab')).toEqual([]);
    expect(r.codes('ids-github')).toEqual([]);
    expect(r.codes('ids-bare')).toEqual(['PROVENANCE_MISSING']);
    // Each verified recorded attestation is now in a log the policy does not pin.
    RECORDED.forEach((p, i) => {
      const attestations = r.pkg(p.name, p.version).evidence?.attestations.length ?? 0;
      expect(recordedCodes(r)[i]).toEqual(Array(attestations).fill('TLOG_NOT_PINNED'));
    });
  });
});

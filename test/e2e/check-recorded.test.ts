import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, startFixtureRegistry, type FixtureRegistry } from '../support/index.js';
import { makeTempDir } from '../support/fixture-project.js';
import { writeLockfileProject } from '../support/lockfile-project.js';
import { negativeRecordedDocuments, NPM_TUF_KEYS_PATH, PUBLIC_GOOD_TRUSTED_ROOT_PATH, recordedScenario } from '../support/recorded.js';
import { runCli } from '../support/run-cli.js';

// Real npm provenance and publish attestations, recorded from registry.npmjs.org, served by the
// fixture registry and verified by the real CLI against the real public-good trusted root and npm's
// real keys. The recordings carry no dist.signatures, so the fixture registry signs each version
// with a test registry key, listed beside npm's keys in the --registry-keys file.
const NOW = '2026-11-23T00:00:00Z';

describe('check against real recorded Sigstore bundles', () => {
  const pki = createTestPki({ registryKeyValidFrom: new Date('2020-01-01T00:00:00Z') });
  const scenario = recordedScenario();
  let registry: FixtureRegistry;
  let dir: string;
  let keysFile: string;
  let cleanup: () => Promise<void>;

  const args = (projectDir: string, ...extra: string[]): string[] => [
    'check', projectDir, '--registry', registry.url, '--registry-keys', keysFile,
    '--trusted-root', PUBLIC_GOOD_TRUSTED_ROOT_PATH, '--cache', join(dir, 'cache'), '--now', NOW, '--json', ...extra,
  ];

  beforeAll(async () => {
    ({ dir, cleanup } = await makeTempDir());
    for (const pkg of scenario.packages) pkg.signatures = [pki.signPackage(pkg.name, pkg.version, pkg.integrity)];
    registry = await startFixtureRegistry(scenario);
    const npmKeys = JSON.parse(await readFile(NPM_TUF_KEYS_PATH, 'utf8')) as { keys: unknown[] };
    const testKeys = pki.tufKeys().keys.filter((key) => key.keyUsage === 'npm:signatures');
    keysFile = join(dir, 'keys.json');
    await writeFile(keysFile, JSON.stringify({ keys: [...npmKeys.keys, ...testKeys] }));
  });
  afterAll(async () => {
    await registry.close();
    await cleanup();
  });

  it('verifies every recorded bundle of every recorded version, end to end', async () => {
    const project = join(dir, 'all');
    await import('node:fs/promises').then((fs) => fs.mkdir(project));
    await writeLockfileProject(project, scenario.entries.map((e, i) => ({ name: e.name, version: e.version, integrity: e.integrity, installAs: `pkg-${i}` })));
    const run = await runCli(args(project));
    const report = JSON.parse(run.stdout);
    expect(report.packages.flatMap((p: { findings: unknown[] }) => p.findings)).toEqual([]);
    expect(report.verdict).toBe('pass');
    expect(run.code).toBe(0);
    expect(report.packages).toHaveLength(12);
    for (const entry of scenario.entries) {
      const pkg = report.packages.find((p: { name: string; version: string }) => p.name === entry.name && p.version === entry.version);
      expect(pkg.evidence.registrySignature.status).toBe('verified');
      const recorded = scenario.packages.find((p) => p.name === entry.name && p.version === entry.version)?.attestations?.attestations ?? [];
      expect(pkg.evidence.attestations.map((a: { status: string }) => a.status)).toEqual(recorded.map(() => 'verified'));
      expect(pkg.evidence.publishTime?.signed ?? false).toBe(recorded.some((a) => a.predicateType.includes('npm/attestation')));
    }
  });

  it('without --trusted-root, uses the public-good root embedded in @sigstore/tuf when the TUF mirror is unreachable', async () => {
    const project = join(dir, 'embedded-root');
    await import('node:fs/promises').then((fs) => fs.mkdir(project));
    await writeLockfileProject(project, scenario.entries.map((e, i) => ({ name: e.name, version: e.version, integrity: e.integrity, installAs: `pkg-${i}` })));
    const run = await runCli([
      'check', project, '--registry', registry.url, '--registry-keys', keysFile, '--tuf-mirror', 'http://127.0.0.1:9',
      '--cache', join(project, 'cache'), '--now', NOW, '--json',
    ]);
    const report = JSON.parse(run.stdout);
    expect(report.trustedRoot.origin).toBe('tuf-embedded');
    expect(run.stderr).toMatch(/refresh failed: .*(127\.0\.0\.1:9|ECONNREFUSED)/);
    const fixtureRoot = await readFile(PUBLIC_GOOD_TRUSTED_ROOT_PATH);
    expect(report.trustedRoot.sha256).toBe(createHash('sha256').update(fixtureRoot).digest('hex'));
    expect(report.verdict).toBe('pass');
    expect(run.code).toBe(0);
  });

  it.each(negativeRecordedDocuments().map(({ entry, document }) => [entry.variant ?? entry.file, entry, document] as const))(
    'the upstream-tampered %s response gives the expected verdict',
    async (variant, entry, document) => {
      const project = join(dir, `negative-${variant}`);
      await import('node:fs/promises').then((fs) => fs.mkdir(project));
      await writeLockfileProject(project, [{ name: entry.name, version: entry.version, integrity: entry.integrity }]);
      const pkg = scenario.packages.find((p) => p.name === entry.name && p.version === entry.version);
      if (!pkg) throw new Error(`no recorded package ${entry.name}@${entry.version}`);
      const original = pkg.attestations;
      pkg.attestations = document;
      try {
        const run = await runCli(args(project, '--cache', join(project, 'cache')));
        const report = JSON.parse(run.stdout);
        const codes = report.packages[0].findings.map((f: { code: string }) => f.code);
        if (variant === 'mismatched-keyid') {
          // The keyid hint of a certificate-signed bundle is unused: it must still verify.
          expect(codes).toEqual([]);
          expect(run.code).toBe(0);
        } else {
          // Every other variant altered the signed payload or the signature: the signature check
          // is what fails, before any claim inside the payload can be believed.
          expect(codes).toContain('SIGNATURE_INVALID');
          expect(run.code).toBe(1);
        }
      } finally {
        pkg.attestations = original;
      }
    },
  );
});

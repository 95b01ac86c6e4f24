// The README's sample output, produced for real: the built CLI against the fixture registry, once
// on a tree that verifies and once on a tree with two tampered packages. test/e2e/readme-samples.test.ts
// compares the README's samples with what these runs print.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { mapPackageBundle } from './attack-mutations.js';
import { createWorkspace, NOW, PUBLISHED, pinned, writeTrustFiles } from './attack-kit.js';
import { sha512HexOfIntegrity, SLSA_PROVENANCE_V1 } from './attestations.js';
import { writeLockfileProject } from './lockfile-project.js';
import * as mutate from './mutate.js';
import { createTestPki } from './pki.js';
import { startFixtureRegistry } from './registry.js';
import { runCli } from './run-cli.js';
import type { RegistryScenario } from './scenario-types.js';
import { syntheticScenario } from './scenario.js';
import { sha512Integrity } from './tarball.js';

// The sample tree: a few packages, some published with provenance, all signed by the registry.
const SPECS = ['ansi-colors@4.1.3', 'debug@4.3.7', 'ms@2.1.3', 'picomatch@4.0.2', 'semver@7.6.3'];

// What one sample run printed, with the machine-specific parts (temporary folders, the fixture
// registry's port, durations) replaced by stable placeholders.
export interface SampleRun {
  code: number | null;
  stderr: string;
}

// Runs the passing and the failing sample and returns their normalised stderr and exit codes.
export async function runReadmeSamples(): Promise<{ pass: SampleRun; fail: SampleRun }> {
  const pki = createTestPki();
  const specs = SPECS.map((spec) => ({ name: spec.slice(0, spec.lastIndexOf('@')), version: spec.slice(spec.lastIndexOf('@') + 1) }));
  let scenario: RegistryScenario = syntheticScenario(pki, specs, { provenanceShare: 0.6, attestation: { time: PUBLISHED } });
  scenario = { ...scenario, packages: scenario.packages.map((p) => ({ ...p, publishedAt: PUBLISHED })) };
  const ws = await createWorkspace();
  const registry = await startFixtureRegistry(scenario);
  try {
    const trust = await writeTrustFiles(ws, pki);
    const run = async (label: string): Promise<SampleRun> => {
      const project = join(ws.dir, label);
      await mkdir(project, { recursive: true });
      await writeLockfileProject(project, pinned(scenario, SPECS));
      const args = ['--registry', registry.url, '--registry-keys', trust.registryKeys, '--trusted-root', trust.trustedRoot, '--cache', join(ws.dir, `${label}-cache`), '--now', NOW];
      // CI=true: no progress line, the output a CI log shows.
      const result = await runCli(args, { cwd: project, env: { CI: 'true', GITHUB_ACTIONS: undefined } });
      return { code: result.code, stderr: normalizeSample(result.stderr, { [project]: '/home/me/app', [registry.url.replace(/\/$/, '')]: 'http://127.0.0.1:PORT' }) };
    };
    const pass = await run('pass');
    const attested = scenario.packages.find((p) => p.attestations)?.name;
    if (attested === undefined) throw new Error('the sample tree has no package with provenance');
    const other = sha512HexOfIntegrity(sha512Integrity(Buffer.from('bytes the registry never served')));
    registry.scenario = mutate.tamperRegistrySignature(
      mapPackageBundle(scenario, attested, SLSA_PROVENANCE_V1, (b) => mutate.swapSubjectDigest(b, other, { pki }), versionOf(scenario, attested)),
      'semver', '7.6.3',
    );
    const fail = await run('fail');
    return { pass, fail };
  } finally {
    await registry.close();
    await ws.cleanup();
  }
}

function versionOf(scenario: RegistryScenario, name: string): string {
  return scenario.packages.find((p) => p.name === name)?.version ?? '';
}

// Replaces what differs from machine to machine: the given strings (folders, URLs), then the test
// PKI's fresh keys and the digests that depend on them.
export function normalizeSample(text: string, placeholders: Readonly<Record<string, string>>): string {
  let out = text;
  for (const [from, to] of Object.entries(placeholders)) out = out.split(from).join(to);
  return out
    .replace(/\b[0-9a-f]{128}\b/g, '<sha512 hex>')
    .replace(/SHA256:[A-Za-z0-9+/]{43}/g, 'SHA256:<key id>')
    .replace(/sha512-[A-Za-z0-9+/]{86}==/g, 'sha512-<integrity>')
    .replace(/\b\d+(\.\d+)? ?(ms|s)\b/g, 'N s');
}

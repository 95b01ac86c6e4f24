// Shared plumbing for the end-to-end attack tests (test/e2e/check-attacks*.test.ts): one test PKI
// whose trusted root and registry keys are written to files, and `checkRun`, which writes a
// lockfile project, runs the REAL built CLI against a fixture registry with a fresh evidence cache,
// and returns the exit code and the parsed --json report.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir } from './fixture-project.js';
import { writeLockfileProject, type LockfilePackage } from './lockfile-project.js';
import type { RegistryScenario } from './scenario-types.js';
import type { TestPki } from './pki.js';
import type { FixtureRegistry } from './registry.js';
import { runCli } from './run-cli.js';
import type { ComplianceReport } from '../../src/report/build.js';

// The run's fixed clock, and the time every unmutated package was published (a month earlier).
export const NOW = '2026-06-01T00:00:00Z';
export const PUBLISHED = new Date('2026-05-01T00:00:00Z');
export const HOUR = 3_600_000;

// The CLI's --json output is the compliance report: its types come from schema/report.schema.json.
export type ReportJson = ComplianceReport;
export type PackageJson = ComplianceReport['packages'][number];
export type FindingJson = PackageJson['findings'][number];

export interface CheckRun {
  code: number | null;
  stderr: string;
  report: ReportJson;
  // The one package of that name (and version, when given); throws when absent.
  pkg(name: string, version?: string): PackageJson;
  // Its finding codes, in report order.
  codes(name: string, version?: string): string[];
}

export interface Workspace {
  dir: string;
  cleanup: () => Promise<void>;
  // Writes a JSON document into the workspace and returns its path.
  writeJson(name: string, value: unknown): Promise<string>;
}

export async function createWorkspace(): Promise<Workspace> {
  const { dir, cleanup } = await makeTempDir();
  return {
    dir,
    cleanup,
    async writeJson(name, value) {
      const path = join(dir, name);
      await writeFile(path, JSON.stringify(value));
      return path;
    },
  };
}

// Writes the test PKI's trusted root and registry keys into the workspace: the trust files every
// run against the fixture registry passes (--trusted-root, --registry-keys).
export async function writeTrustFiles(ws: Workspace, pki: TestPki): Promise<{ trustedRoot: string; registryKeys: string }> {
  return { trustedRoot: await pki.writeTrustedRoot(`${ws.dir}/trusted_root.json`), registryKeys: await pki.writeTufKeys(`${ws.dir}/keys.json`) };
}

// The lockfile entries pinning these `name@version` specs exactly as the scenario serves them.
export function pinned(scenario: RegistryScenario, specs: readonly string[]): LockfilePackage[] {
  return specs.map((spec) => {
    const at = spec.lastIndexOf('@');
    const [name, version] = [spec.slice(0, at), spec.slice(at + 1)];
    const pkg = scenario.packages.find((p) => p.name === name && p.version === version);
    if (!pkg) throw new Error(`no ${spec} in the scenario`);
    return { name, version, integrity: pkg.integrity };
  });
}

export interface CheckRunOptions {
  ws: Workspace;
  // Unique per run: names the project and its (fresh) cache directory.
  label: string;
  registry: FixtureRegistry;
  packages: readonly LockfilePackage[];
  trustedRoot: string;
  registryKeys: string;
  extraArgs?: readonly string[];
  // Fields added to the project's package.json (allowScripts, say).
  packageJson?: Record<string, unknown>;
  // Added to the CLI's inherited environment (GITHUB_ACTIONS, say).
  env?: NodeJS.ProcessEnv;
}

// Runs `verify-deps check --json` on a new project with a new cache, so no evidence leaks in.
export async function checkRun(o: CheckRunOptions): Promise<CheckRun> {
  const project = join(o.ws.dir, o.label, 'project');
  const cache = join(o.ws.dir, o.label, 'cache');
  await mkdir(project, { recursive: true });
  await writeLockfileProject(project, o.packages, o.packageJson);
  const args = [
    'check', project,
    '--registry', o.registry.url,
    '--registry-keys', o.registryKeys,
    '--trusted-root', o.trustedRoot,
    '--cache', cache,
    '--now', NOW,
    '--json',
    ...(o.extraArgs ?? []),
  ];
  const run = await runCli(args, o.env === undefined ? {} : { env: o.env });
  let report: ReportJson;
  try {
    report = JSON.parse(run.stdout) as ReportJson;
  } catch {
    throw new Error(`${o.label}: no JSON report (exit ${run.code}); stderr:\n${run.stderr}`);
  }
  const pkg = (name: string, version?: string): PackageJson => {
    const found = report.packages.filter((p) => p.name === name && (version === undefined || p.version === version));
    if (found.length !== 1) throw new Error(`${o.label}: expected one ${name}${version ? `@${version}` : ''} in the report, got ${found.length}`);
    return found[0] as PackageJson;
  };
  return { code: run.code, stderr: run.stderr, report, pkg, codes: (name, version) => pkg(name, version).findings.map((f) => f.code) };
}

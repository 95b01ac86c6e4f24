// One bench tree served offline: the test PKI, the fixture registry holding the tree's scenario
// (every package signed, a share with provenance + publish attestations), the TUF proxy standing
// in for Sigstore's CDN, and the per-run directories and environments of both tools.
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestPki, lockfileScenario, startFixtureRegistry, type BuiltScenario, type FixtureRegistry, type ScenarioOptions, type TestPki } from '../support/index.js';
import { createTlsServerIdentity } from './tls-ca.js';
import { startTufProxy, type TufProxy } from './tuf-proxy.js';
import { createTufRepo, SIGSTORE_TUF_HOST, writeNpmTufCache } from '../support/tuf-repo.js';
import { writeBenchTree, writeInstalledTree } from './trees.js';

export interface BenchEnvironment {
  label: string;
  dir: string;
  registry: FixtureRegistry;
  proxy: TufProxy;
  trustedRoot: string;
  // Lockfile locations (npm audits each installed location; verify-deps each distinct package).
  locations: number;
  packages: number;
  attested: number;
  buildMs: number;
  // A fresh npm cache holding only the bench's TUF repository.
  freshNpmCache(path: string): string;
  npmEnv: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

export interface EnvironmentOptions {
  label: string;
  sourceLockfileDir: string;
  copies: number;
  workDir: string;
  provenanceShare: number;
  attestationTime: Date;
  // Builds the registry's packages from the written project instead of the lockfile's (which
  // serves no tarball): installed-tree.ts serves real tarballs and pins them in the lockfile.
  scenario?: (pki: TestPki, dir: string, options: ScenarioOptions) => Promise<BuiltScenario>;
}

// Without these the child processes inherit nothing that could send them off 127.0.0.1.
const PROXY_VARS = ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy', 'ALL_PROXY', 'all_proxy'];
export function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const name of PROXY_VARS) delete env[name];
  for (const name of Object.keys(env)) if (/^npm_/i.test(name)) delete env[name];
  delete env.NODE_ENV;
  delete env.NODE_OPTIONS;
  return env;
}

export async function createBenchEnvironment(o: EnvironmentOptions): Promise<BenchEnvironment> {
  const started = Date.now();
  const dir = join(o.workDir, o.label, 'project');
  const tree = await writeBenchTree(o.sourceLockfileDir, dir, o.copies);
  const pki: TestPki = createTestPki();
  const scenarioOptions: ScenarioOptions = { provenanceShare: o.provenanceShare, seed: 'bench', attestation: { time: o.attestationTime } };
  const scenario = await (o.scenario ?? lockfileScenario)(pki, dir, scenarioOptions);
  const registry = await startFixtureRegistry(scenario, { cacheReplies: true });
  registry.prewarm();
  await writeInstalledTree(dir, registry.url);

  const trustedRoot = join(o.workDir, o.label, 'trusted_root.json');
  await pki.writeTrustedRoot(trustedRoot);
  const repo = createTufRepo({ 'trusted_root.json': pki.trustedRoot(), 'registry.npmjs.org/keys.json': pki.tufKeys() });
  const identity = createTlsServerIdentity(SIGSTORE_TUF_HOST);
  const proxy = await startTufProxy(SIGSTORE_TUF_HOST, repo, identity);
  const caFile = join(o.workDir, o.label, 'bench-ca.pem');
  writeFileSync(caFile, identity.caPem);
  const userRc = join(o.workDir, o.label, 'user-npmrc');
  const globalRc = join(o.workDir, o.label, 'global-npmrc');
  writeFileSync(userRc, '');
  writeFileSync(globalRc, '');
  const template = join(o.workDir, o.label, 'npm-cache-template');
  writeNpmTufCache(template, repo);

  const npmEnv: NodeJS.ProcessEnv = {
    ...baseEnv(),
    HTTPS_PROXY: proxy.url,
    https_proxy: proxy.url,
    NO_PROXY: '127.0.0.1,localhost',
    no_proxy: '127.0.0.1,localhost',
    NODE_EXTRA_CA_CERTS: caFile,
    NPM_CONFIG_USERCONFIG: userRc,
    NPM_CONFIG_GLOBALCONFIG: globalRc,
    NPM_CONFIG_UPDATE_NOTIFIER: 'false',
    NPM_CONFIG_FUND: 'false',
  };
  return {
    label: o.label,
    dir,
    registry,
    proxy,
    trustedRoot,
    locations: tree.locations,
    packages: scenario.packages.length,
    attested: scenario.attested.size,
    buildMs: Date.now() - started,
    freshNpmCache(path) {
      rmSync(path, { recursive: true, force: true });
      mkdirSync(path, { recursive: true });
      cpSync(template, path, { recursive: true });
      return path;
    },
    npmEnv,
    async close() {
      await registry.close();
      await proxy.close();
    },
  };
}

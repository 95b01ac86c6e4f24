import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serveCacheScenario } from '../support/cache-scenario.js';
import { writeLockfileProject } from '../support/lockfile-project.js';
import { runCli } from '../support/run-cli.js';

const NOW = '2026-11-23T00:00:00Z';
// The machine's own proxy variables, if any, are not this run's.
const NO_PROXY_SET = Object.fromEntries(['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'PROXY', 'proxy', 'npm_config_proxy', 'npm_config_https_proxy'].map((name) => [name, undefined]));
const RECORDER = `--import=${new URL('../support/loaded-modules.mjs', import.meta.url).href}`;

// Start-up is part of every run's time: a run whose every result comes from the cache verifies
// no bundle and reads no tarball, so the libraries that do are not loaded at all.
describe('a run that reuses every verification result', () => {
  const served = serveCacheScenario();

  it("loads neither the Sigstore verification libraries, tar, the workspace mapper, npm's HTTP stack nor the cache's writers", async () => {
    const project = join(served.dir, 'project');
    const cache = join(served.dir, 'cache');
    const loadedList = join(served.dir, 'loaded.txt');
    await mkdir(project);
    await writeLockfileProject(project, served.packages);
    const check = (env: NodeJS.ProcessEnv = {}) =>
      runCli(['check', project, '--registry', served.registry.url, '--trusted-root', served.trustedRoot, '--cache', cache, '--now', NOW, '--json'], { env: { ...NO_PROXY_SET, ...env } });

    const cold = await check();
    expect(cold.code).toBe(0);
    served.registry.resetLog();
    const warm = await check({ NODE_OPTIONS: [process.env.NODE_OPTIONS, RECORDER].filter(Boolean).join(' '), VERIFY_DEPS_TEST_LOADED: loadedList });
    expect(warm.code).toBe(0);
    const report = JSON.parse(warm.stdout);
    expect(report.verdict).toBe('pass');
    // Warm: the registry's keys are all it asked for.
    expect(served.registry.requests.map((r) => r.path)).toEqual(['/-/npm/v1/keys']);

    const loaded = (await readFile(loadedList, 'utf8')).split('\n');
    // The recorder saw the run: npm's credential picker, asked before the keys were fetched, is there.
    expect(loaded.some((url) => url.includes('/node_modules/npm-registry-fetch/'))).toBe(true);
    // Our own code loads as the CLI's bundle (a few files in dist/cli/), after bin.js and the
    // modules it needs before the bundle: the compile cache's, and node:http's face.
    const dist = new URL('../../dist/', import.meta.url).href;
    const ours = loaded.filter((url) => url.startsWith(dist)).map((url) => url.slice(dist.length));
    expect(ours).toContain('cli/main.js');
    expect(ours.filter((file) => !/^cli\/(main|chunk-[\w.-]+)\.js$/.test(file)).sort()).toEqual(['cli/bin.js', 'cli/compile-cache.js', 'cli/http-facade.js', 'registry/result-key.js', 'registry/result-mac.js']);
    expect(ours.length).toBeLessThan(25);
    // No proxy is set: npm's agent (and the proxy agents it loads) and npm's fetch layers stay out.
    for (const library of ['@sigstore/verify', '@sigstore/bundle', '@sigstore/protobuf-specs', 'tar', '@npmcli/map-workspaces', '@npmcli/agent', 'socks-proxy-agent', 'make-fetch-happen', 'minipass-fetch']) {
      expect(loaded.filter((url) => url.includes(`/node_modules/${library}/`)), library).toEqual([]);
    }
    // The cache is read, never written: none of cacache's writers.
    expect(loaded.filter((url) => /\/node_modules\/cacache\/lib\/(index|put|rm|verify)\.js$/.test(url))).toEqual([]);
    expect(loaded.some((url) => url.endsWith('/node_modules/cacache/lib/get.js'))).toBe(true);
  });
});

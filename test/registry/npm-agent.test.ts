// npm's agent for a registry URL: with no proxy set anywhere, node's own keep-alive agent with
// npm's TLS settings (CA, strict-ssl); with a proxy set in npm's settings or the environment,
// npm's @npmcli/agent, which decides per host (noproxy included).
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getNpmAgent, proxySet } from '../../src/registry/npm-agent.js';
import { loadNpmSettings } from '../../src/registry/npm-config.js';
import { getOnce, TransportError } from '../../src/registry/transport.js';
import { createTlsServerIdentity } from '../bench/tls-ca.js';
import { makeTempDir } from '../support/fixture-project.js';

const { Agent: NpmcliAgent } = createRequire(import.meta.url)('@npmcli/agent') as { Agent: new () => http.Agent };
const REGISTRY = { registry: 'https://registry.example/' };
const PROXY_VARIABLE = /^(https?_)?proxy$/i;

// The machine's own proxy variables would send these requests elsewhere.
const savedEnv = { ...process.env };
beforeAll(() => {
  for (const name of Object.keys(process.env)) if (PROXY_VARIABLE.test(name)) delete process.env[name];
});
afterAll(() => {
  process.env = savedEnv;
});
const SPEC = { maxSockets: 7, timeoutMs: 5_000 };

describe('proxySet', () => {
  it('is set by https-proxy or proxy in npm settings, or a proxy variable of the environment in any case', () => {
    expect(proxySet(REGISTRY, {})).toBe(false);
    expect(proxySet({ ...REGISTRY, httpsProxy: 'http://proxy.example:3128/' }, {})).toBe(true);
    expect(proxySet({ ...REGISTRY, proxy: 'http://proxy.example:3128/' }, {})).toBe(true);
    for (const name of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'Proxy']) {
      expect(proxySet(REGISTRY, { [name]: 'http://proxy.example:3128/' }), name).toBe(true);
    }
  });

  it('is not set by no_proxy alone, an empty variable, or a proxy setting npm left unset', () => {
    expect(proxySet(REGISTRY, { NO_PROXY: 'registry.example', HTTPS_PROXY: '' })).toBe(false);
    expect(proxySet({ ...REGISTRY, proxy: null, httpsProxy: null }, {})).toBe(false);
  });
});

describe('getNpmAgent', () => {
  it("without a proxy: node's keep-alive agent for the URL's protocol, one per set of options", () => {
    const agent = getNpmAgent(new URL('https://registry.example/a'), REGISTRY, SPEC) as https.Agent;
    expect(agent).toBeInstanceOf(https.Agent);
    expect(agent).not.toBeInstanceOf(NpmcliAgent);
    expect([agent.options.keepAlive, agent.maxSockets]).toEqual([true, 7]);
    expect(getNpmAgent(new URL('https://registry.example/b'), REGISTRY, SPEC)).toBe(agent);
    expect(getNpmAgent(new URL('https://registry.example/a'), { ...REGISTRY, strictSSL: false }, SPEC)).not.toBe(agent);
    const plain = getNpmAgent(new URL('http://registry.example/a'), REGISTRY, SPEC);
    expect(plain).toBeInstanceOf(http.Agent);
    expect(plain).not.toBeInstanceOf(https.Agent);
  });

  it("with a proxy set: npm's own agent, whatever the host", () => {
    const agent = getNpmAgent(new URL('https://registry.example/a'), { ...REGISTRY, httpsProxy: 'http://127.0.0.1:9/', noProxy: 'registry.example' }, SPEC);
    expect(agent).toBeInstanceOf(NpmcliAgent);
  });
});

// A TLS registry on the loopback interface, its certificate issued by a throw-away CA.
describe('a direct connection with npm TLS settings', () => {
  const identity = createTlsServerIdentity('localhost');
  let server: https.Server;
  let url: URL;

  beforeAll(async () => {
    server = https.createServer({ cert: identity.certPem, key: identity.keyPem }, (_request, response) => response.end('{}'));
    await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
    url = new URL(`https://localhost:${(server.address() as AddressInfo).port}/-/npm/v1/keys`);
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const get = (npm: Record<string, unknown>) =>
    getOnce(url, { headers: {}, agent: getNpmAgent(url, { ...REGISTRY, ...npm }, SPEC), timeoutMs: 5_000, maxBytes: 1024 });

  it("trusts the registry's certificate through npm's ca", async () => {
    expect((await get({ ca: [identity.caPem] })).status).toBe(200);
  });

  it('refuses the certificate without that ca (strict-ssl, npm\'s default)', async () => {
    const failure = await get({ strictSSL: true }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TransportError);
    expect((failure as TransportError).code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  });

  it(".npmrc's cafile is read into that ca, as npm reads it", async () => {
    const { dir, cleanup } = await makeTempDir();
    try {
      writeFileSync(join(dir, 'ca.pem'), identity.caPem);
      writeFileSync(join(dir, '.npmrc'), `cafile=${join(dir, 'ca.pem')}\n`);
      process.env.npm_config_userconfig = join(dir, 'no-user-npmrc');
      process.env.npm_config_globalconfig = join(dir, 'no-global-npmrc');
      const settings = await loadNpmSettings(dir);
      expect((await get(settings.flat)).status).toBe(200);
    } finally {
      await cleanup();
    }
  });

  it('accepts it with strict-ssl=false, when the user set it', async () => {
    expect((await get({ strictSSL: false })).status).toBe(200);
  });
});

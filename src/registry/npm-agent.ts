import http from 'node:http';
import https from 'node:https';
import { createRequire } from 'node:module';
import type { AgentOptions } from '@npmcli/agent';
import type { NpmFlatOptions } from './npm-config.js';

const require = createRequire(import.meta.url);

// The environment variables @npmcli/agent reads a proxy from (any letter case), as it reads
// them: `no_proxy` only narrows a proxy, so it is not one of them.
const PROXY_ENV_NAMES = new Set(['https_proxy', 'http_proxy', 'proxy']);

export interface AgentSpec {
  maxSockets: number;
  timeoutMs: number;
  cert?: unknown;
  key?: unknown;
}

// npm's HTTP agent for a URL, as npm builds it for its registry fetches: its proxy (`https-proxy`,
// else `proxy`, else the environment's), `noproxy`, CA (`ca`, `cafile` read into it),
// `strict-ssl` and local address. A client certificate is the caller's to pass: it belongs to one
// registry, never to another host.
//
// Where no proxy is set anywhere, npm's agent connects directly with these same TLS and socket
// options, so node's own keep-alive agent is built from them instead: @npmcli/agent loads its
// three proxy agents and a SOCKS client up front, about a tenth of a run that reuses every result.
// With any proxy set, @npmcli/agent itself decides (noproxy included).
export function getNpmAgent(url: URL, npm: NpmFlatOptions, spec: AgentSpec): http.Agent | false | undefined {
  const options = withoutUnset({
    ca: npm.ca,
    cert: spec.cert,
    key: spec.key,
    // strict-ssl=false only when the user set it (npm's default is true); unset, node's own
    // NODE_TLS_REJECT_UNAUTHORIZED decides, as for any node program.
    rejectUnauthorized: npm.strictSSL === undefined || npm.strictSSL === null ? process.env.NODE_TLS_REJECT_UNAUTHORIZED !== '0' : npm.strictSSL !== false,
    localAddress: npm.localAddress,
    maxSockets: spec.maxSockets,
    timeout: spec.timeoutMs,
  });
  if (!proxySet(npm, process.env)) return directAgent(url.protocol, options);
  const { getAgent } = require('@npmcli/agent') as typeof import('@npmcli/agent');
  const agent = getAgent(url, { ...(options as AgentOptions), proxy: npm.httpsProxy || npm.proxy, noProxy: npm.noProxy });
  // Node's ClientRequest reads agent.protocol on every request; agent-base answers by reading
  // a stack trace unless the protocol was set (these agents serve one origin, one protocol).
  if (agent) Object.assign(agent, { protocol: url.protocol, defaultPort: url.protocol === 'https:' ? 443 : 80 });
  return agent;
}

// Whether npm's agent could send any request through a proxy: `https-proxy` or `proxy` in npm's
// settings (npm_config_* included), or a proxy in the environment.
export function proxySet(npm: NpmFlatOptions, env: NodeJS.ProcessEnv): boolean {
  if (npm.httpsProxy || npm.proxy) return true;
  return Object.entries(env).some(([name, value]) => Boolean(value) && PROXY_ENV_NAMES.has(name.toLowerCase()));
}

// npm leaves a setting it has no value for as null; node's agents take absent options only.
function withoutUnset(options: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined && value !== null));
}

// One agent per protocol and set of options, as @npmcli/agent keeps them: every request to an
// origin shares its keep-alive pool.
const directAgents = new Map<string, http.Agent>();

function directAgent(protocol: string, options: Record<string, unknown>): http.Agent {
  const key = JSON.stringify([protocol, options.ca, options.cert, options.key, options.rejectUnauthorized, options.localAddress, options.maxSockets, options.timeout]);
  let agent = directAgents.get(key);
  if (agent === undefined) {
    // @npmcli/agent's pool settings: keep-alive, first in first out, up to 256 idle sockets.
    const pool = { ...options, keepAlive: true, keepAliveMsecs: 1000, maxFreeSockets: 256, scheduling: 'fifo' } as https.AgentOptions;
    agent = protocol === 'https:' ? new https.Agent(pool) : new http.Agent(pool);
    directAgents.set(key, agent);
  }
  return agent;
}

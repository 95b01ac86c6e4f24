import { getAgent } from '@npmcli/agent';
import type { NpmFlatOptions } from './npm-config.js';

// npm's HTTP agent for a URL, as npm builds it for its registry fetches: its proxy (`https-proxy`,
// else `proxy`), `noproxy`, CA (`ca`, `cafile` read into it), `strict-ssl` and local address. A
// client certificate is the caller's to pass: it belongs to one registry, never to another host.
export function getNpmAgent(url: URL, npm: NpmFlatOptions, options: { maxSockets: number; timeoutMs: number; cert?: unknown; key?: unknown }) {
  const strictSSL = npm.strictSSL;
  const agent = getAgent(url, {
    ca: npm.ca,
    cert: options.cert,
    key: options.key,
    // strict-ssl=false only when the user set it (npm's default is true); unset, node's own
    // NODE_TLS_REJECT_UNAUTHORIZED decides, as for any node program.
    rejectUnauthorized: strictSSL === undefined || strictSSL === null ? process.env.NODE_TLS_REJECT_UNAUTHORIZED !== '0' : strictSSL !== false,
    proxy: npm.httpsProxy || npm.proxy,
    noProxy: npm.noProxy,
    localAddress: npm.localAddress,
    maxSockets: options.maxSockets,
    timeout: options.timeoutMs,
  });
  // Node's ClientRequest reads agent.protocol on every request; agent-base answers by reading
  // a stack trace unless the protocol was set (these agents serve one origin, one protocol).
  if (agent) Object.assign(agent, { protocol: url.protocol, defaultPort: url.protocol === 'https:' ? 443 : 80 });
  return agent;
}

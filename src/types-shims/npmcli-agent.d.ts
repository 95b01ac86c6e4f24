// The part of @npmcli/agent that verify-deps uses (the package ships no types).
declare module '@npmcli/agent' {
  import type { Agent } from 'node:http';
  export interface AgentOptions {
    ca?: unknown;
    cert?: unknown;
    key?: unknown;
    rejectUnauthorized?: boolean;
    proxy?: unknown;
    noProxy?: unknown;
    localAddress?: unknown;
    maxSockets?: number;
    timeout?: number;
  }
  export function getAgent(url: string | URL, options?: AgentOptions): Agent | false | undefined;
}

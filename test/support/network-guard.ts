// Guards a test process against network access beyond loopback: every socket connect to a host
// other than 127.0.0.1 / ::1 / localhost is refused (the socket errors) and recorded.
import net from 'node:net';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost', '::ffff:127.0.0.1']);

// An installed guard: refused destinations and a restore function.
export interface NetworkGuard {
  refused: string[];
  connected: string[];
  restore(): void;
}

function targetOf(args: unknown[]): { host: string; port: string } | null {
  const [first, second] = args;
  if (typeof first === 'object' && first !== null && !Array.isArray(first)) {
    const o = first as { host?: string; port?: number | string; path?: string };
    if (o.path) return null; // unix socket / pipe
    return { host: o.host ?? 'localhost', port: String(o.port ?? '') };
  }
  if (Array.isArray(first)) return targetOf(first as unknown[]); // internal normalized args
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    return { host: typeof second === 'string' ? second : 'localhost', port: String(first) };
  }
  return null; // path string
}

// Patches net.Socket.prototype.connect for this process (each vitest fork has its own).
export function installNetworkGuard(): NetworkGuard {
  const original = net.Socket.prototype.connect;
  const guard: NetworkGuard = {
    refused: [],
    connected: [],
    restore: () => {
      net.Socket.prototype.connect = original;
    },
  };
  net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
    const target = targetOf(args);
    if (target && !LOOPBACK.has(target.host)) {
      guard.refused.push(`${target.host}:${target.port}`);
      process.nextTick(() => this.destroy(new Error(`network guard: connection to ${target.host}:${target.port} refused`)));
      return this;
    }
    if (target) guard.connected.push(`${target.host}:${target.port}`);
    return (original as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof original;
  return guard;
}

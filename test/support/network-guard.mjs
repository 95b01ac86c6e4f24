// Guards a test process against network access beyond loopback: every socket connect to a host
// other than 127.0.0.1 / ::1 / localhost is refused (the socket errors) and recorded. Plain
// JavaScript (typed by network-guard.d.mts) so that the CLI processes the tests spawn can load it
// too, through NODE_OPTIONS (network-guard-preload.mjs).
import net from 'node:net';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost', '::ffff:127.0.0.1']);

function targetOf(args) {
  const [first, second] = args;
  if (typeof first === 'object' && first !== null && !Array.isArray(first)) {
    const o = first;
    if (o.path) return null; // unix socket / pipe
    return { host: o.host ?? 'localhost', port: String(o.port ?? '') };
  }
  if (Array.isArray(first)) return targetOf(first); // internal normalized args
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    return { host: typeof second === 'string' ? second : 'localhost', port: String(first) };
  }
  return null; // path string
}

// Patches net.Socket.prototype.connect for this process (each vitest fork has its own).
export function installNetworkGuard() {
  const original = net.Socket.prototype.connect;
  const guard = {
    refused: [],
    connected: [],
    restore: () => {
      net.Socket.prototype.connect = original;
    },
  };
  net.Socket.prototype.connect = function guardedConnect(...args) {
    const target = targetOf(args);
    if (target && !LOOPBACK.has(target.host)) {
      guard.refused.push(`${target.host}:${target.port}`);
      process.nextTick(() => this.destroy(new Error(`network guard: connection to ${target.host}:${target.port} refused`)));
      return this;
    }
    if (target) guard.connected.push(`${target.host}:${target.port}`);
    return original.apply(this, args);
  };
  return guard;
}

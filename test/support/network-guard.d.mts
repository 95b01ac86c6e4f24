// Types of network-guard.mjs.

// An installed guard: refused and allowed destinations ("host:port"), and a restore function.
export interface NetworkGuard {
  refused: string[];
  connected: string[];
  restore(): void;
}

// Patches net.Socket.prototype.connect for this process (each vitest fork has its own).
export function installNetworkGuard(): NetworkGuard;

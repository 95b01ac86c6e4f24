// Vitest setup file (test/vitest.config.ts): before each test file, refuse every connection beyond
// loopback in the test process, and in every Node process it spawns (through NODE_OPTIONS, which
// children inherit unless a test replaces their environment whole).
import { installNetworkGuard } from './network-guard.mjs';

const INSTALLED = Symbol.for('verify-deps.network-guard');
const state = globalThis as { [INSTALLED]?: true };
if (state[INSTALLED] !== true) {
  installNetworkGuard();
  state[INSTALLED] = true;
}

const preload = `--import=${new URL('./network-guard-preload.mjs', import.meta.url).href}`;
if (!(process.env.NODE_OPTIONS ?? '').includes(preload)) {
  process.env.NODE_OPTIONS = [process.env.NODE_OPTIONS, preload].filter(Boolean).join(' ');
}

// Loaded by `node --import` (NODE_OPTIONS, set by network-guard-setup.ts) into every Node process
// a test spawns, such as the CLI under test: the guard is per process, so each needs its own.
import { installNetworkGuard } from './network-guard.mjs';

installNetworkGuard();

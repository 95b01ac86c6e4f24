#!/usr/bin/env node
import { enableCodeCache } from './compile-cache.js';
import { importHttpWithoutUndici } from './http-facade.js';

// Before the rest of the tool loads, so that it loads from the cache.
enableCodeCache(process.env);
await importHttpWithoutUndici();
const { runCli } = await import('./main.js');

const code = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  stderrIsTTY: process.stderr.isTTY === true,
});
// Exit once the output is flushed: an abandoned request (a --timeout, a stalled registry) must
// not keep the gate's process alive after its verdict.
await Promise.all([process.stdout, process.stderr].map((stream) => new Promise<void>((resolve) => stream.write('', () => resolve()))));
process.exit(code);

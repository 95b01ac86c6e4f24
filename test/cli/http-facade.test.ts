import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const FACADE = fileURLToPath(new URL('../../dist/cli/http-facade.js', import.meta.url));

// Runs `code` in a fresh Node (the test's own process has imported node:http long ago) and
// returns what it prints.
function inFreshNode(code: string): string {
  return execFileSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' }).trim();
}

const undiciLoaded = "process.moduleLoadList.some((m) => m.includes('undici'))";

// node:http's ES module face is built without loading Node's undici, and node:http is left as it
// was: its WebSocket still loads on demand for require() callers.
describe('importing node:http without undici', () => {
  it('builds the face without loading undici, then restores the lazy exports', () => {
    const out = inFreshNode(`
      import { createRequire } from 'node:module';
      const { importHttpWithoutUndici } = await import(${JSON.stringify(FACADE)});
      await importHttpWithoutUndici();
      const http = await import('node:http');
      const before = ${undiciLoaded};
      const getter = typeof Object.getOwnPropertyDescriptor(createRequire(import.meta.url)('node:http'), 'WebSocket').get;
      const viaRequire = typeof createRequire(import.meta.url)('node:http').WebSocket;
      console.log(JSON.stringify({ before, getter, viaRequire, request: typeof http.request, after: ${undiciLoaded} }));`);
    expect(JSON.parse(out)).toEqual({ before: false, getter: 'function', viaRequire: 'function', request: 'function', after: true });
  });

  it('is needed: a plain import of node:http loads undici', () => {
    // What the function above avoids, on the Node running these tests.
    expect(inFreshNode(`await import('node:http'); console.log(${undiciLoaded});`)).toBe('true');
  });
});

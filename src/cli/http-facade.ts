
// node:http's exports that load Node's bundled undici when read (WebSocket and its events).
const UNDICI_EXPORTS = ['WebSocket', 'CloseEvent', 'MessageEvent'];

// Has Node build node:http's ES module face without loading undici. The first ES module import of
// a builtin reads every export once (nodejs/node#59686), and three of node:http's are getters that
// load undici (~15-30 ms of every run, a third of a warm run's network code) for classes this
// tool never uses. They are read as undefined while the face is built, then put back, so that
// `require('node:http').WebSocket` works as before; only an ES module importing WebSocket from
// node:http would see undefined, and none in this tool's tree does. Anything unexpected (a Node
// where they are plain values or cannot be redefined) leaves node:http untouched.
export async function importHttpWithoutUndici(): Promise<void> {
  const http = process.getBuiltinModule('node:http') as unknown as Record<string, unknown>;
  const lazy: Array<[string, PropertyDescriptor]> = [];
  for (const name of UNDICI_EXPORTS) {
    const descriptor = Object.getOwnPropertyDescriptor(http, name);
    if (descriptor?.get !== undefined && descriptor.configurable === true) lazy.push([name, descriptor]);
  }
  try {
    for (const [name, descriptor] of lazy) Object.defineProperty(http, name, { value: undefined, configurable: true, enumerable: descriptor.enumerable ?? true });
    await import('node:http');
  } catch {
    // The face is then built on the next import, as Node would have.
  } finally {
    for (const [name, descriptor] of lazy) Object.defineProperty(http, name, descriptor);
  }
}

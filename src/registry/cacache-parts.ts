import { createRequire } from 'node:module';
import type Cacache from 'cacache';

const require = createRequire(import.meta.url);

// cacache's reader alone (digest-checked reads by key or by digest): all a run needs that finds
// every result in the cache and writes nothing back. The package's entry point also loads its
// writers, index compaction, removal and verification, about 10 ms of such a run.
export const cacheRead = require('cacache/lib/get.js') as typeof Cacache.get;

// The whole of cacache, loaded by the first write.
export function cacacheForWriting(): typeof Cacache {
  return require('cacache') as typeof Cacache;
}

// A write stream for the entry `key`, and its integrity (cacache's digest of the bytes written)
// once the stream has ended and the entry is in place.
export function openCacheWrite(dir: string, key: string): { stream: ReturnType<typeof Cacache.put.stream>; written: Promise<string> } {
  const stream = cacacheForWriting().put.stream(dir, key);
  let integrity: string | undefined;
  stream.on('integrity', (digest: unknown) => {
    integrity = String(digest);
  });
  const written = stream.promise().then(() => {
    if (integrity === undefined) throw new Error(`expected an integrity for the cache entry ${key}, got none`);
    return integrity;
  });
  return { stream, written };
}

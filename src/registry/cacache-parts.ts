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

import { cacacheForWriting } from './cacache-parts.js';
import { inChunks, toJsonPieces } from '../json-pieces.js';

// Writes value as JSON under key, in pieces of about CHUNK_CHARS, and returns its integrity. The
// objects down to depth are written member by member: a registry index holds every package's
// record (tens of MB at 10,000 packages), and stringified whole it was the largest string of the
// run, then copied again into a Buffer. The text is what JSON.stringify(value) gives.
export async function putJson(dir: string, key: string, value: unknown, depth: number): Promise<string> {
  const stream = cacacheForWriting().put.stream(dir, key);
  let integrity: string | undefined;
  stream.on('integrity', (digest: unknown) => {
    integrity = String(digest);
  });
  const done = stream.promise();
  for (const chunk of inChunks(toJsonPieces(value, depth), CHUNK_CHARS)) {
    if (!stream.write(chunk)) await new Promise((resolve) => stream.once('drain', resolve));
  }
  stream.end();
  await done;
  if (integrity === undefined) throw new Error(`expected an integrity for the cache entry ${key}, got none`);
  return integrity;
}

const CHUNK_CHARS = 256 * 1024;

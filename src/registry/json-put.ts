import { openCacheWrite } from './cacache-parts.js';
import { inChunks, toJsonPieces } from '../json-pieces.js';

// Writes value as JSON under key, in pieces of about CHUNK_CHARS, and returns its integrity. The
// objects down to depth are written member by member: a registry index holds every package's
// record (tens of MB at 10,000 packages), and stringified whole it was the largest string of the
// run, then copied again into a Buffer. The text is what JSON.stringify(value) gives.
export async function putJson(dir: string, key: string, value: unknown, depth: number): Promise<string> {
  const { stream, written } = openCacheWrite(dir, key);
  for (const chunk of inChunks(toJsonPieces(value, depth), CHUNK_CHARS)) {
    if (!stream.write(chunk)) await new Promise((resolve) => stream.once('drain', resolve));
  }
  stream.end();
  return written;
}

const CHUNK_CHARS = 256 * 1024;

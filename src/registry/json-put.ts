import cacache from 'cacache';

// Writes value as JSON under key, in pieces of about CHUNK_CHARS, and returns its integrity. The
// objects down to depth are written member by member: a registry index holds every package's
// record (tens of MB at 10,000 packages), and stringified whole it was the largest string of the
// run, then copied again into a Buffer. The text is what JSON.stringify(value) gives.
export async function putJson(dir: string, key: string, value: unknown, depth: number): Promise<string> {
  const stream = cacache.put.stream(dir, key);
  let integrity: string | undefined;
  stream.on('integrity', (digest: unknown) => {
    integrity = String(digest);
  });
  const done = stream.promise();
  let chunk: string[] = [];
  let chars = 0;
  for (const piece of toJsonPieces(value, depth)) {
    chunk.push(piece);
    chars += piece.length;
    if (chars < CHUNK_CHARS) continue;
    if (!stream.write(chunk.join(''))) await new Promise((resolve) => stream.once('drain', resolve));
    chunk = [];
    chars = 0;
  }
  stream.end(chunk.join(''));
  await done;
  if (integrity === undefined) throw new Error(`expected an integrity for the cache entry ${key}, got none`);
  return integrity;
}

// The JSON text of value in pieces: plain objects down to depth member by member, the rest whole.
export function* toJsonPieces(value: unknown, depth: number): Generator<string> {
  if (depth <= 0 || typeof value !== 'object' || value === null || Array.isArray(value) || typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    yield JSON.stringify(value);
    return;
  }
  let separator = '{';
  for (const [name, member] of Object.entries(value)) {
    // JSON.stringify leaves out the members it cannot write.
    if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue;
    yield `${separator}${JSON.stringify(name)}:`;
    separator = ',';
    yield* toJsonPieces(member, depth - 1);
  }
  yield separator === '{' ? '{}' : '}';
}

const CHUNK_CHARS = 256 * 1024;

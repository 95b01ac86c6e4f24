// The text of JSON.stringify(value, null, indent) in pieces, to be written out a piece at a time
// rather than held whole: the cache index and the report run to tens of MB at 10,000 packages.
// Objects and arrays down to depth are taken member by member, anything deeper whole.
export function* toJsonPieces(value: unknown, depth: number, indent = 0): Generator<string> {
  yield* pieces(value, depth, ' '.repeat(indent), '');
}

// Pieces joined into strings of about size characters each.
export function* inChunks(pieces: Iterable<string>, size: number): Generator<string> {
  let chunk: string[] = [];
  let chars = 0;
  for (const piece of pieces) {
    chunk.push(piece);
    chars += piece.length;
    if (chars < size) continue;
    yield chunk.join('');
    chunk = [];
    chars = 0;
  }
  if (chunk.length > 0) yield chunk.join('');
}

function* pieces(value: unknown, depth: number, unit: string, prefix: string): Generator<string> {
  if (depth <= 0 || typeof value !== 'object' || value === null || typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    yield unit === '' || prefix === '' ? JSON.stringify(value, null, unit) : indentedText(value, unit, prefix.length / unit.length);
    return;
  }
  const inner = prefix + unit;
  const newline = unit === '' ? '' : '\n';
  if (Array.isArray(value)) {
    if (value.length === 0) {
      yield '[]';
      return;
    }
    for (let index = 0; index < value.length; index++) {
      yield `${index === 0 ? '[' : ','}${newline}${inner}`;
      // JSON.stringify writes null for what it cannot write in an array.
      const member: unknown = value[index];
      if (isUnwritable(member)) yield 'null';
      else yield* pieces(member, depth - 1, unit, inner);
    }
    yield `${newline}${prefix}]`;
    return;
  }
  let separator = '{';
  for (const [name, member] of Object.entries(value)) {
    // JSON.stringify leaves out the members it cannot write.
    if (isUnwritable(member)) continue;
    yield `${separator}${newline}${inner}${JSON.stringify(name)}:${unit === '' ? '' : ' '}`;
    separator = ',';
    yield* pieces(member, depth - 1, unit, inner);
  }
  yield separator === '{' ? '{}' : `${newline}${prefix}}`;
}

function isUnwritable(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

// The text of a value nested `levels` deep, indented as deep as it sits: stringified inside as
// many one-member arrays, whose brackets are cut off. JSON.stringify indents it natively; adding
// the indent to each line afterwards (a replace over every package's text) cost more than the
// stringify itself.
function indentedText(value: unknown, unit: string, levels: number): string {
  let wrapped = value;
  for (let level = 0; level < levels; level++) wrapped = [wrapped];
  const text = JSON.stringify(wrapped, null, unit);
  // Each level adds `[\n` and its indent before the value, and `\n`, the outer indent and `]` after.
  const head = 2 * levels + (unit.length * levels * (levels + 1)) / 2;
  const tail = 2 * levels + (unit.length * levels * (levels - 1)) / 2;
  return text.slice(head, text.length - tail);
}

// Generic JSON mutations, applied to deep copies of real documents (the fuzz properties).
import fc from 'fast-check';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Path = (string | number)[];

const MUTATION_OPS = ['delete', 'replace', 'retype', 'duplicate', 'string', 'flipByte', 'swap', 'borrow'] as const;

export interface JsonMutation {
  op: (typeof MUTATION_OPS)[number];
  at: number;
  at2: number;
  // When true, `at` indexes the "interesting" paths (signed fields, labels) rather than all.
  focus: boolean;
  donor: number;
  bit: number;
  value: Json;
  text: string;
}

const STRANGE_VALUES: Json[] = [null, 0, -1, 1.5, 1e308, '', ' ', 'x', '0', 'null', true, false, [], {}, [null], { '': null }, '\u0000', 'A'.repeat(300)];

// An arbitrary mutation of a JSON document.
export const mutationArbitrary: fc.Arbitrary<JsonMutation> = fc.record({
  op: fc.constantFrom(...MUTATION_OPS),
  at: fc.nat(),
  at2: fc.nat(),
  focus: fc.boolean(),
  donor: fc.nat(),
  bit: fc.nat({ max: 1 << 20 }),
  value: fc.oneof(fc.constantFrom(...STRANGE_VALUES), fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>),
  text: fc.oneof(fc.string({ maxLength: 24 }), fc.constantFrom('https://slsa.dev/provenance/v1', 'application/vnd.in-toto+json', 'pkg:npm/sigstore@2.3.1', '=', '==', '!', 'AAAA')),
});

export function listPaths(value: Json, path: Path = [], out: Path[] = []): Path[] {
  out.push(path);
  if (Array.isArray(value)) value.forEach((v, i) => listPaths(v, [...path, i], out));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) listPaths(v, [...path, k], out);
  return out;
}

export function getAt(value: Json, path: Path): Json | undefined {
  let cur: Json | undefined = value;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, Json>)[key];
  }
  return cur;
}

// Replaces the value at `path` (the root when path is empty: returns the new root).
export function setAt(root: Json, path: Path, next: Json | undefined): Json {
  if (path.length === 0) return next ?? null;
  const parent = getAt(root, path.slice(0, -1));
  const key = path[path.length - 1]!;
  if (Array.isArray(parent) && typeof key === 'number') {
    if (next === undefined) parent.splice(key, 1);
    else parent[key] = next;
  } else if (parent !== null && typeof parent === 'object' && !Array.isArray(parent)) {
    if (next === undefined) delete parent[key as string];
    else parent[key as string] = next;
  }
  return root;
}

export function flipBit(text: string, bit: number): string {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length === 0) return `${text}A`;
  const index = (bit >> 3) % bytes.length;
  bytes[index] = bytes[index]! ^ (1 << (bit & 7));
  return bytes.toString('base64');
}

export function mutateString(text: string, m: JsonMutation): string {
  const where = text.length === 0 ? 0 : m.at2 % (text.length + 1);
  switch (m.bit % 5) {
    case 0:
      return m.text;
    case 1:
      return text.slice(0, where) + m.text + text.slice(where);
    case 2:
      return text.slice(0, where);
    case 3:
      return text.slice(0, where) + text.slice(where + 1 + (m.bit % 7));
    default:
      return text.toUpperCase() === text ? text.toLowerCase() : text.toUpperCase();
  }
}

// Applies one mutation to `doc` in place (returns the new root). `interesting` picks the paths
// `focus` draws from; `donors` are other documents to borrow values from.
export function applyMutation(doc: Json, m: JsonMutation, interesting: (path: Path) => boolean, donors: readonly Json[]): Json {
  const all = listPaths(doc);
  const focused = all.filter(interesting);
  const pool = m.focus && focused.length > 0 ? focused : all;
  const path = pool[m.at % pool.length]!;
  const current = getAt(doc, path);
  const clone = <T>(v: T): T => structuredClone(v);
  switch (m.op) {
    case 'delete':
      return path.length === 0 ? doc : setAt(doc, path, undefined);
    case 'replace':
      return setAt(doc, path, clone(m.value));
    case 'retype':
      return setAt(doc, path, STRANGE_VALUES[m.at2 % STRANGE_VALUES.length]!);
    case 'duplicate': {
      const parent = getAt(doc, path.slice(0, -1));
      const key = path[path.length - 1];
      if (Array.isArray(parent) && typeof key === 'number') parent.splice(key, 0, clone(parent[key]!));
      else if (Array.isArray(current)) current.push(clone(current[m.at2 % Math.max(current.length, 1)] ?? null));
      else return setAt(doc, path, [clone(current ?? null), clone(current ?? null)]);
      return doc;
    }
    case 'string':
      return typeof current === 'string' ? setAt(doc, path, mutateString(current, m)) : setAt(doc, path, m.text);
    case 'flipByte':
      return typeof current === 'string' ? setAt(doc, path, flipBit(current, m.bit)) : doc;
    case 'swap': {
      const other = all[m.at2 % all.length]!;
      const otherValue = getAt(doc, other);
      if (otherValue === undefined || current === undefined) return doc;
      // A path inside the other would make a cycle; replacing one by a copy of the other is enough.
      return setAt(doc, path, clone(otherValue));
    }
    case 'borrow': {
      if (donors.length === 0) return doc;
      const donor = donors[m.donor % donors.length]!;
      // The same path in the donor when it exists (a like-for-like swap), else any of its values.
      const same = getAt(donor, path);
      if (same !== undefined && m.bit % 4 !== 0) return setAt(doc, path, clone(same));
      const donorPaths = listPaths(donor);
      return setAt(doc, path, clone(getAt(donor, donorPaths[m.at2 % donorPaths.length]!) ?? null));
    }
  }
}

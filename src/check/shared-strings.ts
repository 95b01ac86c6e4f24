// One copy of each short string that many packages' facts repeat. Facts come back from a
// verification worker as a structured clone, whose every string is a new copy: the trust
// digests, key ids, statuses and issuer URLs of 10,000 packages were ~10% of the main thread's
// heap. Long strings (signatures, certificates) are seldom repeated and are left alone.
export class SharedStrings {
  readonly #strings = new Map<string, string>();

  // value with its short strings replaced by the shared copy (objects and arrays in place).
  share<T>(value: T): T {
    return this.#share(value, 0) as T;
  }

  #share(value: unknown, depth: number): unknown {
    if (typeof value === 'string') return value.length > MAX_SHARED_LENGTH ? value : this.#shared(value);
    if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return value;
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) value[index] = this.#share(value[index], depth + 1);
      return value;
    }
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) record[key] = this.#share(record[key], depth + 1);
    return record;
  }

  #shared(text: string): string {
    const known = this.#strings.get(text);
    if (known !== undefined) return known;
    this.#strings.set(text, text);
    return text;
  }
}

const MAX_SHARED_LENGTH = 200;
// Facts are a few levels deep; the bound only keeps a malformed reply from recursing far.
const MAX_DEPTH = 16;

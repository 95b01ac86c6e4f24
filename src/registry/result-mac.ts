import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';

// HMAC-SHA256 under this machine's result key: the cache stores a verification result with a
// MAC, and reuses it only when the MAC checks, so that whoever can write the cache directory (a
// CI cache restored from another branch, a shared volume) cannot make up or move a result.
// cacache's own integrity check catches corruption, not a writer who rewrites index and content
// together.
export class ResultMac {
  // Made a KeyObject once: given a Buffer, every HMAC would copy the key into a new one.
  readonly #key: KeyObject;

  constructor(key: Buffer) {
    this.#key = createSecretKey(key);
  }

  // The MAC of a message, in lower-case hex.
  sign(message: string): string {
    return this.#digest(message).toString('hex');
  }

  // Whether mac is the MAC of message; compared in constant time, so that timing does not tell
  // how much of a guessed MAC is right.
  verify(message: string, mac: unknown): boolean {
    if (typeof mac !== 'string' || !/^[0-9a-f]{64}$/.test(mac)) return false;
    return timingSafeEqual(this.#digest(message), Buffer.from(mac, 'hex'));
  }

  #digest(message: string): Buffer {
    return createHmac('sha256', this.#key).update(message, 'utf8').digest();
  }
}

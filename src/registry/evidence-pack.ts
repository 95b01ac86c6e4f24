import { randomUUID } from 'node:crypto';
import { openCacheWrite } from './cacache-parts.js';

// One pack of evidence being written to the cache: a JSON object of member key → evidence, whose
// members go to cacache's write stream as they are added, in pieces of about PIECE_CHARS. Held
// as text until the pack was full (500 packages), every package's evidence outlived the young
// generation and was then copied twice more (the joined text, its bytes): ~100 MB of old-space
// garbage over a cold run on 10,000 packages, collected only by full GCs, which set its peak
// memory. The bytes written are those of JSON.stringify of the pack as one object.
export class EvidencePackWriter {
  readonly key: string;
  readonly #stream: ReturnType<typeof openCacheWrite>['stream'];
  readonly #written: Promise<string>;
  #piece: string[] = [];
  #pieceChars = 0;
  #members = 0;
  #failed = false;

  constructor(dir: string, registry: string) {
    this.key = `verify-deps:evidence-pack:v1:${registry}:${randomUUID()}`;
    ({ stream: this.#stream, written: this.#written } = openCacheWrite(dir, this.key));
    // The failure is the caller's once it closes the pack; until then a write that fails only
    // stops the writing.
    this.#written.catch(() => {
      this.#failed = true;
    });
  }

  // Members added so far.
  get size(): number {
    return this.#members;
  }

  add(memberKey: string, json: string): void {
    const text = `${this.#members === 0 ? '{' : ','}${JSON.stringify(memberKey)}:${json}`;
    this.#members++;
    this.#piece.push(text);
    this.#pieceChars += text.length;
    if (this.#pieceChars >= PIECE_CHARS) this.#writePiece();
  }

  // Ends the pack; resolves with its integrity (cacache's digest of its bytes), rejects when it
  // could not be written.
  close(): Promise<string> {
    this.#piece.push(this.#members === 0 ? '{}' : '}');
    this.#writePiece();
    if (!this.#failed) this.#stream.end();
    return this.#written;
  }

  // Pieces go out without waiting for the stream to drain: the file system takes them faster
  // than packages are fetched, and what waits in the stream is no more than was held before.
  #writePiece(): void {
    const piece = this.#piece.join('');
    this.#piece = [];
    this.#pieceChars = 0;
    if (!this.#failed) this.#stream.write(piece);
  }
}

const PIECE_CHARS = 64 * 1024;

// RFC 6962 Merkle tree hashing and inclusion proofs (as Rekor computes and @sigstore/verify checks).
// Hashes of complete power-of-two subtrees are memoized, so roots and audit paths cost O(log n).
import crypto from 'node:crypto';

const sha256 = (...parts: Buffer[]): Buffer => {
  const h = crypto.createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

// Leaf hash: SHA-256(0x00 || leaf).
export const hashLeaf = (leaf: Buffer): Buffer => sha256(Buffer.from([0]), leaf);

// Interior node hash: SHA-256(0x01 || left || right).
export const hashChildren = (left: Buffer, right: Buffer): Buffer => sha256(Buffer.from([1]), left, right);

// Largest power of two strictly less than n (n > 1).
const splitPoint = (n: number): number => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};

// An append-only tree of leaf hashes.
export class MerkleTree {
  readonly leaves: Buffer[] = [];
  private readonly memo = new Map<string, Buffer>();

  // Appends a leaf hash; returns its index.
  push(leafHash: Buffer): number {
    this.leaves.push(leafHash);
    return this.leaves.length - 1;
  }

  get size(): number {
    return this.leaves.length;
  }

  // Merkle tree hash (MTH) of leaves [start, start + count).
  hash(start = 0, count = this.leaves.length): Buffer {
    if (count === 0) return sha256();
    if (count === 1) return this.leaves[start] as Buffer;
    const perfect = (count & (count - 1)) === 0;
    const key = `${start}:${count}`;
    const cached = perfect ? this.memo.get(key) : undefined;
    if (cached) return cached;
    const k = splitPoint(count);
    const h = hashChildren(this.hash(start, k), this.hash(start + k, count - k));
    if (perfect) this.memo.set(key, h);
    return h;
  }

  // Audit path (RFC 6962 PATH) for leaf `index` in the tree of the first `size` leaves, lowest first.
  path(index: number, size = this.leaves.length, start = 0): Buffer[] {
    if (index < 0 || index >= size) throw new RangeError(`leaf ${index} not in tree of size ${size}`);
    if (size === 1) return [];
    const k = splitPoint(size);
    return index < k
      ? [...this.path(index, k, start), this.hash(start + k, size - k)]
      : [...this.path(index - k, size - k, start + k), this.hash(start, k)];
  }
}

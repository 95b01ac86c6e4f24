// ASN.1 trees that answer with the DER they were parsed from, each node with its own slice of the
// bytes: @sigstore/core re-encodes a node (and all below it) each time its bytes are needed, which
// for a certificate's to-be-signed part and its SCT check was most of a bundle's ASN.1 work.
import { ASN1Obj } from '@sigstore/core';

// A node that answers with its bytes. Its fields and children are frozen: were a node changed
// after it was built, its bytes would no longer be its encoding, so a change throws instead.
class EncodedAsn1 extends ASN1Obj {
  readonly #der: Buffer;
  #oid: string | undefined;

  constructor(node: ASN1Obj, der: Buffer, subs: EncodedAsn1[]) {
    super(node.tag, der.subarray(der.length - node.value.length), Object.freeze(subs) as EncodedAsn1[]);
    this.#der = der;
    Object.freeze(this);
  }

  override toDER(): Buffer {
    return this.#der;
  }

  // Certificates are searched by extension OID many times per bundle (@sigstore/verify's chain,
  // SCT and signer checks, the signer facts): each OID is decoded once. Only a decoded OID is
  // kept; a node that is no OID throws each time it is asked.
  override toOID(): string {
    return (this.#oid ??= super.toOID());
  }
}

// The length of a DER header (one tag byte, then the length: @sigstore/core's parser refuses
// long-form tags and any length that is not in its shortest form).
function headerLength(valueLength: number): number {
  let bytes = 0;
  for (let rest = valueLength; rest > 0; rest = Math.floor(rest / 256)) bytes++;
  return valueLength < 128 ? 2 : 2 + bytes;
}

// The value length a DER header states.
function statedLength(der: Buffer): number {
  const first = der[1] ?? 0;
  if (first < 0x80) return first;
  let length = 0;
  for (let i = 0; i < (first & 0x7f); i++) length = length * 256 + (der[2 + i] ?? 0);
  return length;
}

// The node over its bytes, children included; throws when the bytes are not its encoding.
function toEncoded(node: ASN1Obj, der: Buffer): EncodedAsn1 {
  if (der.length !== headerLength(node.value.length) + node.value.length || der[0] !== node.tag.toDER() || statedLength(der) !== node.value.length) {
    throw new Error(`expected the DER of a tag ${node.tag.toDER()} object of ${node.value.length} bytes, got ${der.length} bytes`);
  }
  let offset = der.length - node.value.length;
  const subs = node.subs.map((sub) => {
    const end = offset + headerLength(sub.value.length) + sub.value.length;
    const encoded = toEncoded(sub, der.subarray(offset, end));
    offset = end;
    return encoded;
  });
  if (subs.length > 0 && offset !== der.length) throw new Error(`expected children filling ${der.length} bytes, got ${offset}`);
  return new EncodedAsn1(node, der, subs);
}

// The tree of `der`, parsed here (strict DER, nothing after it), its nodes answering with their bytes.
export function parseEncoded(der: Buffer): ASN1Obj {
  return toEncoded(ASN1Obj.parseBuffer(der as Buffer<ArrayBuffer>), der);
}

// The same tree, without parsing again, when `der` is the bytes it was parsed from: the parser is
// strict (one encoding per tree), so the tree parsed from `der` has exactly `der` as its encoding,
// and its content is compared byte for byte to be sure of it. Any other tree keeps its own bytes:
// re-encoded and parsed anew, as it would be without `der`.
export function toEncodedTree(parsed: ASN1Obj, der: Buffer): ASN1Obj {
  const content = der.subarray(der.length - parsed.value.length);
  if (der.length > parsed.value.length && content.equals(parsed.value)) {
    try {
      return toEncoded(parsed, der);
    } catch {
      // Not the tree of `der` after all: re-encoded below.
    }
  }
  return parseEncoded(Buffer.from(parsed.toDER()));
}

// A copy of `root` whose nodes on the path `indexes` (child positions, from the root down) are
// new, plain and changeable, and whose other nodes are shared (frozen, with their bytes).
export function withChangeablePath(root: ASN1Obj, indexes: readonly number[]): ASN1Obj {
  const [first, ...rest] = indexes;
  const subs = [...root.subs];
  if (first !== undefined) {
    const child = subs[first];
    if (child === undefined) throw new Error(`expected a child at position ${first}, got ${subs.length} children`);
    subs[first] = withChangeablePath(child, rest);
  }
  return new ASN1Obj(root.tag, root.value, subs);
}

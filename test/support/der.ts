// Minimal DER writer: just the ASN.1 types needed for X.509 certificates, SCT lists and RFC 3161
// tokens built by the test PKI. Output is canonical DER (minimal lengths), so parsers that re-encode
// (e.g. @sigstore/core when it strips the SCT extension) reproduce the exact bytes.

// One encoded DER element (tag + length + contents).
export type Der = Buffer;

function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

// Wraps contents in a tag/length header.
export function tlv(tag: number, contents: Buffer): Der {
  return Buffer.concat([Buffer.from([tag]), encodeLength(contents.length), contents]);
}

// SEQUENCE of the given elements.
export const sequence = (...items: Der[]): Der => tlv(0x30, Buffer.concat(items));

// SET OF the given elements, sorted as DER requires.
export const set = (...items: Der[]): Der => tlv(0x31, Buffer.concat([...items].sort(Buffer.compare)));

// INTEGER from a non-negative bigint/number or from raw unsigned big-endian bytes.
export function integer(value: bigint | number | Buffer): Der {
  let bytes: Buffer;
  if (Buffer.isBuffer(value)) {
    bytes = value;
    while (bytes.length > 1 && bytes[0] === 0) bytes = bytes.subarray(1);
  } else {
    let hex = BigInt(value).toString(16);
    if (hex.length % 2) hex = `0${hex}`;
    bytes = Buffer.from(hex, 'hex');
  }
  if ((bytes[0] ?? 0) & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return tlv(0x02, bytes);
}

// OBJECT IDENTIFIER from dotted notation.
export function oid(dotted: string): Der {
  const arcs = dotted.split('.').map((a) => BigInt(a));
  const [first = 0n, second = 0n, ...rest] = arcs;
  const out: number[] = [];
  for (const arc of [first * 40n + second, ...rest]) {
    const chunk: number[] = [];
    let n = arc;
    do {
      chunk.unshift(Number(n & 0x7fn));
      n >>= 7n;
    } while (n > 0n);
    for (let i = 0; i < chunk.length - 1; i++) chunk[i] = (chunk[i] ?? 0) | 0x80;
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

// BOOLEAN.
export const boolean = (value: boolean): Der => tlv(0x01, Buffer.from([value ? 0xff : 0x00]));

// NULL.
export const nullValue = (): Der => Buffer.from([0x05, 0x00]);

// OCTET STRING.
export const octetString = (bytes: Buffer): Der => tlv(0x04, bytes);

// BIT STRING with the given number of unused trailing bits.
export const bitString = (bytes: Buffer, unusedBits = 0): Der =>
  tlv(0x03, Buffer.concat([Buffer.from([unusedBits]), bytes]));

// UTF8String.
export const utf8String = (text: string): Der => tlv(0x0c, Buffer.from(text, 'utf8'));

// PrintableString.
export const printableString = (text: string): Der => tlv(0x13, Buffer.from(text, 'ascii'));

// IA5String.
export const ia5String = (text: string): Der => tlv(0x16, Buffer.from(text, 'ascii'));

function timeDigits(date: Date, fullYear: boolean): string {
  const iso = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const year = fullYear ? iso.slice(0, 4) : iso.slice(2, 4);
  return `${year}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`;
}

// GeneralizedTime (whole seconds, UTC).
export const generalizedTime = (date: Date): Der =>
  tlv(0x18, Buffer.from(`${timeDigits(date, true)}Z`, 'ascii'));

// X.509 Time: UTCTime before 2050, GeneralizedTime from 2050 on (RFC 5280 4.1.2.5).
export function x509Time(date: Date): Der {
  const year = date.getUTCFullYear();
  if (year >= 1950 && year < 2050) return tlv(0x17, Buffer.from(`${timeDigits(date, false)}Z`, 'ascii'));
  return generalizedTime(date);
}

// [n] EXPLICIT wrapper (constructed context-specific tag).
export const explicit = (n: number, inner: Der): Der => tlv(0xa0 | n, inner);

// [n] IMPLICIT constructed wrapper around already-encoded contents (e.g. SET OF certificates).
export const implicitConstructed = (n: number, contents: Buffer): Der => tlv(0xa0 | n, contents);

// [n] IMPLICIT primitive wrapper (e.g. GeneralName uniformResourceIdentifier is [6] IA5String).
export const implicitPrimitive = (n: number, contents: Buffer): Der => tlv(0x80 | n, contents);

// An X.501 Name from attribute pairs, e.g. [['2.5.4.10', 'sigstore.test'], ['2.5.4.3', 'root']].
export function name(attributes: Array<[string, string]>): Der {
  return sequence(...attributes.map(([type, value]) => set(sequence(oid(type), utf8String(value)))));
}

// Common OIDs used by the test PKI.
export const OID = {
  ecPublicKey: '1.2.840.10045.2.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecdsaWithSha384: '1.2.840.10045.4.3.3',
  sha256: '2.16.840.1.101.3.4.2.1',
  organization: '2.5.4.10',
  commonName: '2.5.4.3',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  sctList: '1.3.6.1.4.1.11129.2.4.2',
  signedData: '1.2.840.113549.1.7.2',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
} as const;

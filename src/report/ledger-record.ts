// The ledger's record format, pure: building a record's bytes and name, parsing them back.
//
// A record is `{ schemaVersion: 1, sequence, previous, reportSha256, report }` in canonical JSON,
// stored as `<sequence, 8 digits>-<sha256 of the record's bytes>.json`. The name is the content
// address (one changed byte no longer matches it) and `previous` is the previous record's
// address (a deleted, inserted or reordered record breaks the chain).

import { canonicalJson, sha256Hex } from '../canonical-json.js';
import { LedgerError } from './ledger-errors.js';

export interface LedgerRecord {
  schemaVersion: 1;
  // 1 for the first record, then +1 each.
  sequence: number;
  // sha256 (hex) of the previous record's file bytes; null for the first record.
  previous: string | null;
  // sha256 (hex) of the report's bytes exactly as given (so it matches `sha256sum report.json`).
  reportSha256: string;
  report: Record<string, unknown>;
}

export interface BuiltRecord {
  bytes: Buffer;
  sha256: string;
  fileName: string;
}

const RECORD_FILE = /^(\d{8,})-([0-9a-f]{64})\.json$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

// The file name of a record: zero-padded sequence (sorts in order), then its content address.
export function toRecordFileName(sequence: number, sha256: string): string {
  return `${formatSequence(sequence)}-${sha256}.json`;
}

// The sequence, zero-padded to 8 digits (wider past 99,999,999).
export function formatSequence(sequence: number): string {
  return String(sequence).padStart(8, '0');
}

// Splits a record file name; undefined for any other name (or a non-canonical spelling of one).
export function parseRecordFileName(name: string): { sequence: number; sha256: string } | undefined {
  const match = RECORD_FILE.exec(name);
  if (match === null || match[1] === undefined || match[2] === undefined) {
    return undefined;
  }
  const sequence = Number(match[1]);
  if (!Number.isSafeInteger(sequence) || sequence < 1 || toRecordFileName(sequence, match[2]) !== name) {
    return undefined;
  }
  return { sequence, sha256: match[2] };
}

// Decodes a report: strict UTF-8 (no silent U+FFFD) holding one JSON object.
export function parseReportBytes(reportBytes: Uint8Array): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(reportBytes));
  } catch (err) {
    throw new LedgerError('LEDGER_REPORT_INVALID', `the report is not UTF-8 JSON: ${(err as Error).message}`, {}, err);
  }
  if (!isJsonObject(value)) {
    throw new LedgerError('LEDGER_REPORT_INVALID', 'the report is not a JSON object');
  }
  return value;
}

// Builds record `sequence` over `previous` (the previous record's sha256, or null for the first).
export function buildRecord(sequence: number, previous: string | null, reportBytes: Uint8Array, report: Record<string, unknown>): BuiltRecord {
  const record: LedgerRecord = { schemaVersion: 1, sequence, previous, reportSha256: sha256Hex(reportBytes), report };
  const bytes = Buffer.from(canonicalJson(record), 'utf8');
  const sha256 = sha256Hex(bytes);
  return { bytes, sha256, fileName: toRecordFileName(sequence, sha256) };
}

// Parses a record's bytes; a string saying what is wrong when they are not a record.
export function parseRecord(bytes: Uint8Array): LedgerRecord | string {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (err) {
    return `not UTF-8 JSON: ${(err as Error).message}`;
  }
  if (!isJsonObject(value)) {
    return 'not a JSON object';
  }
  const keys = Object.keys(value).sort().join(',');
  if (keys !== 'previous,report,reportSha256,schemaVersion,sequence') {
    return `expected exactly the fields previous, report, reportSha256, schemaVersion, sequence; got ${keys || 'none'}`;
  }
  const { schemaVersion, sequence, previous, reportSha256, report } = value;
  if (schemaVersion !== 1) return `expected schemaVersion 1, got ${JSON.stringify(schemaVersion)}`;
  if (typeof sequence !== 'number' || !Number.isSafeInteger(sequence) || sequence < 1) return `expected a positive integer sequence, got ${JSON.stringify(sequence)}`;
  if (previous !== null && (typeof previous !== 'string' || !SHA256_HEX.test(previous))) return 'expected previous to be a sha256 hex digest or null';
  if (typeof reportSha256 !== 'string' || !SHA256_HEX.test(reportSha256)) return 'expected reportSha256 to be a sha256 hex digest';
  if (!isJsonObject(report)) return 'expected report to be a JSON object';
  return { schemaVersion, sequence, previous, reportSha256, report };
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Verifies a ledger end to end and names the first record that breaks it. Read-only.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256Hex } from '../canonical-json.js';
import { listLedger, type RecordFile } from './ledger-files.js';
import { parseRecord, toRecordFileName } from './ledger-record.js';

export type LedgerProblem = 'modified' | 'missing' | 'reordered' | 'broken-link' | 'unparseable';

export type LedgerVerification =
  | { ok: true; records: number }
  | { ok: false; record: string; problem: LedgerProblem; message: string };

export interface VerifyLedgerOptions {
  // The head as recorded elsewhere (in the report, a CI log, a ticket). A hash chain alone cannot
  // tell that its newest records were deleted; this can.
  expectedHead?: { sequence: number; sha256: string };
}

// Checks every record: its bytes match its name's content address, its sequence is its place,
// its `previous` is the address of the record before. Throws LedgerError only for an unreadable
// directory; an empty directory is a valid ledger of 0 records.
export async function verifyLedger(dir: string, options: VerifyLedgerOptions = {}): Promise<LedgerVerification> {
  const { records, strays } = await listLedger(dir);
  const addresses = new Set(records.map((r) => r.sha256));
  let previous: RecordFile | undefined;
  for (const [index, file] of records.entries()) {
    const problem = await checkRecord(dir, file, index + 1, previous, addresses);
    if (problem !== undefined) {
      return problem;
    }
    previous = file;
  }
  const stray = strays[0];
  if (stray !== undefined) {
    return fail(stray, 'unparseable', `${stray} is not a record name (<8-digit sequence>-<sha256>.json): renamed or planted`);
  }
  const headProblem = checkExpectedHead(records, options.expectedHead);
  return headProblem ?? { ok: true, records: records.length };
}

async function checkRecord(dir: string, file: RecordFile, expectedSequence: number, previous: RecordFile | undefined, addresses: Set<string>): Promise<LedgerVerification | undefined> {
  if (previous !== undefined && previous.sequence === file.sequence) {
    return fail(file.name, 'broken-link', `${file.name} and ${previous.name} both claim sequence ${file.sequence}: the chain forks`);
  }
  if (file.sequence !== expectedSequence) {
    const gap = expectedSequence === file.sequence - 1 ? `record ${expectedSequence} is` : `records ${expectedSequence}–${file.sequence - 1} are`;
    return fail(file.name, 'missing', `${gap} missing before ${file.name}`);
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(join(dir, file.name));
  } catch (err) {
    return fail(file.name, 'unparseable', `${file.name} cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const actual = sha256Hex(bytes);
  if (actual !== file.sha256) {
    // Bytes that are another record's: records were swapped, not edited.
    return addresses.has(actual)
      ? fail(file.name, 'reordered', `${file.name} holds the bytes of another record (sha256 ${actual}): records were swapped`)
      : fail(file.name, 'modified', `${file.name} was modified: its bytes hash to ${actual}, not to its content address`);
  }
  const record = parseRecord(bytes);
  if (typeof record === 'string') {
    return fail(file.name, 'unparseable', `${file.name} is not a ledger record: ${record}`);
  }
  if (record.sequence !== file.sequence) {
    return fail(file.name, 'reordered', `${file.name} is in place ${file.sequence} but is record ${record.sequence}: records were reordered`);
  }
  const expectedPrevious = previous?.sha256 ?? null;
  if (record.previous !== expectedPrevious) {
    return fail(file.name, 'broken-link', `${file.name} links to ${record.previous ?? 'nothing'}, expected ${expectedPrevious ?? 'nothing (first record)'}`);
  }
  return undefined;
}

function checkExpectedHead(records: RecordFile[], expected: VerifyLedgerOptions['expectedHead']): LedgerVerification | undefined {
  if (expected === undefined) {
    return undefined;
  }
  const name = toRecordFileName(expected.sequence, expected.sha256);
  const atSequence = records.find((r) => r.sequence === expected.sequence);
  if (atSequence === undefined) {
    return fail(name, 'missing', `the expected head ${name} is missing: the ledger ends at record ${records.length}`);
  }
  if (atSequence.sha256 !== expected.sha256) {
    return fail(atSequence.name, 'broken-link', `record ${expected.sequence} is ${atSequence.name}, expected ${name}: the chain was rewritten`);
  }
  return undefined;
}

function fail(record: string, problem: LedgerProblem, message: string): LedgerVerification {
  return { ok: false, record, problem, message };
}

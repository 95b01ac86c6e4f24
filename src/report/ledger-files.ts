// Reading the ledger directory: which files are records, in what order. Shared by append and
// verify. The head is whatever record has the highest sequence: there is no mutable HEAD file
// that could be rewritten to hide the newest records.

import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { LedgerError } from './ledger-errors.js';
import { formatSequence, parseRecordFileName } from './ledger-record.js';

// Temporary files of appends in progress (never part of the chain).
export const STAGING_DIR = '.staging';
// `<sequence>` hard links by which appenders claim a sequence exclusively (never removed).
export const CLAIMS_DIR = '.claims';

export interface RecordFile {
  name: string;
  sequence: number;
  // The content address the name claims.
  sha256: string;
}

export interface LedgerListing {
  // Sorted by sequence, then name (two records of one sequence are a fork).
  records: RecordFile[];
  // `.json` files that are not well-formed record names: something put them there.
  strays: string[];
}

// Lists the ledger's records. Dot-entries (staging, claims) are the appenders' own and ignored.
export async function listLedger(dir: string): Promise<LedgerListing> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    throw toDirError(dir, err);
  }
  const records: RecordFile[] = [];
  const strays: string[] = [];
  for (const name of names) {
    const parsed = parseRecordFileName(name);
    if (parsed !== undefined) {
      records.push({ name, ...parsed });
    } else if (!name.startsWith('.') && name.endsWith('.json')) {
      strays.push(name);
    }
  }
  records.sort((a, b) => a.sequence - b.sequence || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { records, strays: strays.sort() };
}

// The path of the claim for `sequence`.
export function toClaimPath(dir: string, sequence: number): string {
  return join(dir, CLAIMS_DIR, formatSequence(sequence));
}

// A LedgerError for a directory that cannot be used, with the system's reason.
export function toDirError(dir: string, err: unknown): LedgerError {
  const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
  return new LedgerError('LEDGER_DIR_UNUSABLE', `cannot use the ledger directory ${dir}: ${reason}`, {
    file: dir,
    hint: 'Point the ledger at a writable directory (it is created when missing).',
  }, err);
}

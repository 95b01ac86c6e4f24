// An append-only, hash-chained ledger of compliance reports, one content-addressed file per report.
//
// Appending never overwrites. Concurrent appenders race for the next sequence by hard-linking
// their complete record to `.claims/<sequence>`: link(2) is atomic and fails when the name is
// taken, so exactly one wins and the others re-read the head and try the next sequence. The
// winner then links the same file to its content-addressed name. An append interrupted between
// the two links leaves a complete, fsynced claim that the next appender publishes for it.

import { link, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256Hex } from '../canonical-json.js';
import { OutputError, writeFileExclusive } from './atomic-write.js';
import { LedgerError } from './ledger-errors.js';
import { CLAIMS_DIR, listLedger, STAGING_DIR, toClaimPath, toDirError, type RecordFile } from './ledger-files.js';
import { buildRecord, parseRecord, parseReportBytes, toRecordFileName } from './ledger-record.js';

export { verifyLedger, type LedgerProblem, type LedgerVerification, type VerifyLedgerOptions } from './ledger-verify.js';
export { LedgerError, type LedgerErrorCode } from './ledger-errors.js';
export type { LedgerRecord } from './ledger-record.js';

export interface AppendResult {
  // Path of the new record file.
  file: string;
  // Its content address: sha256 (hex) of its bytes. Keep it elsewhere to detect truncation later.
  sha256: string;
  sequence: number;
}

export interface AppendOptions {
  // How many times to lose the race for a sequence before giving up (default 200).
  maxAttempts?: number;
}

interface Head {
  sequence: number;
  sha256: string;
}

// Appends a report (its exact bytes; must be a JSON object) as the next record of the ledger in
// `dir`, creating the directory when missing. Refuses to extend a ledger whose head is tampered.
export async function appendToLedger(dir: string, reportBytes: Buffer, options: AppendOptions = {}): Promise<AppendResult> {
  const report = parseReportBytes(reportBytes);
  await prepareLedgerDir(dir);
  const maxAttempts = options.maxAttempts ?? 200;
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const head = await readHead(dir);
    const sequence = (head?.sequence ?? 0) + 1;
    if (await publishPendingClaim(dir, sequence, head)) {
      continue;
    }
    const record = buildRecord(sequence, head?.sha256 ?? null, reportBytes, report);
    const claimPath = toClaimPath(dir, sequence);
    const claimed = await writeFileExclusive(claimPath, record.bytes, { tempDir: join(dir, STAGING_DIR) }).catch((err: unknown) => {
      throw toDirError(dir, err instanceof OutputError && err.cause !== undefined ? err.cause : err);
    });
    if (!claimed) {
      await backoff(attempt);
      continue;
    }
    await publish(claimPath, join(dir, record.fileName));
    return { file: join(dir, record.fileName), sha256: record.sha256, sequence };
  }
  throw new LedgerError('LEDGER_BUSY', `gave up appending to ${dir} after losing ${maxAttempts} races for the next sequence`, { file: dir });
}

async function prepareLedgerDir(dir: string): Promise<void> {
  try {
    await mkdir(join(dir, STAGING_DIR), { recursive: true });
    await mkdir(join(dir, CLAIMS_DIR), { recursive: true });
  } catch (err) {
    throw toDirError(dir, err);
  }
}

// The newest record, checked against its own address and sequence. Only the head is checked here
// (verifyLedger checks all): every append builds on it, so it must be what it claims.
async function readHead(dir: string): Promise<Head | undefined> {
  const { records } = await listLedger(dir);
  const head = records.at(-1);
  if (head === undefined) {
    return undefined;
  }
  if (records.at(-2)?.sequence === head.sequence) {
    throw headError(dir, head, `two records claim sequence ${head.sequence}`);
  }
  const bytes = await readFile(join(dir, head.name)).catch((err: unknown) => {
    throw toDirError(dir, err);
  });
  const record = parseRecord(bytes);
  if (sha256Hex(bytes) !== head.sha256 || typeof record === 'string' || record.sequence !== head.sequence) {
    throw headError(dir, head, 'its bytes do not match its name');
  }
  return { sequence: head.sequence, sha256: head.sha256 };
}

// A claim for `sequence` without its record: an append stopped between its two links. Publishes
// it (after checking it really is the next record) and returns true; false when there is none.
async function publishPendingClaim(dir: string, sequence: number, head: Head | undefined): Promise<boolean> {
  const claimPath = toClaimPath(dir, sequence);
  let bytes: Buffer;
  try {
    bytes = await readFile(claimPath);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      return false;
    }
    throw toDirError(dir, err);
  }
  const record = parseRecord(bytes);
  if (typeof record === 'string' || record.sequence !== sequence || record.previous !== (head?.sha256 ?? null)) {
    throw new LedgerError('LEDGER_CLAIM_INVALID', `the claim ${claimPath} is not a valid record ${sequence} of the ledger in ${dir}`, {
      file: claimPath,
      hint: 'Run verifyLedger on the directory and restore it from write-once storage.',
    });
  }
  await publish(claimPath, join(dir, toRecordFileName(sequence, sha256Hex(bytes))));
  return true;
}

// Gives the claimed record its content-addressed name. EEXIST means another appender already
// published this very claim: the name is its content address, so it is the same record.
async function publish(claimPath: string, recordPath: string): Promise<void> {
  try {
    await link(claimPath, recordPath);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw toDirError(recordPath, err);
    }
  }
}

function headError(dir: string, head: RecordFile, why: string): LedgerError {
  return new LedgerError('LEDGER_HEAD_INVALID', `refusing to append to ${dir}: its newest record ${head.name} is not valid (${why})`, {
    file: join(dir, head.name),
    hint: 'Run verifyLedger on the directory and restore it from write-once storage.',
  });
}

// Jittered, growing wait after losing a race, so the losers do not collide again in lockstep.
async function backoff(attempt: number): Promise<void> {
  const ms = Math.min(50, 2 + attempt * 2) * (0.5 + Math.random());
  await new Promise((resolve) => setTimeout(resolve, ms));
}

// The ledger: appended reports form a verifiable hash chain; one changed byte, a deleted record,
// swapped records, a fork and a planted file are each caught and the first broken record named;
// concurrent appends (in this process and across processes) never claim one sequence twice.

import { execFile } from 'node:child_process';
import { link, mkdir, mkdtemp, readdir, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex } from '../../src/canonical-json.js';
import { appendToLedger, LedgerError, verifyLedger, type LedgerRecord } from '../../src/report/ledger.js';
import { buildRecord, toRecordFileName } from '../../src/report/ledger-record.js';

// The built modules (npm test builds dist/ first), plain ESM a child `node` can import.
const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
let dir: string;

beforeEach(async () => {
  dir = join(await mkdtemp(join(tmpdir(), 'verify-deps-ledger-')), 'ledger');
});
afterEach(async () => {
  await rm(dirname(dir), { recursive: true, force: true });
});

function report(n: number): Buffer {
  // Pretty-printed, as a report file would be: the record keeps the sha256 of these exact bytes.
  return Buffer.from(`${JSON.stringify({ schemaVersion: 1, verdict: 'pass', run: n }, null, 2)}\n`);
}

async function recordNames(): Promise<string[]> {
  return (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
}

async function threeRecords(): Promise<string[]> {
  for (const n of [1, 2, 3]) await appendToLedger(dir, report(n));
  return recordNames();
}

describe('appendToLedger', () => {
  it('writes content-addressed, chained records of the exact report bytes', async () => {
    const results = [];
    for (const n of [1, 2, 3]) results.push(await appendToLedger(dir, report(n)));
    expect(results.map((r) => r.sequence)).toEqual([1, 2, 3]);
    const names = await recordNames();
    expect(names).toEqual(results.map((r) => toRecordFileName(r.sequence, r.sha256)));
    expect(results.map((r) => r.file)).toEqual(names.map((n) => join(dir, n)));
    let previous: string | null = null;
    for (const [i, name] of names.entries()) {
      const bytes = await readFile(join(dir, name));
      expect(sha256Hex(bytes)).toBe(results[i]?.sha256);
      const record = JSON.parse(bytes.toString('utf8')) as LedgerRecord;
      expect(record).toEqual({ schemaVersion: 1, sequence: i + 1, previous, reportSha256: sha256Hex(report(i + 1)), report: JSON.parse(report(i + 1).toString()) });
      expect(bytes.toString('utf8')).toBe(canonicalJson(record));
      previous = sha256Hex(bytes);
    }
    expect(await verifyLedger(dir)).toEqual({ ok: true, records: 3 });
  });

  it('refuses a report that is not a UTF-8 JSON object', async () => {
    for (const bad of ['[1,2]', 'not json', '"text"']) {
      await expect(appendToLedger(dir, Buffer.from(bad))).rejects.toMatchObject({ code: 'LEDGER_REPORT_INVALID' });
    }
    await expect(appendToLedger(dir, Buffer.from([0x7b, 0xff, 0x7d]))).rejects.toMatchObject({ code: 'LEDGER_REPORT_INVALID' });
  });

  it('refuses a directory that is a file (LEDGER_DIR_UNUSABLE, exit 2)', async () => {
    await mkdir(dirname(dir), { recursive: true });
    await writeFile(dir, 'x');
    const error = await appendToLedger(dir, report(1)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LedgerError);
    expect(error).toMatchObject({ code: 'LEDGER_DIR_UNUSABLE', exitCode: 2 });
    await expect(verifyLedger(dir)).rejects.toMatchObject({ code: 'LEDGER_DIR_UNUSABLE' });
    await expect(verifyLedger(join(dirname(dir), 'missing'))).rejects.toMatchObject({ code: 'LEDGER_DIR_UNUSABLE' });
  });

  it('refuses to extend a ledger whose newest record was modified (LEDGER_HEAD_INVALID)', async () => {
    const names = await threeRecords();
    const head = join(dir, names[2]!);
    const bytes = await readFile(head);
    bytes[bytes.length - 5] = bytes[bytes.length - 5]! ^ 1;
    await writeFile(head, bytes);
    await expect(appendToLedger(dir, report(4))).rejects.toMatchObject({ code: 'LEDGER_HEAD_INVALID', exitCode: 1 });
  });

  it('publishes the claim of an append interrupted between its two links, then appends after it', async () => {
    await threeRecords();
    const names = await recordNames();
    // Simulate a crash after the claim: remove record 3's content-addressed name, keep its claim.
    await unlink(join(dir, names[2]!));
    const next = await appendToLedger(dir, report(4));
    expect(next.sequence).toBe(4);
    expect(await recordNames()).toEqual([...names, toRecordFileName(4, next.sha256)]);
    expect(await verifyLedger(dir)).toEqual({ ok: true, records: 4 });
  });

  it('refuses a pending claim that is not the next record (LEDGER_CLAIM_INVALID)', async () => {
    await threeRecords();
    const forged = buildRecord(4, '0'.repeat(64), report(9), { run: 9 });
    await writeFile(join(dir, '.claims', '00000004'), forged.bytes);
    await expect(appendToLedger(dir, report(4))).rejects.toMatchObject({ code: 'LEDGER_CLAIM_INVALID' });
  });

  it('concurrent appends in one process form one valid chain of N records', async () => {
    const n = 25;
    const results = await Promise.all(Array.from({ length: n }, (_, i) => appendToLedger(dir, report(i))));
    expect(results.map((r) => r.sequence).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    expect(await verifyLedger(dir)).toEqual({ ok: true, records: n });
    const runs = await Promise.all((await recordNames()).map(async (name) => (JSON.parse(await readFile(join(dir, name), 'utf8')) as LedgerRecord).report['run']));
    expect(runs.sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(await readdir(join(dir, '.staging'))).toEqual([]);
  });

  it('concurrent appends from several processes form one valid chain', async () => {
    const moduleUrl = pathToFileURL(join(DIST, 'report/ledger.js')).href;
    const script = `
      import { appendToLedger } from ${JSON.stringify(moduleUrl)};
      const id = process.argv[1];
      for (let i = 0; i < 6; i++) await appendToLedger(${JSON.stringify(dir)}, Buffer.from(JSON.stringify({ id, i })));
    `;
    await Promise.all([0, 1, 2, 3, 4].map((id) => promisify(execFile)(process.execPath, ['--input-type=module', '-e', script, String(id)])));
    expect(await verifyLedger(dir)).toEqual({ ok: true, records: 30 });
    const reports = await Promise.all((await recordNames()).map(async (name) => canonicalJson((JSON.parse(await readFile(join(dir, name), 'utf8')) as LedgerRecord).report)));
    expect(new Set(reports).size).toBe(30);
  });
});

describe('verifyLedger', () => {
  it('an empty or new ledger directory is valid with 0 records', async () => {
    await mkdir(dir, { recursive: true });
    expect(await verifyLedger(dir)).toEqual({ ok: true, records: 0 });
  });

  it('(a) one byte changed in a record: modified, naming that record', async () => {
    const names = await threeRecords();
    const target = join(dir, names[1]!);
    const bytes = await readFile(target);
    const at = bytes.indexOf('"run":2') + 6;
    bytes[at] = '7'.charCodeAt(0);
    await writeFile(target, bytes);
    expect(await verifyLedger(dir)).toMatchObject({ ok: false, record: names[1], problem: 'modified' });
  });

  it('(b) a record deleted: missing, naming the record after the gap', async () => {
    const names = await threeRecords();
    await unlink(join(dir, names[1]!));
    const result = await verifyLedger(dir);
    expect(result).toMatchObject({ ok: false, record: names[2], problem: 'missing' });
    expect(result.ok === false && result.message).toContain('record 2 is missing');
  });

  it('(b) the first record deleted: missing, naming the new first file', async () => {
    const names = await threeRecords();
    await unlink(join(dir, names[0]!));
    expect(await verifyLedger(dir)).toMatchObject({ ok: false, record: names[1], problem: 'missing' });
  });

  it('(b) the newest record deleted: caught only against an expected head kept elsewhere', async () => {
    const names = await threeRecords();
    const head = { sequence: 3, sha256: names[2]!.slice(9, 73) };
    expect(await verifyLedger(dir, { expectedHead: head })).toEqual({ ok: true, records: 3 });
    await unlink(join(dir, names[2]!));
    expect(await verifyLedger(dir)).toEqual({ ok: true, records: 2 });
    expect(await verifyLedger(dir, { expectedHead: head })).toMatchObject({ ok: false, record: names[2], problem: 'missing' });
  });

  it('(c) two records renamed so they swap places in order: reordered, naming the first', async () => {
    const names = await threeRecords();
    // Each keeps its own (valid) content address; only the sequence prefixes are exchanged.
    const [one, two] = [names[0]!, names[1]!];
    const swappedOne = `00000002${one.slice(8)}`;
    const swappedTwo = `00000001${two.slice(8)}`;
    await rename(join(dir, one), join(dir, swappedOne));
    await rename(join(dir, two), join(dir, swappedTwo));
    expect(await verifyLedger(dir)).toMatchObject({ ok: false, record: swappedTwo, problem: 'reordered' });
  });

  it('(c) the contents of two records swapped under their names: reordered, naming the first', async () => {
    const names = await threeRecords();
    const [two, three] = [join(dir, names[1]!), join(dir, names[2]!)];
    const [bytesTwo, bytesThree] = [await readFile(two), await readFile(three)];
    await writeFile(two, bytesThree);
    await writeFile(three, bytesTwo);
    expect(await verifyLedger(dir)).toMatchObject({ ok: false, record: names[1], problem: 'reordered' });
  });

  it('a record with a valid address but the wrong previous link: broken-link', async () => {
    const names = await threeRecords();
    await unlink(join(dir, names[2]!));
    const forged = buildRecord(3, sha256Hex('not record 2'), report(3), { run: 3 });
    await writeFile(join(dir, forged.fileName), forged.bytes);
    expect(await verifyLedger(dir)).toMatchObject({ ok: false, record: forged.fileName, problem: 'broken-link' });
  });

  it('two records of one sequence (a fork): broken-link', async () => {
    const names = await threeRecords();
    const previous = names[1]!.slice(9, 73);
    const fork = buildRecord(3, previous, report(33), { run: 33 });
    await writeFile(join(dir, fork.fileName), fork.bytes);
    const result = await verifyLedger(dir);
    expect(result).toMatchObject({ ok: false, problem: 'broken-link' });
    expect([names[2], fork.fileName]).toContain(result.ok === false ? result.record : '');
  });

  it('a record that is not a record, under its correct address: unparseable', async () => {
    await threeRecords();
    const bytes = Buffer.from(canonicalJson({ schemaVersion: 1, sequence: 4, previous: null }));
    const name = toRecordFileName(4, sha256Hex(bytes));
    await writeFile(join(dir, name), bytes);
    expect(await verifyLedger(dir)).toMatchObject({ ok: false, record: name, problem: 'unparseable' });
  });

  it('a planted .json file that is not a record name: unparseable', async () => {
    await threeRecords();
    await writeFile(join(dir, 'extra.json'), '{}');
    expect(await verifyLedger(dir)).toMatchObject({ ok: false, record: 'extra.json', problem: 'unparseable' });
  });

  it('the claims are hard links of the records, not part of the chain', async () => {
    const names = await threeRecords();
    expect(await readdir(join(dir, '.claims'))).toEqual(['00000001', '00000002', '00000003']);
    expect(await readFile(join(dir, '.claims', '00000002'))).toEqual(await readFile(join(dir, names[1]!)));
    await link(join(dir, names[0]!), join(dir, '.claims', 'stray'));
    expect(await verifyLedger(dir)).toEqual({ ok: true, records: 3 });
  });
});

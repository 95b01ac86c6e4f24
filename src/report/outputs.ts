import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { validators } from '../schema-validators.js';
import type { CheckResult } from '../check/index.js';
import { EXIT, VerifyDepsError } from '../errors.js';
import { buildSriManifest, hashPackageFiles, type SriPackageInput } from '../sri/index.js';
import { toJsonPieces } from '../json-pieces.js';
import { removeIfExists, writeFileAtomic } from './atomic-write.js';
import { appendToLedger } from './ledger.js';
import type { ComplianceReport } from './report.generated.js';
import { buildVsa, type VsaInputs } from './vsa.js';

export interface OutputPaths {
  projectDir: string;
  report: string;
  sri: string;
  // --sri-files globs: sha384 digests of matching files of each verified, installed package.
  sriFiles: readonly string[];
  vsa?: string;
  ledger?: string;
}

export interface OutputsWritten {
  report: string;
  sri: { written: boolean; removed: boolean; path: string };
  vsa?: string;
  ledger?: { file: string; sequence: number; sha256: string };
}

// A report that does not match its own schema is a bug of this tool: nothing is written.
export class ReportError extends VerifyDepsError<'REPORT_INVALID'> {
  constructor(message: string) {
    super('REPORT_INVALID', message, EXIT.incomplete, { hint: 'This is a bug in verify-deps; rerun with --debug and report it.' });
  }
}


// Writes the gate's outputs, the only module that does: the SRI manifest goes first when the
// gate failed (removed, so no stale digest outlives a failed gate), then the report (always, and
// only once it validates against its schema), then the SRI manifest of what verified (strict:
// only when the gate passed; never for a run that stopped on an error), the VSA and the ledger
// record. Every file is written atomically. `check` is absent for a run that stopped on an error;
// `vsaInputs` (where the lockfile and policy are) is needed when a VSA is asked for.
export async function writeOutputs(report: ComplianceReport, check: CheckResult | undefined, paths: OutputPaths, vsaInputs?: VsaInputs): Promise<OutputsWritten> {
  const sriAllowed = check !== undefined && report.error === undefined && (report.enforcement === 'audit' || report.verdict === 'pass');
  const removed = sriAllowed ? false : await removeStaleSri(paths.sri);

  await assertValidReport(report);
  // Written package by package as it is stringified (tens of MB at 10,000 packages); held whole
  // only for the ledger, which hashes it.
  const reportText = paths.ledger === undefined ? undefined : [...toFilePieces(report)].join('');
  await writeFileAtomic(paths.report, reportText ?? toFilePieces(report));

  const written: OutputsWritten = { report: paths.report, sri: { written: false, removed, path: paths.sri } };
  if (sriAllowed) {
    const manifest = buildSriManifest({ packages: await toSriInputs(report, check, paths), mode: report.enforcement });
    await writeFileAtomic(paths.sri, toFilePieces(manifest));
    written.sri.written = true;
  }
  if (paths.vsa !== undefined) {
    if (vsaInputs === undefined) throw new ReportError('a verification summary attestation was asked for without the lockfile and policy it names');
    await writeFileAtomic(paths.vsa, `${JSON.stringify(buildVsa(report, vsaInputs), null, 2)}\n`);
    written.vsa = paths.vsa;
  }
  if (paths.ledger !== undefined && reportText !== undefined) {
    const record = await appendToLedger(paths.ledger, Buffer.from(reportText, 'utf8'));
    written.ledger = { file: record.file, sequence: record.sequence, sha256: record.sha256 };
  }
  return written;
}

// Removes an earlier run's report, SRI manifest and VSA, for a run that stopped before it could
// write its own: none of them may speak for a run that failed. True when there was an SRI manifest.
export async function removeStaleOutputs(paths: Pick<OutputPaths, 'report' | 'sri' | 'vsa'>): Promise<boolean> {
  const removed = await removeStaleSri(paths.sri);
  // A directory named as the report is no stale report (and the run's own error says more).
  for (const path of [paths.report, paths.vsa]) if (path !== undefined && !(await stat(path).catch(() => null))?.isDirectory()) await removeIfExists(path);
  return removed;
}

// Removes the SRI manifest of an earlier run; true when there was one. No digest outlives a run
// that did not pass, whether it ended in a verdict or an error.
export async function removeStaleSri(path: string): Promise<boolean> {
  const existed = (await stat(path).catch(() => null)) !== null;
  await removeIfExists(path);
  return existed;
}

async function assertValidReport(report: ComplianceReport): Promise<void> {
  // Compiled ahead of time from schema/report.schema.json (schema/generate-validators.mjs).
  const validate = validators.report;
  if (!validate(report)) {
    const problems = (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message ?? 'invalid'}`).join('; ');
    throw new ReportError(`the compliance report does not match schema/report.schema.json (${problems})`);
  }
}

// Every package of the report: verified ones (the report's verification, the one definition)
// with their digest; every other one, whatever its source, by name with its reasons only.
async function toSriInputs(report: ComplianceReport, check: CheckResult, paths: OutputPaths): Promise<SriPackageInput[]> {
  const rehashed = new Map(check.packages.map((o) => [`${o.ref.name}@${o.ref.version}@${o.ref.integrity}`, o.rehashed]));
  const inputs: SriPackageInput[] = [];
  for (const pkg of report.packages) {
    const { verified, reasons } = pkg.verification;
    const input: SriPackageInput = { name: pkg.name, version: pkg.version, integrity: pkg.integrity, verified, reasons: reasons.map((r) => r.kind) };
    if (pkg.evidence?.boundIntegrity !== undefined) input.boundIntegrity = pkg.evidence.boundIntegrity;
    const again = rehashed.get(`${pkg.name}@${pkg.version}@${pkg.integrity}`);
    if (verified && again !== undefined) input.rehashed = again;
    if (verified && paths.sriFiles.length > 0) {
      const files = await hashInstalledFiles(paths.projectDir, pkg.locations, paths.sriFiles);
      if (files !== undefined) input.files = files;
    }
    inputs.push(input);
  }
  return inputs;
}

// The first location where the package is installed; a gate run before `npm ci` has none.
async function hashInstalledFiles(projectDir: string, locations: readonly string[], globs: readonly string[]): Promise<Record<string, string> | undefined> {
  for (const location of locations) {
    const dir = join(projectDir, location);
    if (!(await stat(dir).catch(() => null))?.isDirectory()) continue;
    return (await hashPackageFiles(dir, globs)).files;
  }
  return undefined;
}

// An output file's text, `JSON.stringify(value, null, 2)` and a newline, one package at a time.
function* toFilePieces(value: unknown): Generator<string> {
  yield* toJsonPieces(value, 2, 2);
  yield '\n';
}

// The fuzz harness: settings, seeded property runs that time and classify every case,
// and the report. The properties themselves are in attestation-properties.ts and
// input-properties.ts; properties.ts lists them.
import fc from 'fast-check';

// The seed of every property unless FUZZ_SEED says otherwise.
export const DEFAULT_SEED = 20261123;
// Cases across all properties: small in `npm test`, FUZZ_RUNS in `npm run fuzz`.
export const DEFAULT_TOTAL_RUNS = 700;
// A case slower than this is a hang (synchronous code cannot be interrupted, so it is timed).
export const CASE_TIME_LIMIT_MS = 5_000;

export interface FuzzSettings {
  seed: number;
  totalRuns: number;
}

// Reads FUZZ_SEED and FUZZ_RUNS (both optional) from the environment.
export function fuzzSettings(env: NodeJS.ProcessEnv = process.env): FuzzSettings {
  const seed = env.FUZZ_SEED === undefined ? DEFAULT_SEED : Number(env.FUZZ_SEED);
  const totalRuns = env.FUZZ_RUNS === undefined ? DEFAULT_TOTAL_RUNS : Number(env.FUZZ_RUNS);
  if (!Number.isSafeInteger(seed)) throw new Error(`FUZZ_SEED: expected an integer, got ${env.FUZZ_SEED}`);
  if (!Number.isSafeInteger(totalRuns) || totalRuns < 1) throw new Error(`FUZZ_RUNS: expected a positive integer, got ${env.FUZZ_RUNS}`);
  return { seed, totalRuns };
}

// What one property run found.
export interface PropertyReport {
  name: string;
  seed: number;
  cases: number;
  crashes: number;
  hangs: number;
  violations: number;
  maxCaseMs: number;
  // How the cases ended (accepted, or the error / first finding code), with counts.
  outcomes: Record<string, number>;
  // fast-check's report of the first failing case (with the seed and replay path); undefined when none.
  failure?: string;
}

// One fuzz property: a share (weight) of the total runs, and how to run it.
export interface FuzzProperty {
  name: string;
  weight: number;
  run(numRuns: number, seed: number): Promise<PropertyReport>;
}

// A broken property (as opposed to a crash of the code under test).
export class PropertyViolation extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PropertyViolation';
  }
}

export class Tally {
  cases = 0;
  crashes = 0;
  hangs = 0;
  violations = 0;
  maxCaseMs = 0;
  readonly outcomes = new Map<string, number>();

  count(outcome: string): void {
    this.outcomes.set(outcome, (this.outcomes.get(outcome) ?? 0) + 1);
  }

  report(name: string, seed: number, failure: string | undefined): PropertyReport {
    const outcomes = Object.fromEntries([...this.outcomes].sort(([a], [b]) => (a < b ? -1 : 1)));
    return { name, seed, cases: this.cases, crashes: this.crashes, hangs: this.hangs, violations: this.violations, maxCaseMs: Math.round(this.maxCaseMs), outcomes, ...(failure === undefined ? {} : { failure }) };
  }
}

// Time a case spends in a reference implementation it is compared with (arborist's own tree, for
// the walk) is not the time of the code under test: it is left out of the hang limit, so that a
// slow oracle on a loaded machine is not reported as a hang of ours.
let oracleMs = 0;
export async function outsideTheClock<T>(work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await work();
  } finally {
    oracleMs += performance.now() - start;
  }
}

// Runs one case: times it (less its oracle's time), classifies what it threw, and counts it.
export async function runCase(tally: Tally, body: () => string | Promise<string>): Promise<void> {
  oracleMs = 0;
  const start = performance.now();
  let outcome: string;
  try {
    outcome = await body();
  } catch (error) {
    if (error instanceof PropertyViolation) tally.violations++;
    else tally.crashes++;
    throw error;
  }
  const ms = performance.now() - start - oracleMs;
  tally.maxCaseMs = Math.max(tally.maxCaseMs, ms);
  if (ms > CASE_TIME_LIMIT_MS) {
    tally.hangs++;
    throw new PropertyViolation(`a case took ${Math.round(ms)} ms (limit ${CASE_TIME_LIMIT_MS} ms): a hang`);
  }
  tally.cases++;
  tally.count(outcome);
}

// Checks a property with fast-check, counting every case; stops at the first failure (no
// shrinking, so that the counts are of distinct cases; the replay path reproduces it).
export async function checkProperty<T>(name: string, arbitrary: fc.Arbitrary<T>, numRuns: number, seed: number, body: (value: T) => string | Promise<string>): Promise<PropertyReport> {
  const tally = new Tally();
  const property = fc.asyncProperty(arbitrary, async (value) => runCase(tally, () => body(value)));
  const details = await fc.check(property, { numRuns, seed, endOnFailure: true, timeout: CASE_TIME_LIMIT_MS * 2 });
  if (details.failed && details.errorInstance === null && tally.hangs === 0) tally.hangs++;
  const error = details.errorInstance as Error | null;
  const failure = details.failed ? `${fc.defaultReportMessage(details)}\nerror: ${error?.stack ?? String(error)}` : undefined;
  return tally.report(name, seed, failure);
}

// The outcome of a call that may throw only the documented typed errors.
export function expectTypedError(error: unknown, allowed: (error: unknown) => string | undefined): string {
  const label = allowed(error);
  if (label === undefined) throw error;
  return label;
}

// Shares `totalRuns` between the properties by weight (at least 10 each).
export function runsPerProperty(totalRuns: number, properties: readonly FuzzProperty[]): number[] {
  const weights = properties.reduce((sum, p) => sum + p.weight, 0);
  return properties.map((p) => Math.max(10, Math.round((totalRuns * p.weight) / weights)));
}

// One line per property, then the totals; for the log of `npm test` and `npm run fuzz`.
export function formatReports(reports: readonly PropertyReport[], seed: number): string {
  const lines = reports.map(
    (r) => `${r.name.padEnd(52)} cases ${String(r.cases).padStart(6)}  crashes ${r.crashes}  hangs ${r.hangs}  violations ${r.violations}  max ${r.maxCaseMs} ms`,
  );
  const total = (key: 'cases' | 'crashes' | 'hangs' | 'violations') => reports.reduce((sum, r) => sum + r[key], 0);
  lines.push(`total: ${total('cases')} cases, ${total('crashes')} crashes, ${total('hangs')} hangs, ${total('violations')} violations; seed ${seed} (FUZZ_SEED=${seed} replays)`);
  return lines.join('\n');
}

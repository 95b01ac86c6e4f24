// Property-based fuzzing, seeded: a small sample in `npm test`; `npm run fuzz` runs the
// same properties with FUZZ_RUNS=10000 cases in total. FUZZ_SEED replays a run. See properties.ts.

import { afterAll, describe, expect, it } from 'vitest';
import { PROPERTIES, formatReports, fuzzSettings, runsPerProperty, type PropertyReport } from './properties.js';

const settings = fuzzSettings();
const runs = runsPerProperty(settings.totalRuns, PROPERTIES);
const reports: PropertyReport[] = [];

describe(`fuzz (seed ${settings.seed}, ${runs.reduce((a, b) => a + b, 0)} cases)`, () => {
  PROPERTIES.forEach((property, i) => {
    const numRuns = runs[i]!;
    // Generous: a case is bounded by CASE_TIME_LIMIT_MS; this only bounds the whole property.
    const timeout = 60_000 + numRuns * 200;
    it(`${property.name} (${numRuns} cases)`, async () => {
      const report = await property.run(numRuns, settings.seed);
      reports.push(report);
      console.log(`${report.name}: ${report.cases} cases, seed ${report.seed}, outcomes ${JSON.stringify(report.outcomes)}`);
      expect(report.failure, report.failure).toBeUndefined();
      expect({ crashes: report.crashes, hangs: report.hangs, violations: report.violations }).toEqual({ crashes: 0, hangs: 0, violations: 0 });
      expect(report.cases).toBe(numRuns);
    }, timeout);
  });

  afterAll(() => {
    console.log(`\nfuzz summary\n${formatReports(reports, settings.seed)}`);
  });
});

// The report types are generated from schema/report.schema.json; the committed file must be what
// the generator produces now, so the schema stays the one definition of the format.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateTypes } from '../../schema/generate-types.mjs';

describe('src/report/report.generated.ts', () => {
  it('is exactly what `node schema/generate-types.mjs` generates from schema/report.schema.json', async () => {
    const committed = readFileSync(new URL('../../src/report/report.generated.ts', import.meta.url), 'utf8');
    expect(committed).toBe(await generateTypes('report'));
  }, 60_000);
});

// The policy and report validators are compiled ahead of time from the schemas; the committed
// file must be what the generator produces now, so the schemas stay the one definition.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateValidators, OUTPUT } from '../../schema/generate-validators.mjs';

describe('schema/validators.generated.cjs', () => {
  it('is exactly what `node schema/generate-validators.mjs` generates from the schemas', async () => {
    expect(readFileSync(OUTPUT, 'utf8')).toBe(await generateValidators());
  }, 60_000);
});

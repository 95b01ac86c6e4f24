// The policy types are generated from the schema; the committed file must be what the generator
// produces now, so the schema stays the one definition of the format.

import { readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { generatePolicyTypes } from '../../schema/generate-types.mjs';
import type { PolicyFindingCode, WaivableCode } from '../../src/policy/index.js';

describe('src/policy/policy.generated.ts', () => {
  it('is exactly what `node schema/generate-types.mjs` generates from schema/policy.schema.json', async () => {
    const committed = readFileSync(new URL('../../src/policy/policy.generated.ts', import.meta.url), 'utf8');
    expect(committed).toBe(await generatePolicyTypes());
  }, 60_000);

  it('the schema lets exceptions waive every finding code but EXCEPTION_EXPIRED', () => {
    expectTypeOf<WaivableCode>().toEqualTypeOf<Exclude<PolicyFindingCode, 'EXCEPTION_EXPIRED'>>();
  });
});

// The SLSA VSA v1.0 fields as a JSON Schema (test/fixtures/vsa, see PROVENANCE.md), compiled once.
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';

const schema = JSON.parse(readFileSync(new URL('../fixtures/vsa/slsa-verification-summary-v1.schema.json', import.meta.url), 'utf8')) as object;

// Checks a statement against the spec's required fields and types; the problems, or [] when it conforms.
export const validateVsa = (() => {
  const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
  return (statement: unknown): string[] => (validate(statement) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message ?? 'invalid'}`));
})();

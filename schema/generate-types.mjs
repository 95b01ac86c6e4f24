// Generates the TypeScript types of verify-deps's documents from their JSON Schemas, the one
// definition of each format: `npm run generate`. test/policy/generated-types.test.ts and
// test/report/generated-types.test.ts fail on drift.

import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compile } from 'json-schema-to-typescript';

// Each schema, the type name of its root, and the file generated from it.
const TARGETS = {
  policy: { schema: 'policy.schema.json', root: 'VerifyDepsPolicy', output: '../src/policy/policy.generated.ts' },
  report: { schema: 'report.schema.json', root: 'ComplianceReport', output: '../src/report/report.generated.ts' },
};

// Returns the TypeScript source generated from one schema (no file is written).
export async function generateTypes(name) {
  const target = TARGETS[name];
  const schemaUrl = new URL(`./${target.schema}`, import.meta.url);
  const schema = JSON.parse(await readFile(schemaUrl, 'utf8'));
  return compile(schema, target.root, {
    bannerComment: `// GENERATED from schema/${target.schema} by \`node schema/generate-types.mjs\` (npm run generate).
// Do not edit: change the schema and regenerate; the tests fail when this file is stale.
/* eslint-disable */`,
    additionalProperties: false,
    strictIndexSignatures: true,
    unreachableDefinitions: false,
    format: true,
    style: { singleQuote: true, printWidth: 140 },
    cwd: fileURLToPath(new URL('.', schemaUrl)),
  });
}

// The policy types (kept for the policy drift test).
export function generatePolicyTypes() {
  return generateTypes('policy');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const [name, target] of Object.entries(TARGETS)) {
    const output = new URL(target.output, import.meta.url);
    await writeFile(output, await generateTypes(name));
    process.stdout.write(`wrote ${fileURLToPath(output)}\n`);
  }
}

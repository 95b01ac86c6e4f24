// Generates the compiled validators of the policy and report schemas (ajv's standalone code):
// `npm run generate`. Compiling a schema at run time costs ~0.1 s per schema, a quarter of a
// warm run; the compiled code is the same every time. test/policy/generated-validators.test.ts
// fails on drift.

import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const { Ajv2020 } = require('ajv/dist/2020');
const standaloneCode = require('ajv/dist/standalone').default;

export const OUTPUT = new URL('./validators.generated.cjs', import.meta.url);

// The policy's unions (schema pointers holding a `oneOf`): each branch gets a validator, so a
// policy error is reported against the branch its author meant (src/policy/schema.ts).
const POLICY_UNIONS = ['', '/$defs/signerIdentity', '/$defs/packageGlobs', '/$defs/rule/properties/runnerEnvironment'];

async function readSchema(file) {
  return JSON.parse(await readFile(new URL(`./${file}`, import.meta.url), 'utf8'));
}

function at(schema, pointer) {
  return pointer.split('/').slice(1).reduce((node, key) => node[key.replaceAll('~1', '/').replaceAll('~0', '~')], schema);
}

// Returns the source of validators.generated.cjs (no file is written).
export async function generateValidators() {
  const policy = await readSchema('policy.schema.json');
  const report = await readSchema('report.schema.json');
  // Options as the run-time compilers had them: verbose policy errors carry their parent schema,
  // which names the union that failed.
  const policyAjv = new Ajv2020({ allErrors: true, strict: true, verbose: true, code: { source: true } });
  policyAjv.addSchema(policy);
  const branches = {};
  const exports = { policy: policy.$id };
  for (const union of POLICY_UNIONS) {
    at(policy, union).oneOf.forEach((_, index) => {
      const name = `policyBranch${Object.keys(branches).length}`;
      branches[`${union}/oneOf/${index}`] = name;
      exports[name] = `${policy.$id}#${union}/oneOf/${index}`;
    });
  }
  const reportAjv = new Ajv2020({ allErrors: true, strict: false, code: { source: true } });
  reportAjv.addSchema(report);
  const header = `// GENERATED from schema/policy.schema.json and schema/report.schema.json by \`node schema/generate-validators.mjs\` (npm run generate).
// Do not edit: change the schemas and regenerate; the tests fail when this file is stale.
/* eslint-disable */
`;
  const policyCode = standaloneCode(policyAjv, exports);
  const reportCode = standaloneCode(reportAjv, { report: report.$id });
  // Two standalone modules in one file, each in its own scope.
  return `${header}"use strict";
(function () {
${policyCode.replace(/^"use strict";/, '')}
}).call(null);
(function () {
${reportCode.replace(/^"use strict";/, '')}
}).call(null);
exports.policyBranches = ${JSON.stringify(branches)};
`;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await writeFile(OUTPUT, await generateValidators());
  process.stdout.write(`wrote ${fileURLToPath(OUTPUT)}\n`);
}

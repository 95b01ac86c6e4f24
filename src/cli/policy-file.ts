import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BUILTIN_POLICY_DIR } from '../gate/index.js';
import { TOOL_VERSION } from './tool-version.js';

// The `$schema` that `init` and `policy learn` write: the schema file of this very version on
// npm's CDN. It resolves however verify-deps runs (a devDependency, or `npx verify-deps@x` with
// nothing in node_modules), before `npm install` too, and it stays the schema the file was written
// against; a path into node_modules resolves only once verify-deps is installed in the project.
export const POLICY_SCHEMA_REF = `https://cdn.jsdelivr.net/npm/verify-deps@${TOOL_VERSION}/schema/policy.schema.json`;

// The text of a new project policy: the default policy with `$schema` and the given fields.
export async function renderDefaultPolicy(extra: Record<string, unknown> = {}): Promise<string> {
  const policy = JSON.parse(await readFile(join(BUILTIN_POLICY_DIR, 'default.json'), 'utf8')) as Record<string, unknown>;
  return `${JSON.stringify({ ...policy, $schema: POLICY_SCHEMA_REF, ...extra }, null, 2)}\n`;
}

import { createRequire } from 'node:module';

// verify-deps's own version, from its package.json.
export const TOOL_VERSION = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

import { requireFromPackageRoot } from '../paths/package-root.js';

// verify-deps's own version, from its package.json.
export const TOOL_VERSION = (requireFromPackageRoot('./package.json') as { version: string }).version;

import { createRequire } from 'node:module';

// The installed package's root folder (package.json, policies/, schema/, dist/), as a file URL.
// This module sits two folders below the root both where tsc emits it (dist/paths/) and where the
// CLI's bundle inlines it (a chunk in dist/cli/: src/cli/build-bundle.mjs writes every chunk there
// and fails otherwise), so every file found from here is the same file in both builds.
export const PACKAGE_ROOT = new URL('../../', import.meta.url);

// A require that resolves from the package root: './package.json', './schema/…'.
export const requireFromPackageRoot = createRequire(new URL('package.json', PACKAGE_ROOT));

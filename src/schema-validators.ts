import { requireFromPackageRoot } from './paths/package-root.js';

// The validators compiled ahead of time from the policy and report schemas (schema/generate-validators.mjs).
// Loaded with require, not import: importing a CommonJS file from ES modules first scans its whole
// source for the names it exports (cjs-module-lexer), a few tens of milliseconds of every run for
// these 400 KB of generated code.
export const validators = requireFromPackageRoot('./schema/validators.generated.cjs') as typeof import('../schema/validators.generated.cjs');

// The package root, from which the shipped policies, schemas, package.json and the verification
// worker are found: the same folder from src/, from tsc's dist/ and from the CLI's bundle.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT as BUILT_ROOT } from '../../dist/paths/package-root.js';
import { PACKAGE_ROOT, requireFromPackageRoot } from '../../src/paths/package-root.js';

describe('the package root', () => {
  it('is the folder of verify-deps\'s package.json, from src/ and from dist/', () => {
    expect(PACKAGE_ROOT.href).toBe(new URL('../../', import.meta.url).href);
    expect(BUILT_ROOT.href).toBe(PACKAGE_ROOT.href);
    expect((JSON.parse(readFileSync(new URL('package.json', PACKAGE_ROOT), 'utf8')) as { name: string }).name).toBe('verify-deps');
    expect((requireFromPackageRoot('./package.json') as { name: string }).name).toBe('verify-deps');
  });
});

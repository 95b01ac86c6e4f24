// The CLI's bundle (src/cli/build-bundle.mjs): only verify-deps's own compiled modules go into it,
// never an npm package's code, and the built dist/cli/ holds exactly the bundle's files.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findForeignModules, findRenamedClasses, requireCommonJsImports } from '../../src/cli/build-bundle.mjs';

const CLI_DIR = new URL('../../dist/cli/', import.meta.url);
const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
const chunk = (moduleIds: string[], code = '') => ({ fileName: 'chunk-a.js', code, moduleIds });

describe('the bundle check', () => {
  it('accepts modules compiled into dist/', () => {
    expect(findForeignModules([chunk([`${DIST}cli/main.js`, `${DIST}gate/index.js`])], DIST)).toEqual([]);
  });

  it('finds an npm package, a file outside dist/ and a bundler-generated module', () => {
    const ids = [`${DIST}cli/main.js`, `${DIST}../node_modules/semver/index.js`, `${DIST}node_modules/tar/index.js`, `${DIST}../src/cli/main.ts`, '\0rolldown/runtime.js'];
    expect(findForeignModules([chunk(ids)], DIST)).toHaveLength(4);
  });

  it('finds a class the bundler renamed', () => {
    expect(findRenamedClasses([chunk([], 'class ConfigError$1 extends VerifyDepsError {}\nclass UsageError {}')])).toEqual(['chunk-a.js: ConfigError$1']);
  });
});

describe('CommonJS imports as require calls', () => {
  const commonJs = (spec: string) => spec !== 'esm-only';
  const header = '__require = process.getBuiltinModule("node:module").createRequire(import.meta.url), ';

  it('binds the same names from require, for a default import, named imports and both', () => {
    const code = ['import cacache from "cacache";', 'import { a, b as c } from "pkg";', 'import path, { join, sep as separator } from "node:path";', 'code();'].join('\n');
    expect(requireCommonJsImports(code, commonJs)).toBe(
      [`const ${header}cacache = __require("cacache");`, 'const { a, b: c } = __require("pkg");', 'const path = __require("node:path"), { join, sep: separator } = path;', 'code();'].join('\n'),
    );
  });

  it('leaves ES-only packages, namespace and side-effect imports, our chunks and dynamic imports alone', () => {
    const code = ['import pLimit from "esm-only";', 'import * as ns from "pkg";', 'import "pkg";', 'import { t as x } from "./chunk-a.js";', 'const m = await import("pkg");'].join('\n');
    const commonJsExceptChunks = (spec: string) => commonJs(spec) && !spec.startsWith('.');
    expect(requireCommonJsImports(code, commonJsExceptChunks)).toBe(code);
  });

  it('keeps every line in its place (the source maps still hold)', () => {
    const code = ['// banner', 'import a from "x";', 'import { b } from "y";', 'body();'].join('\n');
    expect(requireCommonJsImports(code, commonJs).split('\n')).toHaveLength(4);
  });
});

describe('the built CLI (npm run build)', () => {
  const files = readdirSync(CLI_DIR);
  const bundle = files.filter((name) => name === 'main.js' || (name.startsWith('chunk-') && name.endsWith('.js')));

  it('maps every bundled line back to src/, none to a dependency', () => {
    const sources = bundle.flatMap((name) => (JSON.parse(readFileSync(new URL(`${name}.map`, CLI_DIR), 'utf8')) as { sources: string[] }).sources);
    expect(sources.length).toBeGreaterThan(100);
    expect(sources.filter((source) => !source.startsWith('../../src/') || source.includes('node_modules'))).toEqual([]);
  });

  it('holds no chunk that the entry does not reach (none left from an earlier build)', () => {
    const reached = new Set<string>(['main.js']);
    for (const name of reached) {
      const code = readFileSync(new URL(name, CLI_DIR), 'utf8');
      for (const match of code.matchAll(/(?:from |import\()\s*"\.\/(chunk-[\w.-]+\.js)"/g)) reached.add(match[1]!);
    }
    expect(reached.size).toBeGreaterThan(5);
    expect(bundle.filter((name) => !reached.has(name))).toEqual([]);
  });
});

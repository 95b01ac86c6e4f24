// Bundles the CLI's own modules (tsc's output under dist/) into a few files in dist/cli/: a run
// then loads a handful of files instead of ~130, each of which costs a resolution, a read and a
// compile cache lookup. `npm run build` runs it after tsc. Only our code goes in: every bare
// import (node builtins and npm packages) stays external, because verify-deps is a supply-chain
// tool whose every dependency must remain a separately installed package that npm audits, signs
// and pins; the build fails if a module from outside dist/ lands in a chunk.
// Not compiled by tsc (a .mjs file): it runs on tsc's output.
import { existsSync, readFileSync } from 'node:fs';
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createRequire, isBuiltin } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIST_DIR = fileURLToPath(new URL('../../dist/', import.meta.url));
const CLI_DIR = join(DIST_DIR, 'cli');
// Chunks beside the entry, never in a subfolder: modules that find files from import.meta.url
// (src/paths/package-root.ts) rely on every chunk sitting two folders below the package root.
const CHUNK_PREFIX = 'chunk-';
const BANNER = '// The CLI bundled from tsc output by src/cli/build-bundle.mjs (source maps beside it).';

// The ids of the modules in the chunks that are not our own compiled code (outside dist/, or
// from a node_modules folder, or a bundler-generated module).
export function findForeignModules(chunks, distDir = DIST_DIR) {
  const foreign = [];
  for (const chunk of chunks) {
    for (const id of chunk.moduleIds) {
      const path = relative(distDir, id);
      const inDist = !path.startsWith('..') && !path.startsWith(sep) && !id.startsWith('\0');
      if (!inDist || id.split(/[\\/]/).includes('node_modules')) foreign.push(`${chunk.fileName}: ${id}`);
    }
  }
  return foreign;
}

// The classes the bundler renamed to avoid a clash between modules (`class ConfigError$1`). Not
// fixed with rolldown's keepNames, which would put the bundler's own helper module in the bundle.
export function findRenamedClasses(chunks) {
  return chunks.flatMap((chunk) => [...chunk.code.matchAll(/\bclass\s+([\w$]+\$\d+)\b/g)].map((match) => `${chunk.fileName}: ${match[1]}`));
}

// Hands rolldown tsc's source maps, so the bundle's maps lead back to src/*.ts.
const tscSourceMaps = {
  name: 'tsc-source-maps',
  async load(id) {
    if (!id.endsWith('.js')) return null;
    const code = await readFile(id, 'utf8');
    const map = await readFile(`${id}.map`, 'utf8').catch(() => null);
    return { code: code.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n'), map };
  },
};

// Imports of CommonJS modules (npm packages that are CommonJS, node builtins) rewritten as
// require() calls: an ES import of a CommonJS file costs Node a scan of its source for ES syntax
// and for export names on top of the require it then does (~20 ms over the packages a warm run
// loads). `import X from`, `import { a, b as c } from` and both together become the same
// bindings from require (an ES import of CommonJS is module.exports and its properties);
// namespace imports, ES-only packages and dynamic imports are left as they are. Every line keeps
// its place, so the source maps still hold.
export function requireCommonJsImports(code, isCommonJs) {
  let prefixed = false;
  return code.replace(/^import (?:([\w$]+)(?:, )?)?(?:\{ ([^}]*) \})? from "([^"]+)";$/gm, (line, defaultName, named, spec) => {
    if ((defaultName === undefined && named === undefined) || !isCommonJs(spec)) return line;
    const bindings = [
      ...(defaultName === undefined ? [] : [`${defaultName} = __require(${JSON.stringify(spec)})`]),
      ...(named === undefined ? [] : [`{ ${named.replace(/\b([\w$]+) as ([\w$]+)/g, '$1: $2')} } = ${defaultName ?? `__require(${JSON.stringify(spec)})`}`]),
    ];
    // One declaration on the import's own line: no line is added.
    if (!prefixed) bindings.unshift('__require = process.getBuiltinModule("node:module").createRequire(import.meta.url)');
    prefixed = true;
    return `const ${bindings.join(', ')};`;
  });
}

// Whether an import loads as CommonJS from dist/cli/: a builtin, or a package file that is .cjs or
// sits in a package whose package.json does not say "type": "module".
function commonJsResolver() {
  const require = createRequire(join(CLI_DIR, 'main.js'));
  const typeOf = (file) => {
    for (let dir = dirname(file); ; dir = dirname(dir)) {
      const manifest = join(dir, 'package.json');
      if (existsSync(manifest)) return JSON.parse(readFileSync(manifest, 'utf8')).type;
      if (dirname(dir) === dir) return undefined;
    }
  };
  const loadsAsCommonJs = (spec) => {
    // Our own chunks (relative) are ES modules, and may not be written yet.
    if (spec.startsWith('.') || spec.startsWith('/')) return false;
    if (isBuiltin(spec)) return true;
    const file = require.resolve(spec);
    return file.endsWith('.cjs') || (!file.endsWith('.mjs') && typeOf(file) !== 'module');
  };
  const known = new Map();
  return (spec) => {
    if (!known.has(spec)) known.set(spec, loadsAsCommonJs(spec));
    return known.get(spec);
  };
}

async function bundleCli() {
  const entry = join(CLI_DIR, 'main.js');
  if ((await readFile(entry, 'utf8')).startsWith(BANNER)) throw new Error(`expected tsc's dist/cli/main.js, found an earlier bundle: run tsc first (npm run build)`);
  const { rolldown } = await import('rolldown');
  const isCommonJs = commonJsResolver();
  const build = await rolldown({
    input: { main: entry },
    platform: 'node',
    // Bare specifiers are node builtins and npm packages: never bundled (see the top of this file).
    external: (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0'),
    plugins: [tscSourceMaps, { name: 'require-commonjs', renderChunk: (code) => ({ code: requireCommonJsImports(code, isCommonJs), map: null }) }],
    logLevel: 'warn',
  });
  const { output } = await build.generate({
    format: 'esm',
    dir: CLI_DIR,
    entryFileNames: '[name].js',
    // Stable names: a lazily imported stage keeps its file name from build to build.
    chunkFileNames: `${CHUNK_PREFIX}[name].js`,
    banner: BANNER,
    // --debug stack traces lead back to src/*.ts (node --enable-source-maps).
    sourcemap: true,
  });
  await build.close();

  const chunks = output.filter((item) => item.type === 'chunk');
  const foreign = findForeignModules(chunks);
  if (foreign.length > 0) throw new Error(`expected only verify-deps's own modules (dist/) in the CLI bundle, found: ${foreign.join(', ')}`);
  const renamed = findRenamedClasses(chunks);
  if (renamed.length > 0) throw new Error(`expected every class to keep its name in the CLI bundle (errors take their name from their class), found: ${renamed.join(', ')}`);
  for (const item of output) {
    if (item.fileName.includes('/')) throw new Error(`expected every bundle file directly in dist/cli/, found ${item.fileName}`);
  }

  // No chunk of an earlier build stays behind.
  for (const name of await readdir(CLI_DIR)) {
    if (name.startsWith(CHUNK_PREFIX)) await rm(join(CLI_DIR, name));
  }
  for (const item of output) {
    await writeFile(join(CLI_DIR, item.fileName), item.type === 'chunk' ? item.code : item.source);
  }
  return chunks;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const chunks = await bundleCli();
  const modules = chunks.reduce((sum, chunk) => sum + chunk.moduleIds.length, 0);
  process.stdout.write(`CLI bundle: ${modules} modules in ${chunks.length} files in dist/cli/\n`);
}

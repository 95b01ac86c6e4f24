// Real tarballs for the bench tree, so that `npm ci` can install it and `check --installed` has
// files to hash: every package gets synthetic files (deterministic, seeded by name@version) in a
// fixed distribution, and the project's lockfile is re-pinned to those tarballs' sha512.
import crypto from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { syntheticScenario, type BuiltScenario, type ScenarioOptions, type TestPki } from '../support/index.js';

// Files per package (package.json aside), log-uniform: median ~20, mean ~37.
export const FILES_PER_PACKAGE = { min: 2, max: 200 };
// Bytes per file, log-uniform: median ~720 B, mean ~1.7 KB; a package ~60 KB on average, about
// what a small npm package unpacks to (large ones, typescript's 20 MB, are not modelled).
export const BYTES_PER_FILE = { min: 64, max: 8192 };

type Entry = Record<string, unknown> & { version?: string; name?: string; integrity?: string; link?: boolean; bin?: unknown };

const WORDS = ['const', 'function', 'return', 'module', 'exports', 'require', 'value', 'options', 'if', 'else', '=>', '{', '}', '(', ')', ';', 'this', 'undefined', 'null', 'typeof', 'length', 'index', 'key', 'string', 'new', 'Error', 'throw', 'await', 'async', 'for', 'of', 'let'];

// mulberry32: a small seeded generator, so the same name@version always gets the same files.
function seeded(id: string): () => number {
  let state = crypto.createHash('sha256').update(`bench-files:${id}`).digest().readUInt32LE(0);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const logUniform = (random: () => number, { min, max }: { min: number; max: number }) => Math.round(min * (max / min) ** random());

function text(random: () => number, bytes: number): string {
  const parts: string[] = [];
  let size = 0;
  while (size < bytes) {
    const word = WORDS[Math.floor(random() * WORDS.length)] as string;
    const sep = random() < 0.1 ? '\n' : ' ';
    parts.push(word, sep);
    size += word.length + 1;
  }
  return parts.join('').slice(0, bytes);
}

// The files of one package's tarball besides package.json, with its bin targets among them.
export function packageFiles(id: string, binTargets: readonly string[]): Record<string, string> {
  const random = seeded(id);
  const count = logUniform(random, FILES_PER_PACKAGE);
  const files: Record<string, string> = {};
  const names = ['index.js', 'README.md', 'LICENSE'];
  for (let i = names.length; i < count; i++) names.push(`${i % 3 === 0 ? 'types' : 'lib'}/${i % 7 === 0 ? 'internal/' : ''}file${i}.${i % 3 === 0 ? 'd.ts' : 'js'}`);
  for (const name of [...names.slice(0, count), ...binTargets]) files[name.replace(/^\.\//, '')] = text(random, logUniform(random, BYTES_PER_FILE));
  return files;
}

const nameAt = (key: string): string => key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
const MANIFEST_FIELDS = ['dependencies', 'optionalDependencies', 'peerDependencies', 'peerDependenciesMeta', 'bin', 'os', 'cpu'] as const;

// A scenario of real tarballs, one per name@version of DIR/package-lock.json, and the lockfile
// rewritten to pin them (the shape of createBenchEnvironment's `scenario` option).
export async function realTarballScenario(pki: TestPki, dir: string, options: ScenarioOptions): Promise<BuiltScenario> {
  const file = join(dir, 'package-lock.json');
  const lock = JSON.parse(readFileSync(file, 'utf8')) as { packages: Record<string, Entry> };
  const specs = new Map<string, { name: string; version: string; manifest: Record<string, unknown>; files: Record<string, string> }>();
  for (const [key, e] of Object.entries(lock.packages)) {
    if (!key || e.link || !e.version) continue;
    const name = e.name ?? nameAt(key);
    const id = `${name}@${e.version}`;
    if (specs.has(id)) continue;
    const manifest = Object.fromEntries(MANIFEST_FIELDS.filter((f) => e[f] !== undefined).map((f) => [f, e[f]]));
    const bins = e.bin !== null && typeof e.bin === 'object' ? Object.values(e.bin as Record<string, string>) : [];
    specs.set(id, { name, version: e.version, manifest, files: packageFiles(id, bins) });
  }
  const scenario = syntheticScenario(pki, [...specs.values()], options);
  const integrity = new Map(scenario.packages.map((p) => [`${p.name}@${p.version}`, p.integrity]));
  for (const [key, e] of Object.entries(lock.packages)) {
    if (!key || e.link || !e.version) continue;
    e.integrity = integrity.get(`${e.name ?? nameAt(key)}@${e.version}`);
  }
  writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
  return scenario;
}

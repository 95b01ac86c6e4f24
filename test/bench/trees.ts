// The bench's dependency trees, generated from a real lockfile: the tree itself (integrity
// normalised to sha512, so every package can carry a registry signature), or N copies of it under
// distinct names (`p0001-<name>`, `@p0001-<scope>/<name>`) for a synthetic tree of ~10k packages.
// Written as a lockfileVersion 3 project, plus the installed `node_modules` npm audits (each
// package's package.json and the hidden lockfile `node_modules/.package-lock.json`).
import crypto from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NPMJS_REGISTRY } from '../support/public-urls.js';

type Entry = Record<string, unknown> & { version?: string; name?: string; integrity?: string; resolved?: string };
export interface BenchTree {
  dir: string;
  copies: number;
  // Lockfile entries (installed locations), without the root.
  locations: number;
}

const DEP_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies', 'peerDependenciesMeta'] as const;
const MANIFEST_FIELDS = ['dependencies', 'optionalDependencies', 'peerDependencies', 'peerDependenciesMeta'] as const;

// The package name installed at a lockfile key (`node_modules/a/node_modules/@s/b` → `@s/b`).
const nameAt = (key: string): string => key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);

const renamer = (copy: number) => (name: string): string => {
  if (copy === 0) return name;
  const prefix = `p${String(copy).padStart(4, '0')}-`;
  return name.startsWith('@') ? `@${prefix}${name.slice(1)}` : `${prefix}${name}`;
};

const renameKey = (key: string, rename: (n: string) => string): string =>
  key.split('node_modules/').map((seg, i) => (i === 0 ? seg : `${rename(seg.replace(/\/$/, ''))}${seg.endsWith('/') ? '/' : ''}`)).join('node_modules/');

function renameDeps(deps: unknown, rename: (n: string) => string): Record<string, unknown> | undefined {
  if (!deps || typeof deps !== 'object') return undefined;
  return Object.fromEntries(Object.entries(deps as Record<string, unknown>).map(([n, spec]) => {
    if (typeof spec === 'string' && spec.startsWith('npm:')) {
      const at = spec.indexOf('@', 5);
      return [rename(n), `npm:${rename(spec.slice(4, at))}${spec.slice(at)}`];
    }
    return [rename(n), spec];
  }));
}

const tarballUrl = (registry: string, name: string, version: string): string =>
  `${registry.replace(/\/$/, '')}/${name}/-/${name.split('/').pop()}-${version}.tgz`;

// sha512 integrity per name@version: the lockfile's own sha512 when any entry has one, else a
// synthetic one (check hashes no tarball; the registry signs whatever the lockfile pins).
function integrityOf(packages: Record<string, Entry>): Map<string, string> {
  const map = new Map<string, string>();
  for (const [key, e] of Object.entries(packages)) {
    if (!key || !e.version) continue;
    const id = `${e.name ?? nameAt(key)}@${e.version}`;
    const sha512 = (e.integrity ?? '').split(/\s+/).find((s) => s.startsWith('sha512-'));
    if (sha512) map.set(id, sha512);
    else if (!map.has(id)) map.set(id, `sha512-${crypto.createHash('sha512').update(`bench:${id}`).digest('base64')}`);
  }
  return map;
}

// Writes DIR/package.json and DIR/package-lock.json (v3): `copies` renamed copies of the source
// lockfile (1 = the tree itself, names unchanged).
export async function writeBenchTree(sourceDir: string, dir: string, copies: number): Promise<BenchTree> {
  const source = JSON.parse(await readFile(join(sourceDir, 'package-lock.json'), 'utf8')) as { packages: Record<string, Entry> };
  const integrity = integrityOf(source.packages);
  const rootSource = source.packages[''] ?? {};
  const root: Entry = { name: 'bench-app', version: '1.0.0', dependencies: {}, devDependencies: {} };
  const packages: Record<string, Entry> = {};
  for (let c = 0; c < copies; c++) {
    const rename = renamer(copies === 1 ? 0 : c + 1);
    for (const field of ['dependencies', 'devDependencies'] as const) Object.assign(root[field] as object, renameDeps(rootSource[field], rename));
    for (const [key, e] of Object.entries(source.packages)) {
      if (!key) continue;
      const realName = e.name ?? nameAt(key);
      const entry: Entry = { ...e };
      if (e.name) entry.name = rename(e.name);
      for (const field of DEP_FIELDS) if (e[field]) entry[field] = renameDeps(e[field], rename);
      entry.resolved = tarballUrl(NPMJS_REGISTRY, rename(realName), e.version ?? '0.0.0');
      entry.integrity = integrity.get(`${realName}@${e.version}`) ?? e.integrity;
      packages[renameKey(key, rename)] = entry;
    }
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(root, null, 2)}\n`);
  const lock = { name: root.name, version: root.version, lockfileVersion: 3, requires: true, packages: { '': root, ...packages } };
  writeFileSync(join(dir, 'package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
  return { dir, copies, locations: Object.keys(packages).length };
}

// Lays out DIR/node_modules as npm would have installed the lockfile (package.json per package,
// no files), with the hidden lockfile's `resolved` on the given registry, so that `npm audit
// signatures` (arborist loadActual) finds every node.
export async function writeInstalledTree(dir: string, registry: string): Promise<void> {
  const lock = JSON.parse(await readFile(join(dir, 'package-lock.json'), 'utf8')) as { name: string; version: string; packages: Record<string, Entry> };
  const hidden: Record<string, Entry> = {};
  for (const [key, e] of Object.entries(lock.packages)) {
    if (!key) continue;
    const name = e.name ?? nameAt(key);
    const manifest: Entry = { name, version: e.version };
    for (const field of MANIFEST_FIELDS) if (e[field]) manifest[field] = e[field];
    mkdirSync(join(dir, key), { recursive: true });
    writeFileSync(join(dir, key, 'package.json'), JSON.stringify(manifest));
    hidden[key] = { ...e, resolved: tarballUrl(registry, name, e.version ?? '0.0.0') };
  }
  // Written last: arborist trusts the hidden lockfile only when it is newer than every package folder.
  const hiddenLock = { name: lock.name, version: lock.version, lockfileVersion: 3, requires: true, packages: hidden };
  writeFileSync(join(dir, 'node_modules', '.package-lock.json'), `${JSON.stringify(hiddenLock, null, 2)}\n`);
}

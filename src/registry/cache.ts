import cacache from 'cacache';
import type { FetchedEvidence } from './evidence.js';
import type { VersionHistoryEntry } from './history.js';
import type { RegistryKeysSource } from './keys.js';

// What the cache knows of one package version: where its evidence is stored, and the result of
// verifying that evidence under one set of trust material.
export interface CachedPackage {
  // cacache's digest of the stored evidence bytes (checked by cacache on every read).
  evidenceDigest: string;
  repository?: string;
  verified?: VerifiedRecord;
}

export interface VerifiedRecord {
  trustDigest: string;
  verifiedAt: string;
  facts: unknown;
}

interface IndexEntry<T> {
  value: T;
  // The day it was last used (YYYY-MM-DD): entries unused for PRUNE_AFTER_DAYS are dropped.
  used: string;
}

interface RegistryIndex {
  version: 2;
  packages: Record<string, IndexEntry<CachedPackage>>;
  history: Record<string, IndexEntry<VersionHistoryEntry[]>>;
}

const PRUNE_AFTER_DAYS = 60;

// The on-disk cache (cacache, content-addressed and integrity-checked on read), in two parts:
// - the evidence of each package version, stored once, read back only to verify it again;
// - one index document per registry: each package's evidence digest, its verification result
//   and its version history. A warm run reads one document per registry instead of three small
//   entries per package (cacache costs ~0.3 ms of file-system calls per entry), and writes it
//   once at the end, merged with whatever another run wrote meanwhile.
// A hit saves round trips, never a check that the evidence or trust changed: a result is reused
// only for the same evidence digest, trust digests and a clock not earlier than its own.
export class EvidenceCache {
  readonly #dir: string;
  readonly #indexes = new Map<string, Promise<RegistryIndex>>();
  // What this run added or touched, per registry: merged into the stored index on save.
  readonly #changes = new Map<string, RegistryIndex>();
  readonly #today: string;

  constructor(dir: string, now: Date = new Date()) {
    this.#dir = dir;
    this.#today = now.toISOString().slice(0, 10);
  }

  // The cached record of a package version (same registry, name, version and lockfile integrity).
  async lookup(registry: string, name: string, version: string, integrity: string | null): Promise<CachedPackage | undefined> {
    const key = packageKey(name, version, integrity);
    const entry = (await this.#index(registry)).packages[key];
    if (entry !== undefined) this.#touch(registry, 'packages', key, entry.value);
    return entry?.value;
  }

  // Stored evidence by its digest; undefined when missing or corrupt (then it is fetched again).
  async getEvidence(digest: string): Promise<FetchedEvidence | undefined> {
    try {
      return JSON.parse((await cacache.get.byDigest(this.#dir, digest)).toString('utf8')) as FetchedEvidence;
    } catch {
      return undefined;
    }
  }

  // Stores evidence; returns cacache's digest of the stored bytes.
  async putEvidence(registry: string, evidence: FetchedEvidence): Promise<string> {
    return String(await cacache.put(this.#dir, evidenceKey(registry, evidence.name, evidence.version, evidence.lockfileIntegrity), JSON.stringify(evidence)));
  }

  // Records a package version's evidence digest and what verifying it found (kept until save()).
  record(registry: string, name: string, version: string, integrity: string | null, value: CachedPackage): void {
    this.#touch(registry, 'packages', packageKey(name, version, integrity), value);
  }

  async getHistory(registry: string, name: string, version: string): Promise<VersionHistoryEntry[] | undefined> {
    const key = `${name}@${version}`;
    const entry = (await this.#index(registry)).history[key];
    if (entry !== undefined) this.#touch(registry, 'history', key, entry.value);
    return entry?.value;
  }

  recordHistory(registry: string, name: string, version: string, entries: VersionHistoryEntry[]): void {
    this.#touch(registry, 'history', `${name}@${version}`, entries);
  }

  // Writes what this run recorded, merged into the index as stored now (another run may have
  // saved since this one read it), and drops the entries nobody used for PRUNE_AFTER_DAYS.
  async save(): Promise<void> {
    for (const [registry, changes] of this.#changes) {
      if (!hasNewEntries(changes, await this.#index(registry), this.#today)) continue;
      const key = indexKey(registry);
      const stored = await this.#read(key);
      const merged: RegistryIndex = {
        version: 2,
        packages: pruned({ ...stored.index.packages, ...changes.packages }, this.#today),
        history: pruned({ ...stored.index.history, ...changes.history }, this.#today),
      };
      const integrity = String(await cacache.put(this.#dir, key, JSON.stringify(merged)));
      // Only the newest index is kept: the bucket's older lines and their content are garbage.
      await cacache.index.compact(this.#dir, key, () => true);
      if (stored.integrity !== undefined && stored.integrity !== integrity) await cacache.rm.content(this.#dir, stored.integrity).catch(() => undefined);
    }
    this.#changes.clear();
  }

  async getKeys(registry: string): Promise<RegistryKeysSource | undefined> {
    try {
      return JSON.parse((await cacache.get(this.#dir, keysKey(registry))).data.toString('utf8')) as RegistryKeysSource;
    } catch {
      return undefined;
    }
  }

  async putKeys(source: RegistryKeysSource): Promise<void> {
    const document = Buffer.isBuffer(source.document) ? JSON.parse(source.document.toString('utf8')) : source.document;
    await cacache.put(this.#dir, keysKey(source.registry), JSON.stringify({ ...source, document }));
  }

  #index(registry: string): Promise<RegistryIndex> {
    let index = this.#indexes.get(registry);
    if (index === undefined) {
      index = this.#read(indexKey(registry)).then((stored) => stored.index);
      this.#indexes.set(registry, index);
    }
    return index;
  }

  async #read(key: string): Promise<{ index: RegistryIndex; integrity?: string }> {
    try {
      const { data, integrity } = await cacache.get(this.#dir, key);
      const index = JSON.parse(data.toString('utf8')) as RegistryIndex;
      if (index.version === 2 && isObject(index.packages) && isObject(index.history)) return { index, integrity: String(integrity) };
    } catch {
      // Missing, or corrupt (cacache checks the digest): an empty index, rebuilt by this run.
    }
    return { index: emptyIndex() };
  }

  #touch<K extends 'packages' | 'history'>(registry: string, part: K, key: string, value: RegistryIndex[K][string]['value']): void {
    let changes = this.#changes.get(registry);
    if (changes === undefined) {
      changes = emptyIndex();
      this.#changes.set(registry, changes);
    }
    (changes[part] as Record<string, IndexEntry<unknown>>)[key] = { value, used: this.#today };
  }
}

function emptyIndex(): RegistryIndex {
  return { version: 2, packages: {}, history: {} };
}

// Whether saving would change the stored index: a new or changed entry, or one first used today.
function hasNewEntries(changes: RegistryIndex, loaded: RegistryIndex, today: string): boolean {
  const differs = (part: 'packages' | 'history') =>
    Object.entries(changes[part]).some(([key, entry]) => {
      const before = loaded[part][key];
      return before === undefined || before.used !== today || before.value !== entry.value;
    });
  return differs('packages') || differs('history');
}

function pruned<T>(entries: Record<string, IndexEntry<T>>, today: string): Record<string, IndexEntry<T>> {
  const oldest = new Date(Date.parse(today) - PRUNE_AFTER_DAYS * 86_400_000).toISOString().slice(0, 10);
  return Object.fromEntries(Object.entries(entries).filter(([, entry]) => typeof entry?.used === 'string' && entry.used >= oldest));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// The lockfile's integrity is part of the key: evidence is only ever reused for the same bytes.
function packageKey(name: string, version: string, integrity: string | null): string {
  return `${name}@${version}:${integrity ?? 'none'}`;
}

function evidenceKey(registry: string, name: string, version: string, integrity: string | null): string {
  return `verify-deps:evidence:v1:${registry}:${packageKey(name, version, integrity)}`;
}

function indexKey(registry: string): string {
  return `verify-deps:index:v2:${registry}`;
}

function keysKey(registry: string): string {
  return `verify-deps:keys:v1:${registry}`;
}

import { cacacheForWriting, cacheRead } from './cacache-parts.js';
import type { FetchedEvidence } from './evidence.js';
import { EvidencePackWriter } from './evidence-pack.js';
import type { VersionHistory } from './history.js';
import { putJson } from './json-put.js';
import type { RegistryKeysSource } from './keys.js';
import type { ResultMac } from './result-mac.js';

// What the cache knows of one package version: where its evidence is stored, and the result of
// verifying that evidence under one set of trust material.
export interface CachedPackage {
  // Where the evidence is stored: a pack (cacache's digest of its bytes, checked on every read)
  // and the evidence's key in it.
  evidence: EvidenceRef;
  repository?: string;
  verified?: VerifiedRecord;
}

export interface EvidenceRef {
  pack: string;
  key: string;
}

export interface VerifiedRecord {
  trustDigest: string;
  verifiedAt: string;
  facts: unknown;
  // This machine's MAC over the result and everything it is a result of (set on save).
  mac?: string;
}

interface IndexEntry<T> {
  value: T;
  // The day it was last used (YYYY-MM-DD): entries unused for PRUNE_AFTER_DAYS are dropped.
  used: string;
}

interface RegistryIndex {
  version: 3;
  packages: Record<string, IndexEntry<CachedPackage>>;
  history: Record<string, IndexEntry<VersionHistory>>;
  // The size of each package's packument when last read (absent in indexes written before).
  packumentBytes?: Record<string, IndexEntry<number>>;
  // The evidence packs the entries point into (pack digest → cacache key), to delete the unused.
  packs: Record<string, string>;
}

const PRUNE_AFTER_DAYS = 60;
// Evidence is written in packs of this many packages (one cacache entry each, not one per package).
const PACK_SIZE = 500;

// The on-disk cache (cacache, content-addressed and integrity-checked on read), in two parts:
// - the evidence of the package versions, in packs of PACK_SIZE, read back only to verify again;
// - one index document per registry: each package's evidence location, its verification result
//   and its version history. A warm run reads one document per registry instead of three small
//   entries per package, and a cold run writes a pack per PACK_SIZE packages (cacache costs
//   ~0.3 ms of file-system calls per entry); the index is written once at the end, merged with
//   whatever another run wrote meanwhile.
// A hit saves round trips, never a check that the evidence or trust changed: a result is reused
// only for the same evidence digest, trust digests and a clock not earlier than its own. Evidence
// may come from anyone's cache (it is verified again); a result only from this machine: lookup()
// returns one only when this machine's MAC over it checks.
export class EvidenceCache {
  readonly #dir: string;
  readonly #mac: ResultMac | undefined;
  // The records of this run (sealed on save), as opposed to the ones only looked up.
  readonly #recorded = new Map<CachedPackage, ResultSubject>();
  readonly #indexes = new Map<string, Promise<RegistryIndex>>();
  // What this run added or touched, per registry: merged into the stored index on save.
  readonly #changes = new Map<string, RegistryIndex>();
  readonly #today: string;
  // The pack being written per registry and the records pointing into it, and the packs written.
  readonly #open = new Map<string, { pack: EvidencePackWriter; items: Array<{ ref: EvidenceRef; indexKey: string }> }>();
  readonly #writes: Array<Promise<void>> = [];
  readonly #newPacks = new Map<string, Record<string, string>>();
  // The last pack read (verifying again reads every entry of a pack in turn).
  #lastPack: { digest: string; entries: Record<string, unknown> } | undefined;

  // Without a MAC key no result is returned or stored, only evidence.
  constructor(dir: string, now: Date = new Date(), mac?: ResultMac) {
    this.#dir = dir;
    this.#mac = mac;
    this.#today = now.toISOString().slice(0, 10);
  }

  // The cached record of a package version (same registry, name, version and lockfile integrity);
  // its verification result only when this machine's MAC vouches for it for exactly this
  // package, evidence and trust (an entry copied under a forged integrity does not authenticate).
  async lookup(registry: string, name: string, version: string, integrity: string | null): Promise<CachedPackage | undefined> {
    const key = packageKey(name, version, integrity);
    const entry = (await this.#index(registry)).packages[key];
    if (entry === undefined) return undefined;
    this.#touch(registry, 'packages', key, entry.value);
    const verified = entry.value.verified;
    if (verified !== undefined && this.#mac !== undefined) {
      const message = resultMessage({ registry, name, version, integrity }, entry.value);
      if (message !== undefined && this.#mac.verify(message, verified.mac)) return entry.value;
    }
    // Not vouched for: the evidence alone (the copy without the result is made only then).
    const { verified: _unvouched, ...rest } = entry.value;
    return rest;
  }

  // Stored evidence; undefined when missing or corrupt (then it is fetched again).
  async getEvidence(ref: EvidenceRef): Promise<FetchedEvidence | undefined> {
    try {
      if (this.#lastPack?.digest !== ref.pack) {
        const entries = JSON.parse((await cacheRead.byDigest(this.#dir, ref.pack)).toString('utf8')) as Record<string, unknown>;
        this.#lastPack = { digest: ref.pack, entries };
      }
      const evidence = this.#lastPack.entries[ref.key];
      return evidence === undefined ? undefined : (evidence as FetchedEvidence);
    } catch {
      return undefined;
    }
  }

  // Records a package version's evidence (new evidence is packed and written in the background)
  // and what verifying it found. The record is saved by save(), once its pack is written.
  record(registry: string, name: string, version: string, integrity: string | null, value: Omit<CachedPackage, 'evidence'>, evidence: FetchedEvidence | EvidenceRef): void {
    const key = packageKey(name, version, integrity);
    const ref: EvidenceRef = 'pack' in evidence ? evidence : { pack: '', key: `${registry}\0${key}` };
    if (!('pack' in evidence)) {
      let open = this.#open.get(registry);
      if (open === undefined) {
        open = { pack: new EvidencePackWriter(this.#dir, registry), items: [] };
        this.#open.set(registry, open);
      }
      open.pack.add(ref.key, JSON.stringify(evidence));
      open.items.push({ ref, indexKey: key });
      if (open.pack.size >= PACK_SIZE) this.#close(registry);
    }
    const record: CachedPackage = { ...value, evidence: ref };
    this.#recorded.set(record, { registry, name, version, integrity });
    this.#touch(registry, 'packages', key, record);
  }

  // The cached version history; undefined when missing or stored in an older shape (earlier
  // releases stored a bare list of semver-lower versions without publish times, which would
  // leave the downgrade rule blind to a release published later on an older line): refetched.
  async getHistory(registry: string, name: string, version: string): Promise<VersionHistory | undefined> {
    const key = `${name}@${version}`;
    const entry = (await this.#index(registry)).history[key];
    if (entry === undefined || !isVersionHistory(entry.value)) return undefined;
    this.#touch(registry, 'history', key, entry.value);
    return entry.value;
  }

  recordHistory(registry: string, name: string, version: string, entries: VersionHistory): void {
    this.#touch(registry, 'history', `${name}@${version}`, entries);
  }

  // How big the package's packument was when last read; undefined when never read (or when the
  // stored size is not a size). A hint for choosing what to fetch, never evidence.
  async getPackumentBytes(registry: string, name: string): Promise<number | undefined> {
    const entry = (await this.#index(registry)).packumentBytes?.[name];
    if (entry === undefined || !Number.isSafeInteger(entry.value) || entry.value < 0) return undefined;
    this.#touch(registry, 'packumentBytes', name, entry.value);
    return entry.value;
  }

  recordPackumentBytes(registry: string, name: string, bytes: number): void {
    this.#touch(registry, 'packumentBytes', name, bytes);
  }

  // Writes what this run recorded, merged into the index as stored now (another run may have
  // saved since this one read it), drops the entries nobody used for PRUNE_AFTER_DAYS, and
  // deletes the packs no entry points into any more.
  async save(): Promise<void> {
    for (const registry of [...this.#open.keys()]) this.#close(registry);
    await Promise.all(this.#writes);
    this.#seal();
    for (const [registry, changes] of this.#changes) {
      const newPacks = this.#newPacks.get(registry) ?? {};
      if (!hasNewEntries(changes, await this.#index(registry), this.#today) && Object.keys(newPacks).length === 0) continue;
      const key = indexKey(registry);
      const stored = await this.#read(key);
      const packages = pruned({ ...stored.index.packages, ...changes.packages }, this.#today);
      const packs = { ...stored.index.packs, ...newPacks };
      const used = new Set(Object.values(packages).map((entry) => entry.value.evidence.pack));
      const merged: RegistryIndex = {
        version: 3,
        packages,
        history: pruned({ ...stored.index.history, ...changes.history }, this.#today),
        packumentBytes: pruned({ ...stored.index.packumentBytes, ...changes.packumentBytes }, this.#today),
        packs: Object.fromEntries(Object.entries(packs).filter(([digest]) => used.has(digest))),
      };
      // Written member by member (package by package), never as one string.
      const integrity = await putJson(this.#dir, key, merged, 2);
      // Only the newest index is kept: the bucket's older lines and their content are garbage.
      const cacache = cacacheForWriting();
      await cacache.index.compact(this.#dir, key, () => true);
      if (stored.integrity !== undefined && stored.integrity !== integrity) await cacache.rm.content(this.#dir, stored.integrity).catch(() => undefined);
      for (const [digest, packKey] of Object.entries(packs)) {
        if (used.has(digest)) continue;
        await cacache.rm.entry(this.#dir, packKey).catch(() => undefined);
        await cacache.rm.content(this.#dir, digest).catch(() => undefined);
      }
    }
    this.#changes.clear();
    this.#newPacks.clear();
  }

  // Puts this machine's MAC on the results this run recorded, now that their evidence is stored
  // (the MAC covers the evidence's pack digest). Only recorded ones: an entry merely looked up
  // keeps the MAC it came with, so that a forged one is never vouched for by being passed on.
  #seal(): void {
    for (const [record, subject] of this.#recorded) {
      if (record.verified === undefined) continue;
      const message = this.#mac === undefined ? undefined : resultMessage(subject, record);
      if (message === undefined) delete record.verified;
      else record.verified = { trustDigest: record.verified.trustDigest, verifiedAt: record.verified.verifiedAt, facts: record.verified.facts, mac: (this.#mac as ResultMac).sign(message) };
    }
    this.#recorded.clear();
  }

  // Ends the registry's open pack; the records pointing into a pack that could not be written
  // are dropped (the next run fetches them again).
  #close(registry: string): void {
    const open = this.#open.get(registry);
    if (open === undefined) return;
    this.#open.delete(registry);
    const { pack, items } = open;
    this.#writes.push(
      pack.close().then(
        (integrity) => {
          for (const item of items) item.ref.pack = integrity;
          const packs = this.#newPacks.get(registry) ?? {};
          packs[integrity] = pack.key;
          this.#newPacks.set(registry, packs);
        },
        () => {
          for (const item of items) delete this.#changes.get(registry)?.packages[item.indexKey];
        },
      ),
    );
  }

  async getKeys(registry: string): Promise<RegistryKeysSource | undefined> {
    try {
      return JSON.parse((await cacheRead(this.#dir, keysKey(registry))).data.toString('utf8')) as RegistryKeysSource;
    } catch {
      return undefined;
    }
  }

  async putKeys(source: RegistryKeysSource): Promise<void> {
    const document = Buffer.isBuffer(source.document) ? JSON.parse(source.document.toString('utf8')) : source.document;
    const text = JSON.stringify({ ...source, document });
    // Unchanged keys are not written again: each write adds a line to the key's index in cacache,
    // read in full by every lookup.
    const stored = await cacheRead(this.#dir, keysKey(source.registry)).catch(() => undefined);
    if (stored?.data.toString('utf8') === text) return;
    await cacacheForWriting().put(this.#dir, keysKey(source.registry), text);
  }

  // Reads a registry's index ahead of its first lookup (never fails: a missing or corrupt index
  // is an empty one).
  async loadIndex(registry: string): Promise<void> {
    await this.#index(registry);
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
      const { data, integrity } = await cacheRead(this.#dir, key);
      const index = JSON.parse(data.toString('utf8')) as RegistryIndex;
      if (index.version === 3 && isObject(index.packages) && isObject(index.history) && isObject(index.packs) && (index.packumentBytes === undefined || isObject(index.packumentBytes))) return { index, integrity: String(integrity) };
    } catch {
      // Missing, or corrupt (cacache checks the digest): an empty index, rebuilt by this run.
    }
    return { index: emptyIndex() };
  }

  #touch<K extends IndexPart>(registry: string, part: K, key: string, value: NonNullable<RegistryIndex[K]>[string]['value']): void {
    let changes = this.#changes.get(registry);
    if (changes === undefined) {
      changes = emptyIndex();
      this.#changes.set(registry, changes);
    }
    (changes[part] as Record<string, IndexEntry<unknown>>)[key] = { value, used: this.#today };
  }
}

interface ResultSubject {
  registry: string;
  name: string;
  version: string;
  integrity: string | null;
}

// What a result's MAC is over: the package it is the result of (registry, name, version, lockfile
// integrity), the stored evidence it was verified from (pack digest and member), the declared
// repository read from that evidence, the trust digests, the clock, and the facts. JSON.stringify
// (not canonical JSON, three times slower on a warm run) is enough: the MAC is checked against
// the index as JSON.stringify stored it, whose parse gives back the same text, and a reordered or
// respelled record only fails to authenticate. Undefined when there is no result.
function resultMessage(subject: ResultSubject, record: CachedPackage): string | undefined {
  const verified = record.verified;
  if (verified === undefined) return undefined;
  return JSON.stringify([
    'verify-deps verification result v1',
    subject.registry,
    subject.name,
    subject.version,
    subject.integrity,
    record.evidence?.pack,
    record.evidence?.key,
    record.repository ?? null,
    verified.trustDigest,
    verified.verifiedAt,
    verified.facts,
  ]);
}

type IndexPart = 'packages' | 'history' | 'packumentBytes';

function emptyIndex(): RegistryIndex {
  return { version: 3, packages: {}, history: {}, packumentBytes: {}, packs: {} };
}

// Whether saving would change the stored index: a new or changed entry, or one first used today.
function hasNewEntries(changes: RegistryIndex, loaded: RegistryIndex, today: string): boolean {
  const differs = (part: IndexPart) =>
    Object.entries(changes[part] ?? {}).some(([key, entry]) => {
      const before = loaded[part]?.[key];
      return before === undefined || before.used !== today || before.value !== entry.value;
    });
  return differs('packages') || differs('history') || differs('packumentBytes');
}

function pruned<T>(entries: Record<string, IndexEntry<T>>, today: string): Record<string, IndexEntry<T>> {
  const oldest = new Date(Date.parse(today) - PRUNE_AFTER_DAYS * 86_400_000).toISOString().slice(0, 10);
  return Object.fromEntries(Object.entries(entries).filter(([, entry]) => typeof entry?.used === 'string' && entry.used >= oldest));
}

function isVersionHistory(value: unknown): value is VersionHistory {
  // A history stored without the judged version's publishing claim (an earlier release) is refetched.
  return isObject(value) && Array.isArray(value.versions) && isObject(value.publishing) && (value.publishedAt === undefined || typeof value.publishedAt === 'string');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// The lockfile's integrity is part of the key: evidence is only ever reused for the same bytes.
function packageKey(name: string, version: string, integrity: string | null): string {
  return `${name}@${version}:${integrity ?? 'none'}`;
}

function indexKey(registry: string): string {
  return `verify-deps:index:v3:${registry}`;
}

function keysKey(registry: string): string {
  return `verify-deps:keys:v1:${registry}`;
}

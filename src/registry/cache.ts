import cacache from 'cacache';
import type { FetchedEvidence } from './evidence.js';
import type { VersionHistoryEntry } from './history.js';
import type { RegistryKeysSource } from './keys.js';

// The on-disk cache of evidence that verified, content-addressed by cacache (which checks every
// read against its sha512). A hit saves the network round trips, never the verification: cached
// evidence is verified again on every run, against this run's trust material and clock.
export class EvidenceCache {
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
  }

  async getEvidence(registry: string, name: string, version: string, integrity: string | null): Promise<FetchedEvidence | undefined> {
    return (await this.getEvidenceWithDigest(registry, name, version, integrity))?.value;
  }

  // The cached evidence and cacache's digest of its stored bytes (which cacache checked on read).
  async getEvidenceWithDigest(registry: string, name: string, version: string, integrity: string | null): Promise<{ value: FetchedEvidence; digest: string } | undefined> {
    return this.#getWithDigest<FetchedEvidence>(evidenceKey(registry, name, version, integrity));
  }

  // A verification result for evidence whose stored bytes have `evidenceDigest`, under trust
  // material with these digests; undefined when there is none.
  async getVerifiedFacts<T>(evidenceDigest: string, trustDigest: string): Promise<T | undefined> {
    return this.#get<T>(factsKey(evidenceDigest, trustDigest));
  }

  async putVerifiedFacts(evidenceDigest: string, trustDigest: string, facts: unknown): Promise<void> {
    await this.#put(factsKey(evidenceDigest, trustDigest), facts);
  }

  // Stores evidence; returns cacache's digest of the stored bytes (the key of its verified facts).
  async putEvidence(registry: string, evidence: FetchedEvidence): Promise<string> {
    return this.#put(evidenceKey(registry, evidence.name, evidence.version, evidence.lockfileIntegrity), evidence);
  }

  async getHistory(registry: string, name: string, version: string): Promise<VersionHistoryEntry[] | undefined> {
    return this.#get<VersionHistoryEntry[]>(historyKey(registry, name, version));
  }

  async putHistory(registry: string, name: string, version: string, entries: readonly VersionHistoryEntry[]): Promise<void> {
    await this.#put(historyKey(registry, name, version), entries);
  }

  async getKeys(registry: string): Promise<RegistryKeysSource | undefined> {
    const cached = await this.#get<{ registry: string; document: unknown; origin: RegistryKeysSource['origin'] }>(keysKey(registry));
    return cached;
  }

  async putKeys(source: RegistryKeysSource): Promise<void> {
    const document = Buffer.isBuffer(source.document) ? JSON.parse(source.document.toString('utf8')) : source.document;
    await this.#put(keysKey(source.registry), { ...source, document });
  }

  async #get<T>(key: string): Promise<T | undefined> {
    return (await this.#getWithDigest<T>(key))?.value;
  }

  async #getWithDigest<T>(key: string): Promise<{ value: T; digest: string } | undefined> {
    try {
      const { data, integrity } = await cacache.get(this.#dir, key);
      return { value: JSON.parse(data.toString('utf8')) as T, digest: integrity };
    } catch {
      // A miss, or an entry cacache found corrupt: either way the network (or, offline, a
      // fail-closed miss) decides.
      return undefined;
    }
  }

  async #put(key: string, value: unknown): Promise<string> {
    return String(await cacache.put(this.#dir, key, JSON.stringify(value)));
  }
}

// The lockfile's integrity is part of the key: evidence is only ever reused for the same bytes.
function evidenceKey(registry: string, name: string, version: string, integrity: string | null): string {
  return `verify-deps:evidence:v1:${registry}:${name}@${version}:${integrity ?? 'none'}`;
}

function factsKey(evidenceDigest: string, trustDigest: string): string {
  return `verify-deps:facts:v1:${evidenceDigest}:${trustDigest}`;
}

function historyKey(registry: string, name: string, version: string): string {
  return `verify-deps:history:v1:${registry}:${name}@${version}`;
}

function keysKey(registry: string): string {
  return `verify-deps:keys:v1:${registry}`;
}

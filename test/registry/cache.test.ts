// The evidence cache: evidence written in packs, one index document per registry written once
// per run, merged with what another run saved meanwhile, integrity-checked on read, pruned of
// entries nobody uses (and of the packs nothing points into any more).
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import cacache from 'cacache';
import { describe, expect, it } from 'vitest';
import { EvidenceCache } from '../../src/registry/cache.js';
import type { FetchedEvidence } from '../../src/registry/evidence.js';
import { ResultMac } from '../../src/registry/result-mac.js';
import { useTempDirs } from '../support/temp-dirs.js';

const REGISTRY = 'http://127.0.0.1:1/';
const newDir = useTempDirs('verify-deps-cache-');

const HISTORY = {
  publishedAt: '2026-03-01T00:00:00.000Z',
  publishing: {},
  versions: [{ version: '1.0.0', publishedAt: '2026-02-01T00:00:00.000Z', provenance: true, publishAttestation: false, trustedPublisher: { id: 'github', oidcConfigId: 'oidc:1' } }],
};
const VERIFIED = { verified: { trustDigest: 't', verifiedAt: '2026-11-01T00:00:00.000Z', facts: { findings: [] } } };
const MAC = new ResultMac(Buffer.alloc(32, 1));
const evidence = (name: string): FetchedEvidence => ({ name, version: '1.0.0', lockfileIntegrity: null, manifest: { attestationsAdvertised: false } });

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f)).filter((f) => statSync(f).isFile());
}

async function stored(dir: string, name: string, now = new Date('2026-11-23T00:00:00Z')) {
  const cache = new EvidenceCache(dir, now);
  const entry = await cache.lookup(REGISTRY, name, '1.0.0', null);
  return { entry, evidence: entry === undefined ? undefined : await cache.getEvidence(entry.evidence) };
}

describe('EvidenceCache', () => {
  it('keeps what one run recorded for the next: evidence, result and history', async () => {
    const dir = newDir();
    const first = new EvidenceCache(dir, new Date('2026-11-23T00:00:00Z'), MAC);
    expect(await first.lookup(REGISTRY, 'alpha', '1.0.0', 'sha512-a')).toBeUndefined();
    first.record(REGISTRY, 'alpha', '1.0.0', 'sha512-a', VERIFIED, evidence('alpha'));
    first.recordHistory(REGISTRY, 'alpha', '1.0.0', HISTORY);
    await first.save();
    const next = new EvidenceCache(dir, new Date('2026-11-24T00:00:00Z'), MAC);
    const entry = await next.lookup(REGISTRY, 'alpha', '1.0.0', 'sha512-a');
    expect(entry).toMatchObject(VERIFIED);
    expect(await next.getEvidence(entry!.evidence)).toEqual(evidence('alpha'));
    expect(await next.lookup(REGISTRY, 'alpha', '1.0.0', 'sha512-other')).toBeUndefined();
    expect(await next.getHistory(REGISTRY, 'alpha', '1.0.0')).toEqual(HISTORY);
  });

  it('reads a history stored by an earlier release (a list without publish times) as a miss, so it is fetched again', async () => {
    const dir = newDir();
    const index = {
      version: 3,
      packages: {},
      history: { 'alpha@0.9.1': { value: [{ version: '0.9.0', provenance: false, publishAttestation: false }], used: '2026-11-23' } },
      packs: {},
    };
    await cacache.put(dir, `verify-deps:index:v3:${REGISTRY}`, JSON.stringify(index));
    const cache = new EvidenceCache(dir, new Date('2026-11-23T00:00:00Z'));
    expect(await cache.getHistory(REGISTRY, 'alpha', '0.9.1')).toBeUndefined();
    cache.recordHistory(REGISTRY, 'alpha', '0.9.1', HISTORY);
    await cache.save();
    expect(await new EvidenceCache(dir, new Date('2026-11-24T00:00:00Z')).getHistory(REGISTRY, 'alpha', '0.9.1')).toEqual(HISTORY);
  });

  it("remembers each package's packument size across runs; an index written before sizes were kept still loads; a stored size that is not a size is none", async () => {
    const dir = newDir();
    const index = { version: 3, packages: {}, history: { 'alpha@0.9.1': { value: HISTORY, used: '2026-11-23' } }, packs: {} };
    await cacache.put(dir, `verify-deps:index:v3:${REGISTRY}`, JSON.stringify(index));
    const first = new EvidenceCache(dir, new Date('2026-11-23T00:00:00Z'));
    expect(await first.getHistory(REGISTRY, 'alpha', '0.9.1')).toEqual(HISTORY);
    expect(await first.getPackumentBytes(REGISTRY, 'alpha')).toBeUndefined();
    first.recordPackumentBytes(REGISTRY, 'alpha', 5_000_000);
    await first.save();
    const next = new EvidenceCache(dir, new Date('2026-11-24T00:00:00Z'));
    expect(await next.getPackumentBytes(REGISTRY, 'alpha')).toBe(5_000_000);
    expect(await next.getPackumentBytes(REGISTRY, 'beta')).toBeUndefined();
    expect(await next.getHistory(REGISTRY, 'alpha', '0.9.1')).toEqual(HISTORY);

    const odd = newDir();
    const bytes = { a: { value: -1, used: '2026-11-23' }, b: { value: '7', used: '2026-11-23' }, c: { value: 1.5, used: '2026-11-23' } };
    await cacache.put(odd, `verify-deps:index:v3:${REGISTRY}`, JSON.stringify({ ...index, packumentBytes: bytes }));
    const cache = new EvidenceCache(odd, new Date('2026-11-23T00:00:00Z'));
    for (const name of ['a', 'b', 'c']) expect(await cache.getPackumentBytes(REGISTRY, name), name).toBeUndefined();
    expect(await cache.getHistory(REGISTRY, 'alpha', '0.9.1')).toEqual(HISTORY);
  });

  it('reads a history stored without the judged version\'s publishing claim (an earlier release) as a miss, so it is fetched again', async () => {
    const dir = newDir();
    const { publishing: _omitted, ...older } = HISTORY;
    const index = { version: 3, packages: {}, history: { 'alpha@0.9.1': { value: older, used: '2026-11-23' } }, packs: {} };
    await cacache.put(dir, `verify-deps:index:v3:${REGISTRY}`, JSON.stringify(index));
    expect(await new EvidenceCache(dir, new Date('2026-11-23T00:00:00Z')).getHistory(REGISTRY, 'alpha', '0.9.1')).toBeUndefined();
  });

  it('writes the evidence of many packages in a few packs', async () => {
    const dir = newDir();
    const cache = new EvidenceCache(dir, new Date('2026-11-23T00:00:00Z'));
    for (let i = 0; i < 1200; i++) cache.record(REGISTRY, `p${i}`, '1.0.0', null, VERIFIED, evidence(`p${i}`));
    await cache.save();
    // 3 packs (500, 500, 200) and the index.
    expect(filesUnder(join(dir, 'content-v2'))).toHaveLength(4);
    expect((await stored(dir, 'p1199')).evidence).toEqual(evidence('p1199'));
  });

  it('merges with an index another run saved after this one read it', async () => {
    const dir = newDir();
    const now = new Date('2026-11-23T00:00:00Z');
    const a = new EvidenceCache(dir, now);
    const b = new EvidenceCache(dir, now);
    await a.lookup(REGISTRY, 'alpha', '1.0.0', null);
    await b.lookup(REGISTRY, 'beta', '1.0.0', null);
    a.record(REGISTRY, 'alpha', '1.0.0', null, VERIFIED, evidence('alpha'));
    b.record(REGISTRY, 'beta', '1.0.0', null, VERIFIED, evidence('beta'));
    await a.save();
    await b.save();
    expect((await stored(dir, 'alpha')).evidence).toEqual(evidence('alpha'));
    expect((await stored(dir, 'beta')).evidence).toEqual(evidence('beta'));
  });

  it('reads corrupted stored bytes as a miss (fetched again), never as a result', async () => {
    const dir = newDir();
    const writer = new EvidenceCache(dir, new Date('2026-11-23T00:00:00Z'));
    writer.record(REGISTRY, 'alpha', '1.0.0', null, VERIFIED, evidence('alpha'));
    await writer.save();
    const content = filesUnder(join(dir, 'content-v2'));
    expect(content).toHaveLength(2);
    for (const file of content) writeFileSync(file, '{"version":3,"packages":{},"history":{},"packs":{}} ');
    expect(await stored(dir, 'alpha')).toEqual({ entry: undefined, evidence: undefined });
  });

  it('drops entries unused for 60 days and the packs they alone used; keeps one stored index', async () => {
    const dir = newDir();
    const old = new EvidenceCache(dir, new Date('2026-08-01T00:00:00Z'));
    old.record(REGISTRY, 'stale', '1.0.0', null, VERIFIED, evidence('stale'));
    await old.save();
    const later = new EvidenceCache(dir, new Date('2026-11-23T00:00:00Z'));
    later.record(REGISTRY, 'fresh', '1.0.0', null, VERIFIED, evidence('fresh'));
    await later.save();
    expect((await stored(dir, 'stale')).entry).toBeUndefined();
    expect((await stored(dir, 'fresh')).evidence).toEqual(evidence('fresh'));
    // The fresh pack and the index.
    expect(filesUnder(join(dir, 'content-v2'))).toHaveLength(2);
  });

  it('returns a result only when this machine\'s MAC vouches for it for exactly this package', async () => {
    const dir = newDir();
    const now = new Date('2026-11-23T00:00:00Z');
    const writer = new EvidenceCache(dir, now, MAC);
    writer.record(REGISTRY, 'alpha', '1.0.0', 'sha512-a', VERIFIED, evidence('alpha'));
    await writer.save();
    expect((await new EvidenceCache(dir, now, MAC).lookup(REGISTRY, 'alpha', '1.0.0', 'sha512-a'))?.verified).toMatchObject(VERIFIED.verified);
    // Another machine's key, or none: the evidence is there, the result is not.
    const foreign = await new EvidenceCache(dir, now, new ResultMac(Buffer.alloc(32, 2))).lookup(REGISTRY, 'alpha', '1.0.0', 'sha512-a');
    expect(foreign?.evidence).toBeDefined();
    expect(foreign?.verified).toBeUndefined();
    expect((await new EvidenceCache(dir, now).lookup(REGISTRY, 'alpha', '1.0.0', 'sha512-a'))?.verified).toBeUndefined();

    // The index rewritten with cacache's own API: the entry copied under another integrity, and
    // its facts edited in place. Neither authenticates.
    const key = `verify-deps:index:v3:${REGISTRY}`;
    const index = JSON.parse((await cacache.get(dir, key)).data.toString('utf8'));
    index.packages['alpha@1.0.0:sha512-forged'] = index.packages['alpha@1.0.0:sha512-a'];
    index.packages['alpha@1.0.0:sha512-a'].value.verified.facts = { findings: [{ code: 'EDITED' }] };
    await cacache.put(dir, key, JSON.stringify(index));
    const reader = new EvidenceCache(dir, now, MAC);
    const forged = await reader.lookup(REGISTRY, 'alpha', '1.0.0', 'sha512-forged');
    expect(forged?.evidence).toBeDefined();
    expect(forged?.verified).toBeUndefined();
    expect((await reader.lookup(REGISTRY, 'alpha', '1.0.0', 'sha512-a'))?.verified).toBeUndefined();
    // Passed on by a run that only looked it up, a forged entry is still not vouched for.
    await reader.save();
    expect((await new EvidenceCache(dir, now, MAC).lookup(REGISTRY, 'alpha', '1.0.0', 'sha512-forged'))?.verified).toBeUndefined();
  });

  it('stores no result without a key, only the evidence', async () => {
    const dir = newDir();
    const now = new Date('2026-11-23T00:00:00Z');
    const writer = new EvidenceCache(dir, now);
    writer.record(REGISTRY, 'alpha', '1.0.0', null, VERIFIED, evidence('alpha'));
    await writer.save();
    const index = JSON.parse((await cacache.get(dir, `verify-deps:index:v3:${REGISTRY}`)).data.toString('utf8'));
    expect(index.packages['alpha@1.0.0:none'].value.verified).toBeUndefined();
    expect((await stored(dir, 'alpha')).evidence).toEqual(evidence('alpha'));
  });

  it("keeps a registry's keys for offline runs, writing them again only when they change", async () => {
    const dir = newDir();
    const cache = new EvidenceCache(dir, new Date('2026-11-23T00:00:00Z'));
    const keys = (keyid: string) => ({ registry: REGISTRY, document: { keys: [{ keyid }] }, origin: 'registry' as const });
    const indexLines = () =>
      filesUnder(join(dir, 'index-v5'))
        .map((file) => readFileSync(file, 'utf8').split('\n').filter(Boolean).length)
        .reduce((sum, lines) => sum + lines, 0);
    await cache.putKeys(keys('first'));
    const written = indexLines();
    await cache.putKeys(keys('first'));
    expect(indexLines()).toBe(written);
    expect(await cache.getKeys(REGISTRY)).toEqual(keys('first'));
    await cache.putKeys(keys('second'));
    expect(indexLines()).toBe(written + 1);
    expect(await cache.getKeys(REGISTRY)).toEqual(keys('second'));
  });
});

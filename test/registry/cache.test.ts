// The evidence cache's index: one document per registry, written once per run, merged with what
// another run saved meanwhile, integrity-checked on read, pruned of entries nobody uses.
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EvidenceCache } from '../../src/registry/cache.js';

const REGISTRY = 'http://127.0.0.1:1/';
const dirs: string[] = [];
const newDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'verify-deps-cache-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const record = (digest: string) => ({ evidenceDigest: digest, verified: { trustDigest: 't', verifiedAt: '2026-11-01T00:00:00.000Z', facts: { findings: [] } } });

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f)).filter((f) => statSync(f).isFile());
}

describe('EvidenceCache', () => {
  it('keeps what one run recorded for the next, by name, version and lockfile integrity', async () => {
    const dir = newDir();
    const first = new EvidenceCache(dir, new Date('2026-11-23T00:00:00Z'));
    expect(await first.lookup(REGISTRY, 'alpha', '1.0.0', 'sha512-a')).toBeUndefined();
    first.record(REGISTRY, 'alpha', '1.0.0', 'sha512-a', record('sha512-x'));
    first.recordHistory(REGISTRY, 'alpha', '1.0.0', [{ version: '0.9.0', provenance: true, publishAttestation: false }]);
    await first.save();
    const next = new EvidenceCache(dir, new Date('2026-11-24T00:00:00Z'));
    expect(await next.lookup(REGISTRY, 'alpha', '1.0.0', 'sha512-a')).toEqual(record('sha512-x'));
    expect(await next.lookup(REGISTRY, 'alpha', '1.0.0', 'sha512-other')).toBeUndefined();
    expect(await next.getHistory(REGISTRY, 'alpha', '1.0.0')).toEqual([{ version: '0.9.0', provenance: true, publishAttestation: false }]);
  });

  it('merges with an index another run saved after this one read it', async () => {
    const dir = newDir();
    const now = new Date('2026-11-23T00:00:00Z');
    const a = new EvidenceCache(dir, now);
    const b = new EvidenceCache(dir, now);
    await a.lookup(REGISTRY, 'alpha', '1.0.0', null);
    await b.lookup(REGISTRY, 'beta', '1.0.0', null);
    a.record(REGISTRY, 'alpha', '1.0.0', null, record('sha512-a'));
    b.record(REGISTRY, 'beta', '1.0.0', null, record('sha512-b'));
    await a.save();
    await b.save();
    const reader = new EvidenceCache(dir, now);
    expect(await reader.lookup(REGISTRY, 'alpha', '1.0.0', null)).toEqual(record('sha512-a'));
    expect(await reader.lookup(REGISTRY, 'beta', '1.0.0', null)).toEqual(record('sha512-b'));
  });

  it('reads a corrupted index as empty (a miss, fetched again), never as a result', async () => {
    const dir = newDir();
    const writer = new EvidenceCache(dir, new Date('2026-11-23T00:00:00Z'));
    writer.record(REGISTRY, 'alpha', '1.0.0', null, record('sha512-a'));
    await writer.save();
    const content = filesUnder(join(dir, 'content-v2'));
    expect(content).toHaveLength(1);
    for (const file of content) writeFileSync(file, '{"version":2,"packages":{},"history":{}} ');
    expect(await new EvidenceCache(dir).lookup(REGISTRY, 'alpha', '1.0.0', null)).toBeUndefined();
  });

  it(`drops entries unused for 60 days, and keeps one stored index`, async () => {
    const dir = newDir();
    const old = new EvidenceCache(dir, new Date('2026-08-01T00:00:00Z'));
    old.record(REGISTRY, 'stale', '1.0.0', null, record('sha512-s'));
    await old.save();
    const later = new EvidenceCache(dir, new Date('2026-11-23T00:00:00Z'));
    later.record(REGISTRY, 'fresh', '1.0.0', null, record('sha512-f'));
    await later.save();
    const reader = new EvidenceCache(dir, new Date('2026-11-23T00:00:00Z'));
    expect(await reader.lookup(REGISTRY, 'stale', '1.0.0', null)).toBeUndefined();
    expect(await reader.lookup(REGISTRY, 'fresh', '1.0.0', null)).toEqual(record('sha512-f'));
    expect(filesUnder(join(dir, 'content-v2'))).toHaveLength(1);
  });
});

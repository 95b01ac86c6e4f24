// Resource bounds: a 50 MB registry body, a statement with 10,000 subjects and a
// lockfile with more entries than the ceiling are refused quickly, with INPUT_TOO_LARGE, in bounded memory.
// The measured figures are printed; the time limits asserted here are hang guards only.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { FetchError } from '../../src/registry/fetch-error.js';
import { MAX_DOCUMENT_BYTES, MAX_PACKUMENT_BYTES, RegistryHttp } from '../../src/registry/http.js';
import { MAX_SUBJECTS } from '../../src/verify/attestation/statement.js';
import { createTrust, verifyPackageEvidence } from '../../src/verify/index.js';
import type { PackageEvidence } from '../../src/verify/types.js';
import { MAX_LOCKFILE_ENTRIES } from '../../src/walk/limits.js';
import { MAX_ARBORIST_ENTRIES, assertLockfileShape } from '../../src/walk/lockfile.js';
import { walkTree } from '../../src/walk/index.js';
import { npmjsTarballUrl } from '../support/public-urls.js';
import {
  SLSA_PROVENANCE_V1,
  createTestPki,
  githubActionsIdentity,
  inTotoStatement,
  npmPurl,
  sha512HexOfIntegrity,
  signStatementKeyless,
  startFixtureRegistry,
  type FixtureRegistry,
} from '../support/index.js';

const HANG_GUARD_MS = 60_000;
const FIFTY_MB = 50 * 1024 * 1024;
const INTEGRITY = 'sha512-8G+/XDU8wNsJOQS5ysDVO0Etg9/2uA5gR9l4ZwijjlwxBcrU6RPfwi2+jJmbP+Ap1Hlp/nVAaEO4Fj22/SL2gQ==';

function measure<T>(label: string, fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const rssBefore = process.memoryUsage().rss;
  const start = performance.now();
  return fn().then((value) => {
    const ms = Math.round(performance.now() - start);
    const rss = Math.round(process.memoryUsage().rss / 1e6);
    console.log(`${label}: ${ms} ms, RSS ${rss} MB (${rss - Math.round(rssBefore / 1e6) >= 0 ? '+' : ''}${rss - Math.round(rssBefore / 1e6)} MB)`);
    return { value, ms };
  });
}

describe('a 50 MB registry body', () => {
  let registry: FixtureRegistry;
  let http: RegistryHttp;

  beforeAll(async () => {
    registry = await startFixtureRegistry({
      keys: null,
      packages: [{ name: 'huge', version: '1.0.0', integrity: INTEGRITY, manifest: { readme: 'x'.repeat(FIFTY_MB) } }],
    });
    http = new RegistryHttp({ npm: { registry: `${registry.url}/` }, concurrency: 4, timeoutMs: 30_000, retries: 0 });
  }, HANG_GUARD_MS);
  afterAll(() => registry.close());

  it(`refuses a version manifest past ${MAX_DOCUMENT_BYTES} bytes with INPUT_TOO_LARGE, unread`, async () => {
    const { value: error, ms } = await measure('50 MB version manifest refused', () => http.getJson('/huge/1.0.0', { name: 'huge' }).then(() => undefined, (e: unknown) => e));
    expect(error).toBeInstanceOf(FetchError);
    expect((error as FetchError).kind).toBe('too-large');
    expect((error as FetchError).message).toMatch(/INPUT_TOO_LARGE: expected a response of at most 16777216 bytes/);
    expect(ms).toBeLessThan(HANG_GUARD_MS);
  }, HANG_GUARD_MS);

  it(`reads a 50 MB packument (the packument limit is ${MAX_PACKUMENT_BYTES} bytes: npm's own ceiling is 100 MB)`, async () => {
    const { value: response, ms } = await measure('50 MB packument read', () => http.getJson('/huge', { name: 'huge', maxBytes: MAX_PACKUMENT_BYTES }));
    expect(response.status).toBe(200);
    expect((response.body as { name: string }).name).toBe('huge');
    expect(ms).toBeLessThan(HANG_GUARD_MS);
  }, HANG_GUARD_MS);
});

describe('a statement with many subjects', () => {
  const pki = createTestPki();
  const trust = createTrust({ trustedRoot: pki.trustedRoot(), registryKeys: pki.tufKeys() });
  const pkg = { name: 'many-subjects', version: '1.0.0', integrity: INTEGRITY };
  const time = new Date('2026-06-01T00:00:00Z');

  function evidenceWithSubjects(count: number): PackageEvidence {
    const statement = inTotoStatement(pkg, SLSA_PROVENANCE_V1, { buildDefinition: {}, runDetails: {} });
    const own = { name: npmPurl(pkg.name, pkg.version), digest: { sha512: sha512HexOfIntegrity(INTEGRITY) } };
    statement.subject = Array.from({ length: count }, () => own);
    const bundle = signStatementKeyless(pki, statement, { identity: githubActionsIdentity(), notBefore: new Date(time.getTime() - 30_000) }, { integratedTime: time });
    return {
      name: pkg.name,
      version: pkg.version,
      lockfileIntegrity: INTEGRITY,
      manifest: { integrity: INTEGRITY, signatures: [pki.signPackage(pkg.name, pkg.version, INTEGRITY)], attestationsAdvertised: true },
      attestations: { attestations: [{ predicateType: SLSA_PROVENANCE_V1, bundle }] },
    };
  }

  it(`judges ${MAX_SUBJECTS} subjects one by one (all this package's: verified)`, () => {
    const facts = verifyPackageEvidence(evidenceWithSubjects(MAX_SUBJECTS), trust, new Date('2026-11-23T00:00:00Z'));
    expect(facts.findings).toEqual([]);
    expect(facts.attestations[0]?.status).toBe('verified');
  });

  it('refuses 10,000 subjects whole, with one INPUT_TOO_LARGE finding', async () => {
    const evidence = evidenceWithSubjects(10_000);
    const { value: facts, ms } = await measure('10,000-subject statement', async () => verifyPackageEvidence(evidence, trust, new Date('2026-11-23T00:00:00Z')));
    expect(facts.findings.map((f) => f.code)).toEqual(['INPUT_TOO_LARGE']);
    expect(facts.findings[0]?.message).toBe(`expected at most ${MAX_SUBJECTS} subjects in the in-toto statement, got 10000`);
    expect(facts.attestations[0]?.status).toBe('failed');
    expect(ms).toBeLessThan(HANG_GUARD_MS);
  });
});

describe('a lockfile with more entries than the ceiling', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'verify-deps-bounds-'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'big', version: '1.0.0' }));
    writeFileSync(join(dir, 'package-lock.json'), JSON.stringify(lockfileWith(MAX_LOCKFILE_ENTRIES + 1)));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function lockfileWith(entries: number) {
    const packages: Record<string, unknown> = { '': { name: 'big', version: '1.0.0', dependencies: {} } };
    for (let i = 1; i < entries; i++) {
      const name = `pkg-${i}`;
      packages[`node_modules/${name}`] = { version: '1.0.0', resolved: npmjsTarballUrl(name, '1.0.0'), integrity: INTEGRITY };
    }
    return { name: 'big', version: '1.0.0', lockfileVersion: 3, requires: true, packages };
  }

  it(`is refused by walkTree with INPUT_TOO_LARGE before arborist loads it (limit ${MAX_LOCKFILE_ENTRIES})`, async () => {
    const { value: error, ms } = await measure(`${MAX_LOCKFILE_ENTRIES + 1}-entry lockfile refused`, () => walkTree(dir).then(() => undefined, (e: unknown) => e));
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).code).toBe('INPUT_TOO_LARGE');
    expect((error as InputError).message).toContain(`packages: expected at most ${MAX_LOCKFILE_ENTRIES} entries, got ${MAX_LOCKFILE_ENTRIES + 1}`);
    expect(ms).toBeLessThan(HANG_GUARD_MS);
  }, HANG_GUARD_MS);

  it('accepts exactly the limit and refuses one more (shape check)', () => {
    expect(assertLockfileShape(lockfileWith(MAX_LOCKFILE_ENTRIES), 'package-lock.json')).toBe(3);
    expect(() => assertLockfileShape(lockfileWith(MAX_LOCKFILE_ENTRIES + 1), 'package-lock.json')).toThrow(/INPUT_TOO_LARGE/);
  });

  it('--max-entries moves the ceiling both ways', () => {
    expect(() => assertLockfileShape(lockfileWith(11), 'package-lock.json', 'package-lock.json', 10)).toThrow(expect.objectContaining({ code: 'INPUT_TOO_LARGE' }));
    expect(assertLockfileShape(lockfileWith(MAX_LOCKFILE_ENTRIES + 1), 'package-lock.json', 'package-lock.json', MAX_LOCKFILE_ENTRIES + 1)).toBe(3);
  });

  it(`keeps a v1 lockfile (read by arborist alone, in quadratic time) to ${MAX_ARBORIST_ENTRIES} entries whatever the ceiling`, () => {
    const dependencies: Record<string, unknown> = {};
    for (let i = 0; i <= MAX_ARBORIST_ENTRIES; i++) dependencies[`pkg-${i}`] = { version: '1.0.0' };
    expect(() => assertLockfileShape({ lockfileVersion: 1, dependencies }, 'package-lock.json', 'package-lock.json', MAX_LOCKFILE_ENTRIES)).toThrow(expect.objectContaining({ code: 'INPUT_TOO_LARGE' }));
  });

  it(`refuses a v3 lockfile only arborist can read (an override of a direct dependency) past ${MAX_ARBORIST_ENTRIES} entries, before arborist loads it`, async () => {
    const big = mkdtempSync(join(tmpdir(), 'verify-deps-bounds-'));
    try {
      const lockfile = lockfileWith(MAX_ARBORIST_ENTRIES + 1);
      const root = { name: 'big', version: '1.0.0', dependencies: { 'pkg-1': '1.0.0' }, overrides: { 'pkg-1': '1.0.0' } };
      writeFileSync(join(big, 'package.json'), JSON.stringify(root));
      writeFileSync(join(big, 'package-lock.json'), JSON.stringify({ ...lockfile, packages: { ...lockfile.packages, '': { name: 'big', version: '1.0.0', dependencies: { 'pkg-1': '1.0.0' } } } }));
      const { value: error, ms } = await measure('override lockfile refused', () => walkTree(big).then(() => undefined, (e: unknown) => e));
      expect((error as InputError).code).toBe('INPUT_TOO_LARGE');
      expect(ms).toBeLessThan(HANG_GUARD_MS);
    } finally {
      rmSync(big, { recursive: true, force: true });
    }
  }, HANG_GUARD_MS);

  it('refuses a v1 lockfile nested 20,000 levels deep (it once overflowed the stack) with INPUT_TOO_LARGE', () => {
    let dependencies: Record<string, unknown> = {};
    for (let i = 0; i < 20_000; i++) dependencies = { a: { version: '1.0.0', dependencies } };
    expect(() => assertLockfileShape({ lockfileVersion: 1, dependencies }, 'package-lock.json')).toThrow(expect.objectContaining({ code: 'INPUT_TOO_LARGE' }));
  });
});

// The run's deadline (--timeout) bounds verification too (src/check/package.ts, deadline.ts): a
// package whose verification has not finished when the deadline passes is FETCH_FAILED (kind
// 'deadline'), at the deadline, however long the verifier would have taken; past the deadline no
// verification starts. A verifier that fails before the deadline stays VERIFICATION_ERROR.
import { describe, expect, it, vi } from 'vitest';
import { checkPackage, type PackageCheckDeps } from '../../src/check/package.js';
import type { RegistryContext } from '../../src/check/registry-context.js';
import type { EvidenceCache } from '../../src/registry/cache.js';
import type { FetchedEvidence } from '../../src/registry/evidence.js';
import type { RegistryHttp } from '../../src/registry/http.js';
import type { PackageRef } from '../../src/types.js';
import type { PackageFacts, ParsedTrust } from '../../src/verify/index.js';

const INTEGRITY = 'sha512-' + Buffer.alloc(64, 7).toString('base64');
const REF = { name: 'slow', version: '1.0.0', integrity: INTEGRITY, source: 'registry', bundled: false } as unknown as PackageRef;
const EVIDENCE: FetchedEvidence = { name: 'slow', version: '1.0.0', lockfileIntegrity: INTEGRITY, manifest: { integrity: INTEGRITY, attestationsAdvertised: false } };
const CONTEXT = { summary: { registry: 'http://127.0.0.1/', keysOrigin: 'registry', publishesKeys: true }, trust: {} as ParsedTrust } as RegistryContext;

// The evidence is in the cache, unverified: checkPackage goes straight to verifying it.
const cache = {
  lookup: async () => ({ evidence: { sha256: 'x' } }),
  getEvidence: async () => EVIDENCE,
} as unknown as EvidenceCache;

function deps(verify: PackageCheckDeps['verify'], signal?: AbortSignal): PackageCheckDeps {
  return {
    http: {} as RegistryHttp,
    cache,
    offline: true,
    now: new Date('2026-11-23T00:00:00Z'),
    wantsHistory: () => false,
    historyNeed: () => 'never',
    rehash: false,
    npmCacheDir: '/nonexistent',
    warnings: [],
    verify,
    ...(signal === undefined ? {} : { signal }),
  };
}

describe('checkPackage under the run deadline', () => {
  it('a verification still running at the deadline: FETCH_FAILED (deadline), at the deadline', async () => {
    // A verifier slower than any run: it never answers.
    const verify = vi.fn(() => new Promise<PackageFacts>(() => undefined));
    const started = Date.now();
    const outcome = await checkPackage(REF, 'http://127.0.0.1/', CONTEXT, deps(verify, AbortSignal.timeout(200)));
    expect(outcome.findings).toEqual([expect.objectContaining({ code: 'FETCH_FAILED', details: { kind: 'deadline' } })]);
    expect(outcome.facts).toBeUndefined();
    expect(verify).toHaveBeenCalledTimes(1);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('past the deadline, no verification starts', async () => {
    const verify = vi.fn(async () => ({ findings: [{ code: 'INTEGRITY_MISSING', message: 'verified' }] }) as unknown as PackageFacts);
    const outcome = await checkPackage(REF, 'http://127.0.0.1/', CONTEXT, deps(verify, AbortSignal.abort()));
    expect(outcome.findings.map((f) => [f.code, f.details])).toEqual([['FETCH_FAILED', { kind: 'deadline' }]]);
    expect(verify).not.toHaveBeenCalled();
  });

  it('a verifier that fails before the deadline: VERIFICATION_ERROR', async () => {
    const verify = vi.fn(() => Promise.reject(new Error('worker exited')));
    const outcome = await checkPackage(REF, 'http://127.0.0.1/', CONTEXT, deps(verify, AbortSignal.timeout(60_000)));
    expect(outcome.findings.map((f) => f.code)).toEqual(['VERIFICATION_ERROR']);
  });
});

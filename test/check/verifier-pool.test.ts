// The verification workers (src/check/verifier-pool.ts), through the built module (the worker
// runs dist/verify/worker.js): results equal the main thread's, and a verification that cannot
// run is a rejection (the package becomes VERIFICATION_ERROR), never a result.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { VerifierPool } from '../../dist/check/verifier-pool.js';
import { createTrust, verifyPackageEvidence } from '../../src/verify/index.js';
import type { PackageEvidence } from '../../src/verify/types.js';

const TRUSTED_ROOT = readFileSync(new URL('../fixtures/trusted-root/trusted_root.json', import.meta.url));
const KEYS = readFileSync(new URL('../fixtures/trusted-root/keys.json', import.meta.url));
const RECORDED = JSON.parse(readFileSync(new URL('../fixtures/attestations/sigstore@1.0.0.json', import.meta.url), 'utf8')) as Record<string, unknown>;

const pools: VerifierPool[] = [];
afterEach(async () => {
  for (const pool of pools.splice(0)) await pool.close();
});

function evidence(): PackageEvidence {
  const integrity = 'sha512-' + Buffer.alloc(64, 7).toString('base64');
  return { name: 'sigstore', version: '1.0.0', lockfileIntegrity: integrity, manifest: { integrity, attestationsAdvertised: true }, attestations: RECORDED };
}

describe('VerifierPool', () => {
  it('gives the facts the main thread gives, for the same evidence, trust and clock', async () => {
    const pool = new VerifierPool(2);
    pools.push(pool);
    const trustId = pool.addTrust({ trustedRoot: TRUSTED_ROOT, registryKeys: KEYS });
    const now = new Date('2026-11-23T00:00:00Z');
    const inWorker = await pool.verify(trustId, evidence(), now);
    const inMain = verifyPackageEvidence(evidence(), createTrust({ trustedRoot: TRUSTED_ROOT, registryKeys: KEYS }), now);
    expect(inWorker).toEqual(JSON.parse(JSON.stringify(inMain)));
    expect(inWorker.findings.length).toBeGreaterThan(0);
  });

  it('rejects a verification it cannot run (unknown trust), and after a worker dies', async () => {
    const pool = new VerifierPool(1);
    pools.push(pool);
    await expect(pool.verify(41, evidence(), new Date())).rejects.toThrow(/no trust 41/);
    const trustId = pool.addTrust({ trustedRoot: TRUSTED_ROOT, registryKeys: KEYS });
    const pending = pool.verify(trustId, evidence(), new Date());
    await pool.close();
    await expect(pending).rejects.toThrow(/exited/);
    await expect(pool.verify(trustId, evidence(), new Date())).rejects.toThrow(/exited/);
  });

  it('a verification worker records no stacks: an error in it still rejects the verification, with its message', async () => {
    const pool = new VerifierPool(1);
    pools.push(pool);
    // Trust documents that are not JSON: building the trust throws in the worker, which then exits.
    const trustId = pool.addTrust({ trustedRoot: Buffer.from('not json'), registryKeys: KEYS });
    const failure = await pool.verify(trustId, evidence(), new Date()).then(
      () => undefined,
      (error: Error) => error,
    );
    expect(failure).toBeInstanceOf(Error);
    expect(failure?.message).not.toBe('');
    expect(failure?.stack ?? '').not.toMatch(/\n\s+at /);
  });
});

// A verification worker thread (src/check/verifier-pool.ts): builds each registry's trust from
// the same documents as the main thread, and verifies evidence with it. Pure like the verify
// stage: no network, no files; the clock is the one it is given.
import { parentPort } from 'node:worker_threads';
import { createTrust, verifyPackageEvidence, type Trust } from './index.js';
import type { PackageEvidence } from './types.js';

export type WorkerRequest =
  | { kind: 'trust'; trustId: number; trustedRoot: Uint8Array; registryKeys: unknown; npmKeys?: Uint8Array }
  | { kind: 'verify'; seq: number; trustId: number; evidence: PackageEvidence; now: number };

export type WorkerReply = { seq: number; facts: unknown } | { seq: number; error: string };

const trusts = new Map<number, Trust>();

// An error thrown in this thread reaches the main thread as its message alone (WorkerReply, or
// the worker's error event), so its stack is never read; and @sigstore/core throws and catches one
// for each OCTET STRING of a certificate that holds no DER (several per bundle), where recording
// the stack was most of the cost of parsing the certificate.
Error.stackTraceLimit = 0;

parentPort?.on('message', (request: WorkerRequest) => {
  if (request.kind === 'trust') {
    const registryKeys = request.registryKeys instanceof Uint8Array ? Buffer.from(request.registryKeys) : request.registryKeys;
    const npmKeys = request.npmKeys === undefined ? {} : { npmKeys: Buffer.from(request.npmKeys) };
    trusts.set(request.trustId, createTrust({ trustedRoot: Buffer.from(request.trustedRoot), registryKeys, ...npmKeys }));
    return;
  }
  let reply: WorkerReply;
  try {
    const trust = trusts.get(request.trustId);
    if (trust === undefined) throw new Error(`no trust ${request.trustId} in this worker`);
    reply = { seq: request.seq, facts: verifyPackageEvidence(request.evidence, trust, new Date(request.now)) };
  } catch (error) {
    reply = { seq: request.seq, error: (error as Error).message ?? String(error) };
  }
  parentPort?.postMessage(reply);
});

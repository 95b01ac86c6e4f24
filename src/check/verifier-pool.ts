// Verification off the main thread: the main thread fetches and parses, worker threads check
// signatures, chains and logs (~2 ms of CPU per attested package), so the two overlap instead of
// queueing on one event loop. The trust a worker verifies with is built in the worker from the
// same documents as the main thread's (whose digests key the cache). A worker that fails or
// exits rejects what it held: the package is then unverified (VERIFICATION_ERROR), never passed.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { PACKAGE_ROOT } from '../paths/package-root.js';
import type { PackageEvidence, PackageFacts } from '../verify/types.js';
import type { WorkerReply, WorkerRequest } from '../verify/worker.js';
import { SharedStrings } from './shared-strings.js';

// The worker is tsc's output, never bundled: the same file whether this module runs from dist/check/
// or from the CLI's bundle in dist/cli/.
const WORKER_URL = new URL('dist/verify/worker.js', PACKAGE_ROOT);
// A worker's short-lived objects (one package's parsed bundle at a time) fit in far less than
// V8's default young generation, which only added to the peak memory of a large tree's run
// (~15-30 MiB at 10,000 packages, at no measurable cost in time).
const WORKER_YOUNG_GENERATION_MB = 16;

export interface TrustDocuments {
  trustedRoot: Uint8Array;
  registryKeys: unknown;
  // npm's keys, when accepted beside the registry's (a proxy of registry.npmjs.org).
  npmKeys?: Uint8Array;
}

// Verification workers: one per core the main thread leaves free (at least one), at most four.
export function defaultWorkerCount(): number {
  return Math.min(4, Math.max(1, availableParallelism() - 1));
}

export class VerifierPool {
  readonly #size: number;
  readonly #workers: Worker[] = [];
  readonly #load: number[] = [];
  readonly #pending = new Map<number, { worker: number; resolve: (facts: PackageFacts) => void; reject: (error: Error) => void }>();
  readonly #trusts: TrustDocuments[] = [];
  // The facts of every package live to the end of the run: their repeated strings are shared.
  readonly #strings = new SharedStrings();
  #seq = 0;
  #broken: Error | undefined;

  constructor(size = defaultWorkerCount()) {
    this.#size = size;
  }

  // Registers a registry's trust documents; returns the id to verify with.
  addTrust(documents: TrustDocuments): number {
    this.#trusts.push(documents);
    const trustId = this.#trusts.length - 1;
    for (const worker of this.#workers) worker.postMessage({ kind: 'trust', trustId, ...documents } satisfies WorkerRequest);
    return trustId;
  }

  verify(trustId: number, evidence: PackageEvidence, now: Date): Promise<PackageFacts> {
    if (this.#broken) return Promise.reject(this.#broken);
    this.#start();
    const worker = this.#load.indexOf(Math.min(...this.#load));
    const seq = this.#seq++;
    this.#load[worker] = (this.#load[worker] ?? 0) + 1;
    return new Promise((resolve, reject) => {
      this.#pending.set(seq, { worker, resolve, reject });
      (this.#workers[worker] as Worker).postMessage({ kind: 'verify', seq, trustId, evidence, now: now.getTime() } satisfies WorkerRequest);
    });
  }

  // Stops the workers (mid-verification too); what they held, and any later verify, rejects.
  async close(): Promise<void> {
    this.#broken ??= new Error('verification worker exited (the pool was closed)');
    await Promise.all(this.#workers.map((worker) => worker.terminate()));
    this.#workers.length = 0;
  }

  // Workers start on the first verification: a warm run that verifies nothing starts none.
  #start(): void {
    if (this.#workers.length > 0) return;
    for (let index = 0; index < this.#size; index++) {
      const worker = new Worker(WORKER_URL, { resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
      worker.on('message', (reply: WorkerReply) => this.#settle(reply));
      worker.on('error', (error) => this.#fail(index, error));
      worker.on('exit', (code) => this.#fail(index, new Error(`verification worker exited (code ${code})`)));
      this.#trusts.forEach((documents, trustId) => worker.postMessage({ kind: 'trust', trustId, ...documents } satisfies WorkerRequest));
      this.#workers.push(worker);
      this.#load.push(0);
    }
  }

  #settle(reply: WorkerReply): void {
    const pending = this.#pending.get(reply.seq);
    if (pending === undefined) return;
    this.#pending.delete(reply.seq);
    this.#load[pending.worker] = (this.#load[pending.worker] ?? 1) - 1;
    if ('error' in reply) pending.reject(new Error(reply.error));
    else pending.resolve(this.#strings.share(reply.facts as PackageFacts));
  }

  #fail(index: number, error: Error): void {
    this.#broken ??= error;
    for (const [seq, pending] of this.#pending) {
      if (pending.worker !== index) continue;
      this.#pending.delete(seq);
      pending.reject(error);
    }
  }
}

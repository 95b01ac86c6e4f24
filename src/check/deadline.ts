// The run's --timeout bounds verification as well as fetching: a package not verified by then
// is FETCH_FAILED (kind 'deadline') and the gate fails closed, instead of the run going on for
// as long as a registry's evidence takes to verify.
import type { CheckFinding } from './types.js';

// Thrown in place of a result the run's deadline came before.
export class DeadlineExpiredError extends Error {
  constructor() {
    super("the run's --timeout expired");
    this.name = 'DeadlineExpiredError';
  }
}

// Starts `work` only before the deadline, and stops waiting for it when the deadline passes
// (rejecting with DeadlineExpiredError); without a deadline, just runs it.
export function beforeDeadline<T>(signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
  if (signal === undefined) return work();
  if (signal.aborted) return Promise.reject(new DeadlineExpiredError());
  return new Promise<T>((resolve, reject) => {
    const expire = () => reject(new DeadlineExpiredError());
    signal.addEventListener('abort', expire, { once: true });
    Promise.resolve()
      .then(work)
      .then(resolve, reject)
      .finally(() => signal.removeEventListener('abort', expire));
  });
}

// The finding of a package whose evidence was in hand but not verified by the deadline.
export function toDeadlineFinding(name: string, version: string): CheckFinding {
  return {
    code: 'FETCH_FAILED',
    message: `expected ${name}@${version} to be verified within the run's --timeout, but the deadline passed first`,
    details: { kind: 'deadline' },
  };
}

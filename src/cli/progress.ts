import type { CheckProgress } from '../check/index.js';
import { plural } from './plural.js';

// The progress of a run on stderr. On a terminal: one line, rewritten in place, at most every
// 100 ms (packages walked and checked, rate, time left). In CI or when stderr is not a terminal:
// a single start line, no noise.
export class ProgressReporter {
  readonly #write: (text: string) => void;
  readonly #interactive: boolean;
  readonly #clock: () => number;
  #startedAt = 0;
  #lastDrawn = 0;
  #drawn = false;
  #announced = false;

  constructor(write: (text: string) => void, interactive: boolean, clock: () => number = Date.now) {
    this.#write = write;
    this.#interactive = interactive;
    this.#clock = clock;
  }

  update(progress: CheckProgress): void {
    const now = this.#clock();
    if (this.#startedAt === 0) this.#startedAt = now;
    if (!this.#interactive) {
      if (!this.#announced) this.#write(`verify-deps: checking ${progress.total} of ${plural(progress.walked, 'package')} against their registries…\n`);
      this.#announced = true;
      return;
    }
    if (progress.done !== progress.total && now - this.#lastDrawn < 100) return;
    this.#lastDrawn = now;
    this.#drawn = true;
    this.#write(`\r\x1b[2K${describe(progress, (now - this.#startedAt) / 1000)}`);
  }

  // Clears the progress line before the summary is printed.
  finish(): void {
    if (this.#drawn) this.#write('\r\x1b[2K');
    this.#drawn = false;
  }
}

function describe({ walked, total, fetched, checked, done }: CheckProgress, seconds: number): string {
  const rate = seconds > 0 ? fetched / seconds : 0;
  const left = rate > 0 ? Math.ceil((total - fetched) / rate) : undefined;
  const eta = left === undefined || fetched === total ? '' : `, about ${left} s left`;
  return `verify-deps: ${walked} walked, ${fetched}/${total} fetched, ${checked} checked, ${done} done (${rate.toFixed(0)}/s${eta})`;
}

// A terminal that is not a CI log: progress lines help a person and clutter a log.
export function isInteractive(stream: { isTTY?: boolean }, env: Readonly<Record<string, string | undefined>>): boolean {
  return stream.isTTY === true && !env.CI;
}

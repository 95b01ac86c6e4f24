// Runs one child process under `/usr/bin/time -v`: wall time (measured here, around the spawn),
// peak RSS ("Maximum resident set size", KiB), exit code and output. Medians and ranges.
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';

export interface Measured {
  wallMs: number;
  peakRssKb: number | null;
  // User plus system CPU time of the child: steadier than wall time on a shared machine.
  cpuMs: number | null;
  code: number | null;
  // 1-minute load average just before the run: other processes on the machine skew wall times.
  load1: number;
  stdout: string;
  stderr: string;
}

const TIME_BIN = '/usr/bin/time';

export function measure(command: string, args: readonly string[], options: { cwd?: string; env: NodeJS.ProcessEnv }): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const load1 = loadavg()[0] ?? 0;
    const started = performance.now();
    const child = spawn(TIME_BIN, ['-v', command, ...args], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      const stderrAll = Buffer.concat(err).toString('utf8');
      // /usr/bin/time appends its report to stderr; split it off the child's own stderr.
      const cut = stderrAll.lastIndexOf('\tCommand being timed:');
      const report = cut >= 0 ? stderrAll.slice(cut) : '';
      const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(report);
      const user = /User time \(seconds\): ([\d.]+)/.exec(report);
      const system = /System time \(seconds\): ([\d.]+)/.exec(report);
      const status = /Exit status: (\d+)/.exec(report);
      resolve({
        wallMs,
        peakRssKb: rss ? Number(rss[1]) : null,
        cpuMs: user && system ? (Number(user[1]) + Number(system[1])) * 1000 : null,
        code: status ? Number(status[1]) : code,
        load1,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: cut >= 0 ? stderrAll.slice(0, cut) : stderrAll,
      });
    });
  });
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

// "1.23 s (1.10–1.40)"-style summary of durations in ms.
export function summarizeMs(values: readonly number[]): string {
  if (values.length === 0) return 'n/a';
  const s = (ms: number) => (ms / 1000).toFixed(2);
  return `${s(median(values))} s (${s(Math.min(...values))}–${s(Math.max(...values))})`;
}

export function summarize(values: readonly number[], digits = 0, unit = ''): string {
  if (values.length === 0) return 'n/a';
  const f = (v: number) => v.toFixed(digits);
  return `${f(median(values))}${unit} (${f(Math.min(...values))}–${f(Math.max(...values))})`;
}

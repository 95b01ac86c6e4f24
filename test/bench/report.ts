// Prints a cell's numbers: medians with min–max, verify-deps/npm ratios per round pair, peak RSS,
// requests per run (and per package), and whether both tools counted the same evidence.
import type { CellResult } from './matrix.js';
import { median, summarize, summarizeMs } from './measure.js';
import type { ToolRun, Traffic } from './tools.js';

const wall = (runs: ToolRun[]) => runs.map((r) => r.wallMs);
const rssMiB = (runs: ToolRun[]) => runs.flatMap((r) => (r.peakRssKb === null ? [] : [r.peakRssKb / 1024]));
const distinct = (values: number[]) => [...new Set(values)].join('/');

// Ratios a_i / b_i over the rounds both ran.
export function pairRatios(a: ToolRun[], b: ToolRun[]): number[] {
  return a.slice(0, b.length).map((run, i) => run.wallMs / (b[i] as ToolRun).wallMs);
}

export function formatCell(cell: CellResult): string[] {
  const { env, plan } = cell;
  const lines: string[] = [];
  lines.push(`${env.label} @ ${plan.latencyMs} ms per request — ${env.packages} distinct packages (${env.locations} installed locations), ${env.attested} with provenance + publish attestations`);
  const row = (name: string, runs: ToolRun[], unit: number) => {
    if (runs.length === 0) return;
    const req = runs.map((r) => r.requests);
    lines.push(
      `  ${name.padEnd(18)} n=${runs.length}  wall ${summarizeMs(wall(runs)).padEnd(22)} peak RSS ${summarize(rssMiB(runs), 0, ' MiB').padEnd(20)} requests ${distinct(req)} (${(median(req) / unit).toFixed(2)}/package)  load1 before ${summarize(runs.map((r) => r.load1), 1)}`,
    );
  };
  row('verify-deps cold', cell.vdCold, env.packages);
  row('verify-deps warm', cell.vdWarm, env.packages);
  row('npm audit cold', cell.npmCold, env.locations);
  row('npm audit warm', cell.npmWarm, env.locations);
  if (cell.npmCold.length === 0) {
    lines.push(`  npm audit signatures: not measured — ${plan.npmSkipReason ?? 'no npm rounds planned'}`);
  } else {
    lines.push(`  ratio verify-deps/npm, cold vs cold (per round pair): ${summarize(pairRatios(cell.vdCold, cell.npmCold), 3, '×')}`);
    lines.push(`  ratio verify-deps/npm, warm vs npm cold (per round pair): ${summarize(pairRatios(cell.vdWarm, cell.npmCold), 3, '×')}`);
    if (cell.npmWarm.length > 0) lines.push(`  ratio verify-deps/npm, warm vs npm warm (per round pair): ${summarize(pairRatios(cell.vdWarm, cell.npmWarm), 3, '×')}`);
    const rssRatio = median(rssMiB(cell.vdCold)) / median(rssMiB(cell.npmCold));
    lines.push(`  peak RSS verify-deps cold / npm: ${rssRatio.toFixed(2)}×`);
  }
  lines.push(...trafficLines(cell));
  lines.push(...countLines(cell));
  const problems = [...cell.vdCold, ...cell.vdWarm, ...cell.npmCold, ...cell.npmWarm].filter((r) => r.problem);
  for (const p of problems.slice(0, 3)) lines.push(`  PROBLEM: ${p.problem}`);
  return lines;
}

// What the fixture registry served each tool on its first cold run, per kind of document:
// requests and body bytes as sent (gzipped where the client asked for it).
function trafficLines(cell: CellResult): string[] {
  const line = (name: string, run: ToolRun | undefined) => (run === undefined ? [] : [`  ${name} served: ${formatTraffic(run.traffic)}`]);
  return [...line('verify-deps cold', cell.vdCold[0]), ...line('npm audit cold', cell.npmCold[0])];
}

// Requests and bytes per kind of document, most requested first, and the bytes in all.
export function formatTraffic(traffic: Traffic): string {
  const kinds = Object.entries(traffic).sort(([, a], [, b]) => b.requests - a.requests);
  const total = kinds.reduce((sum, [, t]) => sum + t.bytes, 0);
  return `${kinds.map(([kind, t]) => `${kind} ${t.requests} (${mib(t.bytes)})`).join(', ') || 'nothing'}; ${mib(total)} in all`;
}

const mib = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : bytes >= 1024 ? `${(bytes / 1024).toFixed(0)} KiB` : `${bytes} B`);

function countLines(cell: CellResult): string[] {
  const vd = [...cell.vdCold, ...cell.vdWarm];
  const verdicts = distinctStrings(vd.map((r) => r.verdict ?? 'none'));
  const codes = distinctStrings(vd.map((r) => Object.entries(r.findings ?? {}).map(([c, n]) => `${c} ×${n}`).join(', ') || 'no findings'));
  const vdSig = distinct(vd.map((r) => r.signatures ?? -1));
  const vdAtt = distinct(vd.map((r) => r.attestations ?? -1));
  const vdSigLoc = distinct(vd.map((r) => r.signatureLocations ?? -1));
  const vdAttLoc = distinct(vd.map((r) => r.attestationLocations ?? -1));
  const lines = [
    `  verify-deps verdict ${verdicts} (packages with findings: ${codes})`,
    `  verify-deps counts: ${vdSig} packages with verified signatures, ${vdAtt} with verified attestations (= ${vdSigLoc} / ${vdAttLoc} installed locations)`,
  ];
  const npm = [...cell.npmCold, ...cell.npmWarm];
  if (npm.length === 0) return lines;
  const npmSig = distinct(npm.map((r) => r.signatures ?? -1));
  const npmAtt = distinct(npm.map((r) => r.attestations ?? -1));
  lines.push(`  npm counts: ${npmSig} packages have verified registry signatures, ${npmAtt} have verified attestations (npm counts installed locations)`);
  const same = vdSigLoc === npmSig && vdAttLoc === npmAtt && !vdSigLoc.includes('/') && !npmSig.includes('/');
  lines.push(`  same counts (per installed location): ${same ? 'YES' : 'NO'}`);
  return lines;
}

const distinctStrings = (values: string[]) => [...new Set(values)].join('/');

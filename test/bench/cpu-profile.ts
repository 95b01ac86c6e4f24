// Summarises a V8 .cpuprofile (node --cpu-prof): self time by function and by module (the npm
// package, or the repository file for verify-deps' own code), so the report says where time goes.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  functions: Array<{ name: string; ms: number }>;
  modules: Array<{ name: string; ms: number }>;
  // Time with one of these frames anywhere on the stack (a stage of verify-deps, a library).
  inclusive: Array<{ name: string; ms: number }>;
  // When each stage of a run had a frame on the stack: its first and last sample, in ms from the
  // profile's start (the main thread's timeline; async stages count while their code runs).
  timeline: Array<{ name: string; fromMs: number; toMs: number }>;
}

// The stages of a `check` run, in the order they start, by the functions that run them.
const TIMELINE: Array<[string, readonly string[]]> = [
  ['policy and lockfile read', ['loadPolicy', 'readProjectTree']],
  ['trust material (trusted root, keys)', ['loadTrustSource', 'prepareRegistry']],
  ['fetch and verify (every package)', ['checkPackage']],
  ['policy evaluation', ['evaluatePolicy']],
  ['report and outputs written', ['buildReport', 'writeOutputs']],
];

// Stages whose inclusive time the summary names: the frame's function name, or a module path.
const STAGES: Array<[string, (frame: ProfileNode['callFrame']) => boolean]> = [
  ['walkTree (arborist)', (f) => f.functionName === 'walkTree'],
  ['fetchEvidence', (f) => f.functionName === 'fetchEvidence'],
  ['fetchVersionHistory', (f) => f.functionName === 'fetchVersionHistory'],
  ['fetchPackument', (f) => f.functionName === 'fetchPackument'],
  ['npm-registry-fetch', (f) => f.url.includes('/node_modules/npm-registry-fetch/')],
  ['verifyPackageEvidence', (f) => f.functionName === 'verifyPackageEvidence'],
  ['@sigstore/verify', (f) => f.url.includes('/node_modules/@sigstore/verify/')],
  ['cacache', (f) => f.url.includes('/node_modules/cacache/')],
  ['JSON.parse', (f) => f.functionName === 'parse' && f.url === ''],
  ['buildReport', (f) => f.functionName === 'buildReport'],
  ['evaluate', (f) => f.functionName === 'evaluatePolicy' || f.functionName === 'evaluate'],
];

function moduleOf(url: string): string {
  if (!url) return '(native / idle / gc)';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? url);
  }
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return `verify-deps ${url.slice(dist + 1)}`;
  if (url.startsWith('node:')) return url;
  return url.replace(/^file:\/\//, '');
}

const shortUrl = (url: string): string => {
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) return url.slice(nm + '/node_modules/'.length);
  const dist = url.indexOf('/dist/');
  return dist >= 0 ? url.slice(dist + 1) : url.replace(/^file:\/\//, '');
};

// One summary per thread that wrote a profile (node names them CPU.<date>.<time>.<pid>.<thread>.<seq>):
// the main thread, then the verification workers.
export function summarizeProfiles(dir: string, top = 12): Array<{ thread: string; summary: ProfileSummary }> {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .sort()
    .map((file) => {
      const thread = Number(file.split('.').at(-3));
      return { thread: thread === 0 ? 'main thread' : `worker thread ${thread}`, summary: summarizeProfile(join(dir, file), top) };
    });
}

function summarizeProfile(file: string, top: number): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const functions = new Map<string, number>();
  const modules = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const fn = url ? `${functionName || '(anonymous)'} ${shortUrl(url)}:${lineNumber + 1}` : `(${functionName || 'program'})`;
    functions.set(fn, (functions.get(fn) ?? 0) + us);
    const mod = moduleOf(url);
    modules.set(mod, (modules.get(mod) ?? 0) + us);
  }
  const parentOf = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
  const inclusive = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (!frame) continue;
      for (const [name, matches] of STAGES) if (!seen.has(name) && matches(frame)) seen.add(name);
    }
    for (const name of seen) inclusive.set(name, (inclusive.get(name) ?? 0) + us);
  }
  const timeline = new Map<string, { fromMs: number; toMs: number }>();
  let at = 0;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    const names = new Set<string>();
    for (let node: number | undefined = id; node !== undefined; node = parentOf.get(node)) {
      const name = byId.get(node)?.callFrame.functionName;
      if (name) names.add(name);
    }
    for (const [stage, functions] of TIMELINE) {
      if (!functions.some((f) => names.has(f))) continue;
      const span = timeline.get(stage);
      if (span === undefined) timeline.set(stage, { fromMs: at / 1000, toMs: at / 1000 });
      else span.toMs = at / 1000;
    }
  });
  const ranked = (m: Map<string, number>) =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, us]) => ({ name, ms: us / 1000 }));
  return {
    totalMs: (profile.endTime - profile.startTime) / 1000,
    functions: ranked(functions),
    modules: ranked(modules),
    inclusive: ranked(inclusive),
    timeline: TIMELINE.flatMap(([name]) => {
      const span = timeline.get(name);
      return span === undefined ? [] : [{ name, ...span }];
    }),
  };
}

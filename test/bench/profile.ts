// Reads V8 .cpuprofile files (node --cpu-prof) and says where the time went: the top
// functions by self time, and self time by area (a package, or a folder of this repository).
// Also usable alone: node --import tsx test/bench/profile.ts FILE.cpuprofile…
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { round } from './stats.js';

interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/**
 * A span of time to count samples in, µs on the monotonic clock: V8 stamps profiles with
 * the same CLOCK_MONOTONIC as process.hrtime in any process on the machine.
 */
export interface Span {
  readonly fromUs: number;
  readonly toUs: number;
}

/** Now on the clock of profile timestamps. */
export const monotonicUs = (): number => Number(process.hrtime.bigint() / 1000n);

export interface ProfileSummary {
  readonly file: string;
  /** `main`, or the worker thread's id (from the file name). */
  readonly thread: string;
  /** What the thread does, judged from the code it ran. */
  readonly role: string;
  readonly sampledMs: number;
  /** Share of samples in (idle): the thread had nothing to do. */
  readonly idlePercent: number;
  /** % of busy (non-idle) time. */
  readonly top: readonly { fn: string; where: string; selfMs: number; percent: number }[];
  readonly areas: readonly { area: string; selfMs: number; percent: number }[];
}

/** A short name for where code lives: a package, a repository folder, or Node itself. */
export function areaOf(url: string): string {
  if (!url) return '(native / V8)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1] ?? url;
  if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/');
  const repo = /\/(server|shared|test|web)\/(src\/)?([^/]+)/.exec(url);
  if (repo) return `${repo[1]}/${repo[2] ?? ''}${repo[3]}`;
  return url;
}

const shortUrl = (url: string) =>
  url.replace(/^file:\/\/.*?\/(node_modules|server|shared|test)\//, '$1/').replace(/^node:/, '');

function roleOf(threadId: string, p: CpuProfile): string {
  const urls = p.nodes.map((n) => n.callFrame.url);
  if (threadId === '0') return 'main thread: HTTP, auth, DynamoDB emulator';
  if (urls.some((u) => u.includes('/server/src/match/'))) return 'room worker';
  if (urls.some((u) => u.includes('esm/worker'))) return 'module loader (tsx hooks)';
  return 'worker';
}

export function summarizeProfile(file: string, topN = 12, span?: Span): ProfileSummary {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n.callFrame]));
  const self = new Map<number, number>();
  // timeDeltas[i] is the time since the previous sample: charge it to sample i.
  let at = p.startTime;
  p.samples.forEach((id, i) => {
    const dt = p.timeDeltas[i] ?? 0;
    at += dt;
    if (span && (at < span.fromUs || at > span.toUs)) return;
    self.set(id, (self.get(id) ?? 0) + dt / 1000);
  });
  let idle = 0;
  let total = 0;
  const fns = new Map<string, { fn: string; where: string; selfMs: number }>();
  const areas = new Map<string, number>();
  for (const [id, ms] of self) {
    const f = byId.get(id);
    if (!f) continue;
    total += ms;
    if (f.functionName === '(idle)') {
      idle += ms;
      continue;
    }
    const fn = f.functionName || '(anonymous)';
    const where = f.url ? `${shortUrl(f.url)}:${f.lineNumber + 1}` : '';
    const key = `${fn} ${where}`;
    const entry = fns.get(key) ?? { fn, where, selfMs: 0 };
    entry.selfMs += ms;
    fns.set(key, entry);
    const area = f.url ? areaOf(f.url) : fn.startsWith('(') ? fn : '(native / V8)';
    areas.set(area, (areas.get(area) ?? 0) + ms);
  }
  const busy = Math.max(1e-9, total - idle);
  const pct = (ms: number) => round((ms / busy) * 100, 1);
  // CPU.<date>.<time>.<pid>.<threadId>.<seq>.cpuprofile: thread 0 is the main thread.
  const threadId = basename(file).split('.')[4] ?? '?';
  return {
    file: basename(file),
    thread: threadId === '0' ? 'main' : `thread ${threadId}`,
    role: roleOf(threadId, p),
    sampledMs: round(total, 0),
    idlePercent: round((idle / Math.max(1e-9, total)) * 100, 1),
    top: [...fns.values()]
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, topN)
      .map((e) => ({ ...e, selfMs: round(e.selfMs, 1), percent: pct(e.selfMs) })),
    areas: [...areas]
      .sort((a, b) => b[1] - a[1])
      .slice(0, topN)
      .map(([area, ms]) => ({ area, selfMs: round(ms, 1), percent: pct(ms) })),
  };
}

export function summarizeDir(dir: string, topN = 12, span?: Span): ProfileSummary[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => summarizeProfile(join(dir, f), topN, span));
}

export function formatProfile(s: ProfileSummary): string {
  const lines = [
    `${s.thread}, ${s.role} (${s.file}): ${s.sampledMs} ms sampled, ${s.idlePercent}% idle; of the busy time:`,
    ...s.areas.map((a) => `  ${a.percent.toFixed(1).padStart(5)}%  ${a.area}`),
    '  top functions by self time:',
    ...s.top.map((t) => `  ${t.percent.toFixed(1).padStart(5)}%  ${t.fn}  ${t.where}`),
  ];
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const file of process.argv.slice(2))
    process.stdout.write(`${formatProfile(summarizeProfile(file))}\n`);
}

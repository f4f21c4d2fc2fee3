// Figure 1 (and the burst side of 4): bot CLI processes ramp the number of players; over a
// steady window after every match has started, the server's CPU (/proc, all threads), RSS
// and RoomHost tick lag, and the bots' own reports.
import type { BotResult } from '../../server/src/bot/run.js';
import { jsonLines, tsx, type Child } from './children.js';
import { cpuMs, cpuMsOf, machineCpu, rssKb, rssKbOf, threadCpu, threadDelta } from './proc.js';
import { progress, sleep, until } from './progress.js';
import type { BenchServer } from './server.js';
import { median, round, summarize, type Summary } from './stats.js';

export const BOTS_PER_PROCESS = 25;
const STAGGER_MS = 2_500;
export const BOT_PASSWORD = 'bench password';
const SETTLE_MS = 1_000;
/** RoomHost keeps this many recent tick samples per worker (SampleWindow). */
export const SAMPLE_WINDOW = 2048;
const POLL_MS = 250;
const STALL_MS = 12_000;

export interface Idle {
  /** Server CPU with no players (HTTP process and room worker processes), % of one core. */
  readonly cpuPercent: number;
  /** RSS of the HTTP process and the room worker processes together. */
  readonly rssKb: number;
  readonly processes: ProcessSplit;
}

/** The server's two kinds of process apart: the HTTP process and its room worker process(es). */
export interface ProcessSplit {
  readonly http: { readonly cpuPercent: number; readonly rssKb: number };
  readonly rooms: { readonly cpuPercent: number; readonly rssKb: number; readonly pids: number };
}

export interface RampStep {
  readonly players: number;
  readonly botProcesses: number;
  /** Spawning the bots → every player in a running match. */
  readonly allInMs: number | null;
  readonly windowSec: number;
  /** Fewest players connected at any poll of the window. */
  readonly playersMin: number;
  /** HTTP process + room worker process(es). */
  readonly serverCpuPercent: number;
  readonly processes: ProcessSplit;
  readonly cpuMsPerPlayerSecond: number;
  /** The same, less the idle server's CPU. */
  readonly marginalCpuMsPerPlayerSecond: number;
  /**
   * CPU over the window, % of one core: the HTTP process's main thread, the room worker
   * process(es) whole (the rooms' JS, libdatachannel's native threads, their libuv and V8
   * helpers), and the HTTP process's other threads.
   */
  readonly threadsCpuPercent: {
    readonly main: number;
    readonly rooms: number;
    readonly others: number;
  };
  readonly botCpuPercent: number;
  /** Every process on the machine, % of one core (200 = both cores of a 2-core machine). */
  readonly machineBusyPercent: number;
  /** HTTP process + room worker process(es). */
  readonly rssKb: number;
  /** RSS growth from just before the step (after a full GC of the main thread) ÷ players. */
  readonly rssKbPerPlayer: number;
  readonly rssKbBefore: number;
  /** The main thread's V8 heap in use during the window (the worker's is not visible). */
  readonly mainHeapUsedKb: number;
  /** RSS once every match of the step has ended: what the step left behind. */
  readonly rssKbAfter: number;
  /** Per poll window of RoomHost stats: median of the p50s and p99s, and the largest max. */
  readonly tickLagMs: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly tickMs: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly bots: BotSummary;
  /** The server's last log lines (warnings and errors), when a bot failed. */
  readonly serverLog?: string;
}

export interface BotSummary {
  readonly n: number;
  readonly failed: number;
  /** Why bots failed, with how many did. */
  readonly errors: Readonly<Record<string, number>>;
  readonly connectMs: Summary;
  readonly timeToMatchMs: Summary;
  /** Per pair: the second arrival's time to match (queueing → answered, no waiting). */
  readonly pairingMs: Summary;
  readonly bytesPerSecond: number;
  readonly snapshotHz: number;
  readonly rttMs: { readonly p50: number; readonly p99: number };
}

export async function measureIdle(server: BenchServer, ms: number): Promise<Idle> {
  const rooms = await server.roomPids();
  const h0 = cpuMs(server.pid);
  const r0 = cpuMsOf(rooms);
  const t0 = performance.now();
  await sleep(ms);
  const split = processSplit(server.pid, rooms, h0, r0, performance.now() - t0);
  return {
    cpuPercent: round(split.http.cpuPercent + split.rooms.cpuPercent, 1),
    rssKb: split.http.rssKb + split.rooms.rssKb,
    processes: split,
  };
}

/** CPU since (h0, r0) and RSS now, of the HTTP process and the room processes apart. */
function processSplit(
  pid: number,
  rooms: readonly number[],
  h0: number,
  r0: number,
  ms: number,
): ProcessSplit {
  const pct = (cpu: number) => round((cpu / ms) * 100, 1);
  return {
    http: { cpuPercent: pct(cpuMs(pid) - h0), rssKb: rssKb(pid) },
    rooms: { cpuPercent: pct(cpuMsOf(rooms) - r0), rssKb: rssKbOf(rooms), pids: rooms.length },
  };
}

/** How `players` bots split into bot CLI processes: each one's --username and --count. */
function botProcesses(players: number, prefix: string): { username: string; count: number }[] {
  const procs = Math.ceil(players / BOTS_PER_PROCESS);
  return Array.from({ length: procs }, (_, i) => ({
    username: `${prefix}${i}`,
    count: Math.floor(players / procs) + (i < players % procs ? 1 : 0),
  }));
}

/** The accounts the bots of spawnBots(…, players, prefix) play as (the CLI's naming). */
export function botNames(players: number, prefix: string): string[] {
  return botProcesses(players, prefix).flatMap(({ username, count }) =>
    count === 1 ? [username] : Array.from({ length: count }, (_, k) => `${username}-${k + 1}`),
  );
}

/**
 * Bots that play until the server ends their match (BenchServer.endAll), at most an hour.
 * One process per BOTS_PER_PROCESS bots, started STAGGER_MS apart: each process logs all its
 * bots in at once, and more than a few dozen simultaneous logins overwhelm the local
 * Cognito emulator (`Network error`, 503), which is not what the ramp measures.
 */
export async function spawnBots(
  url: string,
  players: number,
  prefix: string,
  seconds = 3600,
): Promise<Child[]> {
  const children: Child[] = [];
  for (const { username, count } of botProcesses(players, prefix)) {
    if (children.length > 0) await sleep(STAGGER_MS);
    children.push(
      tsx(
        'server/src/bot/cli.ts',
        [
          ...['--url', url, '--username', username, '--password', BOT_PASSWORD, '--signup'],
          ...['--count', String(count), '--seconds', String(seconds), '--json'],
        ],
        (seconds + 120) * 1000,
      ),
    );
  }
  return children;
}

/**
 * Ends every match until every bot process has reported and exited (a pair that formed late
 * is ended too). A bot left alone in the queue (its would-be opponent failed before
 * queueing) gets a one-bot partner, so that it too plays, is ended and reports: the CLI
 * prints its reports only when all its bots are done. Whatever still runs after `graceMs`
 * is killed, and its process's reports are lost.
 */
export async function finishBots(
  server: BenchServer,
  bots: readonly Child[],
  graceMs = 30_000,
): Promise<BotResult[]> {
  const all = [...bots];
  let exited = 0;
  const done = all.map(watch);
  function watch(b: Child) {
    return b.done.then((d) => {
      exited++;
      return d;
    });
  }
  const deadline = performance.now() + graceMs;
  let fillers = 0;
  let filling: Promise<unknown> | undefined;
  while (exited < all.length && performance.now() < deadline) {
    await server.endAll().catch(() => undefined);
    if (!filling && (await server.queueLength().catch(() => 0)) % 2 === 1) {
      const [filler] = await spawnBots(server.url, 1, `fill${fillers++}-`, 1);
      if (filler) {
        all.push(filler);
        done.push(watch(filler));
        filling = filler.done.finally(() => (filling = undefined));
      }
    }
    await Promise.race([Promise.all(done), sleep(2_000)]);
  }
  if (exited < all.length) for (const b of all) b.kill();
  const results = (await Promise.all(done))
    .flatMap((d) => jsonLines<BotResult>(d.stdout))
    .filter((r) => !r.username.startsWith('fill'));
  await until(async () => (await server.stats()).matches === 0, 10_000);
  return results;
}

export function summarizeBots(results: readonly BotResult[]): BotSummary {
  const ok = results.filter((r) => r.result !== 'failed');
  const pick = (f: (r: BotResult) => number | undefined) =>
    ok.map(f).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const byMatch = new Map<string, number[]>();
  for (const r of ok) {
    if (!r.matchId || r.timeToMatchMs === undefined) continue;
    byMatch.set(r.matchId, [...(byMatch.get(r.matchId) ?? []), r.timeToMatchMs]);
  }
  const pairing = [...byMatch.values()].filter((t) => t.length === 2).map((t) => Math.min(...t));
  const errors: Record<string, number> = {};
  for (const r of results) {
    if (r.result === 'failed') errors[r.error ?? '?'] = (errors[r.error ?? '?'] ?? 0) + 1;
  }
  return {
    n: results.length,
    failed: results.length - ok.length,
    errors,
    connectMs: summarize(pick((r) => r.connectMs)),
    timeToMatchMs: summarize(pick((r) => r.timeToMatchMs)),
    pairingMs: summarize(pairing),
    bytesPerSecond: median(pick((r) => r.bytesPerSecond)),
    snapshotHz: median(pick((r) => r.snapshotHz)),
    rttMs: {
      p50: median(pick((r) => r.rttMs?.p50)),
      p99: summarize(pick((r) => r.rttMs?.p99)).p99,
    },
  };
}

/**
 * Waits until `players` are in running matches. Logins come first and take a while (no
 * player is in a match meanwhile), so it gives up only once the count has stopped growing
 * for STALL_MS after the first match started (a bot failed, or the machine cannot take more),
 * or at the overall limit. False then.
 */
export async function allPlaying(server: BenchServer, players: number): Promise<boolean> {
  const deadline = performance.now() + 30_000 + players * 200;
  let best = 0;
  let grewAt = performance.now();
  while (performance.now() < deadline) {
    const now = (await server.stats()).players;
    if (now >= players) return true;
    if (now > best) [best, grewAt] = [now, performance.now()];
    else if (best > 0 && performance.now() - grewAt > STALL_MS) return false;
    await sleep(POLL_MS);
  }
  return false;
}

export async function rampStep(
  server: BenchServer,
  idle: Pick<Idle, 'cpuPercent'>,
  players: number,
  windowMs: number,
): Promise<RampStep> {
  await server.gc();
  // The room workers are child processes of their own: counted beside the HTTP process.
  const roomPids = await server.roomPids();
  const rssOf = () => rssKb(server.pid) + rssKbOf(roomPids);
  const rssBefore = rssOf();
  const spawned = performance.now();
  const bots = await spawnBots(server.url, players, 'rb');
  progress(`  ${players} players: ${bots.length} bot process(es)`);
  const allIn = await allPlaying(server, players);
  const allInMs = allIn ? performance.now() - spawned : null;
  if (!allIn) progress(`  ${players} players: not all in a match; measuring what runs`);
  // Until RoomHost's sample window holds only ticks of the full set of running matches.
  // (at most 5 s: with few players the window spans longer than is worth waiting).
  await sleep(Math.max(SETTLE_MS, Math.min(5_000, (SAMPLE_WINDOW / (players * 30)) * 1000)));

  const t0 = performance.now();
  const cpu0 = cpuMs(server.pid);
  const rooms0 = cpuMsOf(roomPids);
  const threads0 = threadCpu(server.pid);
  const bot0 = bots.map((b) => safeCpu(b.pid));
  const machine0 = machineCpu();
  const polls: Awaited<ReturnType<BenchServer['stats']>>[] = [];
  while (performance.now() - t0 < windowMs) {
    await sleep(POLL_MS);
    polls.push(await server.stats());
  }
  const sec = (performance.now() - t0) / 1000;
  const split = processSplit(server.pid, roomPids, cpu0, rooms0, sec * 1000);
  const roomsCpu = cpuMsOf(roomPids) - rooms0;
  const cpu = cpuMs(server.pid) - cpu0 + roomsCpu;
  const threads = threadDelta(
    server.pid,
    await server.roomThreads(),
    threads0,
    threadCpu(server.pid),
  );
  const botCpu = bots.reduce((n, b, i) => n + Math.max(0, safeCpu(b.pid) - (bot0[i] ?? 0)), 0);
  const rss = rssOf();
  const heap = (await server.memory()).heapUsed;
  const machineBusy = machineCpu().busyMs - machine0.busyMs;

  const results = await finishBots(server, bots);
  await sleep(1_000);
  const rssAfter = rssOf();
  const perPlayerSec = players * sec;
  const cpuPct = (ms: number) => round((ms / sec / 1000) * 100, 1);
  return {
    players,
    botProcesses: bots.length,
    allInMs: allInMs === null ? null : round(allInMs, 0),
    windowSec: round(sec, 2),
    playersMin: Math.min(...polls.map((p) => p.players)),
    serverCpuPercent: cpuPct(cpu),
    processes: split,
    cpuMsPerPlayerSecond: round(cpu / perPlayerSec, 4),
    marginalCpuMsPerPlayerSecond: round(
      (cpu - (idle.cpuPercent / 100) * sec * 1000) / perPlayerSec,
      4,
    ),
    threadsCpuPercent: {
      main: cpuPct(threads.main),
      rooms: cpuPct(threads.rooms + roomsCpu),
      others: cpuPct(threads.others),
    },
    botCpuPercent: cpuPct(botCpu),
    machineBusyPercent: cpuPct(machineBusy),
    rssKb: rss,
    rssKbPerPlayer: round((rss - rssBefore) / players, 1),
    rssKbBefore: rssBefore,
    mainHeapUsedKb: Math.round(heap / 1024),
    rssKbAfter: rssAfter,
    tickLagMs: windowed(polls.map((p) => p.tickLagMs)),
    tickMs: windowed(polls.map((p) => p.tickMs)),
    bots: summarizeBots(results),
    ...(results.some((b) => b.result === 'failed')
      ? { serverLog: server.output().slice(-2_000) }
      : {}),
  };
}

/** Bot processes may exit before the window's end reading. */
function safeCpu(pid: number): number {
  try {
    return cpuMs(pid);
  } catch {
    return 0;
  }
}

export function windowed(ps: readonly { p50: number; p99: number; max: number }[]) {
  return {
    p50: round(median(ps.map((p) => p.p50))),
    p99: round(median(ps.map((p) => p.p99))),
    max: round(Math.max(0, ...ps.map((p) => p.max))),
  };
}

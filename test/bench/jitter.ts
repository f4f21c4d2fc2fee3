// Figure 5: RoomHost tick lag while autocannon saturates GET /api/me, with the rooms in their
// worker thread or (a second server) inline on the HTTP thread. A few bot matches run
// throughout; the lag is read before any load (baseline), during the GET /api/me load, and
// during back-to-back logins (each one a burst of synchronous CPU on the HTTP thread).
import { ApiClient } from '../../shared/src/net/api-client.js';
import { cpuMsOf, threadCpu, threadDelta } from './proc.js';
import { progress, sleep } from './progress.js';
import {
  allPlaying,
  BOT_PASSWORD,
  botNames,
  finishBots,
  SAMPLE_WINDOW,
  spawnBots,
  windowed,
} from './ramp.js';
import { autocannon, ensureAccounts, loggedIn, type LoadFigures } from './rest.js';
import type { BenchServer } from './server.js';
import { round } from './stats.js';

const TICK_RATE = 60;
/** Concurrent login-and-logout loops of the login phase. */
const LOGIN_LOOPS = 4;

type Lag = { readonly p50: number; readonly p99: number; readonly max: number };

export interface LagUnderLoad {
  /** Per sample window read during the load: the median p50 and p99, the worst max. */
  readonly tickLagMs: Lag;
  /** The worst window's p99. */
  readonly worstWindowP99: number;
  readonly windows: number;
  /**
   * Server CPU during the load, % of one core: the HTTP main thread, the room worker
   * process(es), the HTTP process's other threads (see RampStep.threadsCpuPercent).
   */
  readonly serverCpuPercent: {
    readonly main: number;
    readonly rooms: number;
    readonly others: number;
  };
}

export interface JitterFigures extends LagUnderLoad {
  readonly rooms: 'worker' | 'inline';
  readonly matches: number;
  /** Tick lag with the bots playing and no load. */
  readonly baselineTickLagMs: Lag;
  /** During the GET /api/me load (the fields this interface extends). */
  readonly rest: LoadFigures;
  /** During LOGIN_LOOPS loops of login + logout. */
  readonly logins: LagUnderLoad & { readonly loginsPerSecond: number };
}

/** Reads the tick lag while `load` runs, from sample windows that began after it did. */
export async function lagDuring<T>(
  server: BenchServer,
  windowMs: number,
  load: () => Promise<T>,
): Promise<LagUnderLoad & { value: T }> {
  const started = performance.now();
  const threads0 = threadCpu(server.pid);
  const roomPids = await server.roomPids();
  const rooms0 = cpuMsOf(roomPids);
  let running = true;
  const work = load().finally(() => (running = false));
  const polls: Lag[] = [];
  while (running) {
    await sleep(500);
    if (running && performance.now() - started >= windowMs)
      polls.push((await server.stats()).tickLagMs);
  }
  const value = await work;
  const sec = (performance.now() - started) / 1000;
  const t = threadDelta(server.pid, await server.roomThreads(), threads0, threadCpu(server.pid));
  // The room worker process, whole, with whatever room threads the HTTP process has.
  t.rooms += cpuMsOf(roomPids) - rooms0;
  // A load shorter than one window: the last read covers all of it, and some time before.
  if (polls.length === 0) polls.push((await server.stats()).tickLagMs);
  const pct = (ms: number) => round((ms / sec / 1000) * 100, 1);
  return {
    value,
    tickLagMs: windowed(polls),
    worstWindowP99: round(Math.max(...polls.map((p) => p.p99))),
    windows: polls.length,
    serverCpuPercent: { main: pct(t.main), rooms: pct(t.rooms), others: pct(t.others) },
  };
}

/** LOGIN_LOOPS accounts logging in and out back to back for `seconds`; logins per second. */
async function loginLoops(api: ApiClient, prefix: string, seconds: number): Promise<number> {
  const accounts = Array.from({ length: LOGIN_LOOPS }, (_, i) => ({
    username: `${prefix}-${i}`,
    password: 'bench password',
  }));
  await Promise.all(accounts.map((a) => loggedIn(api, a).then((t) => api.logout(t))));
  const until = performance.now() + seconds * 1000;
  let logins = 0;
  await Promise.all(
    accounts.map(async (a) => {
      while (performance.now() < until) {
        await api.logout((await api.login(a.username, a.password)).accessToken);
        logins++;
      }
    }),
  );
  return logins / seconds;
}

export async function jitter(
  server: BenchServer,
  o: { players: number; seconds: number; connections: number },
): Promise<JitterFigures> {
  const rooms = server.inline ? 'inline' : 'worker';
  const api = new ApiClient(server.url);
  const token = await loggedIn(api, { username: `jit-${rooms}`, password: 'bench password' });
  await ensureAccounts(api, botNames(o.players, `jb${rooms}`), BOT_PASSWORD);
  const bots = await spawnBots(server.url, o.players, `jb${rooms}`);
  await allPlaying(server, o.players);
  // Time for the sample window to hold only ticks of a running match set.
  const windowMs = (SAMPLE_WINDOW / ((o.players / 2) * TICK_RATE)) * 1000;
  await sleep(Math.min(windowMs, o.seconds * 1000) + 500);
  const baseline = (await server.stats()).tickLagMs;
  progress(`  ${rooms}: ${o.players} bots; GET /api/me × ${o.connections} for ${o.seconds} s`);
  const { value: rest, ...underRest } = await lagDuring(server, windowMs, () =>
    autocannon(`${server.url}/api/me`, { ...o, token }),
  );
  progress(`  ${rooms}: ${o.players} bots; ${LOGIN_LOOPS} login loops for ${o.seconds} s`);
  const { value: loginsPerSecond, ...underLogins } = await lagDuring(server, windowMs, () =>
    loginLoops(api, `jl${rooms}`, o.seconds),
  );
  await finishBots(server, bots);
  return {
    rooms,
    matches: o.players / 2,
    baselineTickLagMs: {
      p50: round(baseline.p50),
      p99: round(baseline.p99),
      max: round(baseline.max),
    },
    ...underRest,
    rest,
    logins: { ...underLogins, loginsPerSecond: round(loginsPerSecond, 1) },
  };
}

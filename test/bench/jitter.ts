// Figure 5: RoomHost tick lag while autocannon saturates GET /api/me, with the rooms in their
// worker thread or (a second server) inline on the HTTP thread. A few bot matches run
// throughout; the lag is read before the load (baseline) and during it.
import { ApiClient } from '../../shared/src/net/api-client.js';
import { threadCpu, threadDelta } from './proc.js';
import { progress, sleep, until } from './progress.js';
import { finishBots, SAMPLE_WINDOW, spawnBots, windowed } from './ramp.js';
import { autocannon, loggedIn, type LoadFigures } from './rest.js';
import type { BenchServer } from './server.js';
import { round } from './stats.js';

const TICK_RATE = 60;

export interface JitterFigures {
  readonly rooms: 'worker' | 'inline';
  readonly matches: number;
  /** Tick lag with the bots playing and no REST load. */
  readonly baselineTickLagMs: { readonly p50: number; readonly p99: number; readonly max: number };
  /** Tick lag during the REST load: per sample window, the median p50 and p99, the worst max. */
  readonly tickLagMs: { readonly p50: number; readonly p99: number; readonly max: number };
  /** The worst window's p99. */
  readonly worstWindowP99: number;
  readonly windows: number;
  readonly rest: LoadFigures;
  /** Server CPU during the load, % of one core, by thread (see RampStep.threadsCpuPercent). */
  readonly serverCpuPercent: {
    readonly main: number;
    readonly rooms: number;
    readonly others: number;
  };
}

export async function jitter(
  server: BenchServer,
  o: { players: number; seconds: number; connections: number },
): Promise<JitterFigures> {
  const rooms = server.inline ? 'inline' : 'worker';
  const token = await loggedIn(new ApiClient(server.url), {
    username: `jit-${rooms}`,
    password: 'bench password',
  });
  const bots = spawnBots(server.url, o.players, `jb${rooms}`);
  await until(async () => (await server.stats()).players >= o.players, 60_000);
  // Time for the sample window to hold only ticks of a running match set.
  const windowMs = (SAMPLE_WINDOW / ((o.players / 2) * TICK_RATE)) * 1000;
  await sleep(Math.min(windowMs, o.seconds * 1000) + 500);
  const baseline = (await server.stats()).tickLagMs;
  progress(
    `  ${rooms}: ${o.players} bots playing; GET /api/me × ${o.connections} for ${o.seconds} s`,
  );

  const started = performance.now();
  const threads0 = threadCpu(server.pid);
  const load = autocannon(`${server.url}/api/me`, { ...o, token });
  let loading = true;
  void load.finally(() => (loading = false));
  const polls = [];
  while (loading) {
    await sleep(500);
    // Only windows that hold nothing from before the load began.
    if (loading && performance.now() - started >= windowMs)
      polls.push((await server.stats()).tickLagMs);
  }
  const rest = await load;
  const sec = (performance.now() - started) / 1000;
  const threads = threadDelta(
    server.pid,
    await server.roomThreads(),
    threads0,
    threadCpu(server.pid),
  );
  // A load shorter than one window: the last read covers all of it, and some time before.
  if (polls.length === 0) polls.push((await server.stats()).tickLagMs);
  await finishBots(server, bots);
  const pct = (ms: number) => round((ms / sec / 1000) * 100, 1);
  return {
    rooms,
    matches: o.players / 2,
    baselineTickLagMs: {
      p50: round(baseline.p50),
      p99: round(baseline.p99),
      max: round(baseline.max),
    },
    tickLagMs: windowed(polls),
    worstWindowP99: round(Math.max(...polls.map((p) => p.p99))),
    windows: polls.length,
    rest,
    serverCpuPercent: {
      main: pct(threads.main),
      rooms: pct(threads.rooms),
      others: pct(threads.others),
    },
  };
}

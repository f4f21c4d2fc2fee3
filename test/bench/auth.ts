// The auth side of the server, side by side in one run: the platform as it is (logins through
// InitiateAuth, the session cache on) and a reference server of the old ways (logins through
// amazon-cognito-identity-js's authenticateUser, SESSION_CACHE=false), on the same DATA_DIR.
// For each: a burst of logins with bot matches playing (main-thread CPU per login from
// /proc/<pid>/task/<pid>, tick lag of the room worker meanwhile), and GET /api/me under
// autocannon with the DynamoDB writes per request read from the server's session-check counts.
import { getPriority } from 'node:os';
import { ApiClient } from '../../shared/src/net/api-client.js';
import { ownThreads, scheduleThreads } from '../../server/src/match/priority.js';
import { childPids, cpuMs, renice, threadCpu } from './proc.js';
import { lagDuring, type LagUnderLoad } from './jitter.js';
import { progress, sleep } from './progress.js';
import {
  allPlaying,
  BOT_PASSWORD,
  botNames,
  finishBots,
  SAMPLE_WINDOW,
  spawnBots,
} from './ramp.js';
import { autocannon, ensureAccounts, loggedIn, type LoadFigures } from './rest.js';
import { startBenchServer, type BenchServer, type SessionChecks } from './server.js';
import { round, summarize, type Summary } from './stats.js';

const PASSWORD = 'bench password';
const TICK_RATE = 60;
const SETTLE_MS = 10_000;
/** The room process's priority in the burst that shows what ROOM_NICE changes. */
const RAISED_NICE = -10;
/** The SCHED_FIFO priority of the burst that shows what ROOM_RT_PRIORITY changes. */
const RT_PRIORITY = 1;

export interface AuthPlan {
  /** Logins of the burst, each of its own account (created beforehand, not measured). */
  readonly logins: number;
  /** Logins in flight at once: "as fast as the emulator allows". */
  readonly concurrency: number;
  /** Bot players in matches during the burst, for the tick lag. */
  readonly players: number;
  readonly connections: number;
  readonly seconds: number;
}

export interface LoginBurst extends LagUnderLoad {
  readonly logins: number;
  readonly concurrency: number;
  readonly loginsPerSecond: number;
  /** CPU of the HTTP process's main thread ÷ logins (the emulators are child processes). */
  readonly mainThreadCpuMsPerLogin: number;
  /** CPU of the whole HTTP process ÷ logins (cognito-local's child process is not in it). */
  readonly processCpuMsPerLogin: number;
  readonly latencyMs: Summary;
  readonly failed: number;
}

export interface MeLoad {
  readonly load: LoadFigures;
  /** Session checks during the load, by how each was served. */
  readonly sessionChecks: Required<SessionChecks>;
  /** Lease renewals (one conditional UpdateItem each) ÷ authenticated requests answered. */
  readonly dynamoWritesPerRequest: number;
  /**
   * CPU of the HTTP process (not its emulators' child processes) ÷ requests answered:
   * what a request costs whatever else the machine runs. 1000 ÷ it = req/s per core.
   */
  readonly serverCpuMsPerRequest: number;
}

export interface AuthSide {
  readonly server: string;
  readonly burst: LoginBurst;
  /**
   * The same burst again with the load generators (this runner, whose logins are the load, and
   * the bots) and the emulators at nice 10: on this 2-core machine they would otherwise take the
   * cores the server's processes wait for, which on a real host are other machines' (players,
   * Cognito, DynamoDB).
   */
  readonly burstIsolated: LoginBurst;
  /** The room process's nice value during `burst` and `burstIsolated` (ROOM_NICE, or 0). */
  readonly roomsNice: number;
  /**
   * The plain burst again with every thread of the room process at the other nice value: -10
   * where it ran at 0 (as ROOM_NICE=-10 has it), 0 where it ran below. What ROOM_NICE changes,
   * in the same run. Absent when this runner may not raise a priority (no CAP_SYS_NICE).
   */
  readonly burstOtherNice?: LoginBurst & { readonly roomsNice: number };
  /**
   * The plain burst again with the room process's own threads SCHED_FIFO at RT_PRIORITY (its
   * main thread, the clock thread, V8's and libuv's; libdatachannel's keep normal scheduling),
   * as ROOM_RT_PRIORITY=1 sets them. Absent when this runner may not (no CAP_SYS_NICE or chrt).
   */
  readonly burstRealtime?: LoginBurst & { readonly rtPriority: number };
  readonly me: MeLoad;
}

export interface AuthFigures {
  readonly platform: AuthSide;
  readonly reference: AuthSide;
  readonly note: string;
}

async function loginBurst(server: BenchServer, names: readonly string[], concurrency: number) {
  const api = new ApiClient(server.url);
  const queue = [...names];
  const latency: number[] = [];
  const tokens: string[] = [];
  let failed = 0;
  const main0 = threadCpu(server.pid).find((t) => t.tid === server.pid)?.cpuMs ?? 0;
  const proc0 = cpuMs(server.pid);
  const t0 = performance.now();
  const worker = async () => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      const s = performance.now();
      try {
        tokens.push((await api.login(name, PASSWORD)).accessToken);
        latency.push(performance.now() - s);
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const sec = (performance.now() - t0) / 1000;
  const main = (threadCpu(server.pid).find((t) => t.tid === server.pid)?.cpuMs ?? 0) - main0;
  const proc = cpuMs(server.pid) - proc0;
  // Outside the measurement: the accounts are free for the next server's burst.
  await Promise.all(tokens.map((t) => api.logout(t).catch(() => undefined)));
  const ok = Math.max(1, names.length - failed);
  return {
    logins: names.length,
    concurrency,
    loginsPerSecond: round(names.length / sec, 1),
    mainThreadCpuMsPerLogin: round(main / ok, 2),
    processCpuMsPerLogin: round(proc / ok, 2),
    latencyMs: summarize(latency),
    failed,
  };
}

async function meLoad(server: BenchServer, o: AuthPlan, who: string): Promise<MeLoad> {
  const token = await loggedIn(new ApiClient(server.url), { username: who, password: PASSWORD });
  const before = await server.sessionChecks();
  const cpu0 = cpuMs(server.pid);
  const load = await autocannon(`${server.url}/api/me`, { ...o, token });
  const cpu = cpuMs(server.pid) - cpu0;
  const after = await server.sessionChecks();
  const delta = (k: keyof SessionChecks) => (after[k] ?? 0) - (before[k] ?? 0);
  const checks = { cache: delta('cache'), renewed: delta('renewed'), refused: delta('refused') };
  return {
    load,
    sessionChecks: checks,
    dynamoWritesPerRequest: round(checks.renewed / Math.max(1, load.ok), 5),
    serverCpuMsPerRequest: round(cpu / Math.max(1, load.ok), 3),
  };
}

async function side(server: BenchServer, o: AuthPlan, tag: string): Promise<AuthSide> {
  const names = Array.from({ length: o.logins }, (_, i) => `al-${i}`);
  const prefix = `ab${tag}`;
  await ensureAccounts(new ApiClient(server.url), botNames(o.players, prefix), BOT_PASSWORD);
  const bots = await spawnBots(server.url, o.players, prefix);
  await allPlaying(server, o.players);
  const windowMs = (SAMPLE_WINDOW / ((o.players / 2) * TICK_RATE)) * 1000;
  // Past the rooms' warm-up (JIT of a fresh server's worker) before the tick lag counts.
  await sleep(Math.max(windowMs, SETTLE_MS));
  progress(`  ${tag}: ${o.logins} logins, ${o.concurrency} at a time, ${o.players} bots playing`);
  const { value, ...lag } = await lagDuring(server, windowMs, () =>
    loginBurst(server, names, o.concurrency),
  );
  progress(`  ${tag}: the same burst, load generators and emulators at nice 10`);
  const rooms = await server.roomPids();
  const emulators = childPids(server.pid).filter((p) => !rooms.includes(p));
  const restore = renice([process.pid, ...bots.map((b) => b.pid), ...emulators]);
  let isolated;
  try {
    isolated = await lagDuring(server, windowMs, () => loginBurst(server, names, o.concurrency));
  } finally {
    restore();
  }
  const roomsNice = getPriority(rooms[0] ?? 0);
  const otherNice = roomsNice < 0 ? 0 : RAISED_NICE;
  let other: (LoginBurst & { roomsNice: number }) | undefined;
  const restoreRooms = renice(rooms, otherNice);
  try {
    if (getPriority(rooms[0] ?? 0) === otherNice) {
      progress(`  ${tag}: the same burst, room process at nice ${otherNice}`);
      const { value: v, ...l } = await lagDuring(server, windowMs, () =>
        loginBurst(server, names, o.concurrency),
      );
      other = { ...v, ...l, roomsNice: otherNice };
    }
  } finally {
    restoreRooms();
  }
  const realtime = await realtimeBurst(tag, rooms, () =>
    lagDuring(server, windowMs, () => loginBurst(server, names, o.concurrency)),
  );
  await finishBots(server, bots);
  progress(`  ${tag}: GET /api/me × ${o.connections} connections for ${o.seconds} s`);
  const me = await meLoad(server, o, `am-${tag}`);
  const { value: isolatedValue, ...isolatedLag } = isolated;
  return {
    server: tag,
    burst: { ...value, ...lag },
    burstIsolated: { ...isolatedValue, ...isolatedLag },
    roomsNice,
    ...(other ? { burstOtherNice: other } : {}),
    ...(realtime ? { burstRealtime: realtime } : {}),
    me,
  };
}

/**
 * `burst` with the room processes' own threads SCHED_FIFO, as ROOM_RT_PRIORITY would set them,
 * and back to normal scheduling after; undefined where this runner may not set it.
 */
async function realtimeBurst(
  tag: string,
  rooms: readonly number[],
  burst: () => Promise<LagUnderLoad & { value: Omit<LoginBurst, keyof LagUnderLoad> }>,
): Promise<(LoginBurst & { rtPriority: number }) | undefined> {
  const tids = rooms.flatMap((pid) => ownThreads(pid));
  const set = scheduleThreads(tids, RT_PRIORITY);
  if (set.refused) {
    progress(`  ${tag}: no SCHED_FIFO burst: ${set.refused}`);
    return undefined;
  }
  try {
    progress(`  ${tag}: the same burst, the room process's own threads SCHED_FIFO ${RT_PRIORITY}`);
    const { value, ...lag } = await burst();
    return { ...value, ...lag, rtPriority: RT_PRIORITY };
  } finally {
    scheduleThreads(tids, 0);
  }
}

/** Both servers one after the other on one DATA_DIR (the accounts are made once). */
export async function authBench(o: AuthPlan, dataDir: string): Promise<AuthFigures> {
  const platform = await startBenchServer({ dataDir });
  let mine: AuthSide;
  try {
    progress(`auth: ${o.logins} accounts (sign-ups are not what is measured)`);
    await ensureAccounts(
      new ApiClient(platform.url),
      Array.from({ length: o.logins }, (_, i) => `al-${i}`),
      PASSWORD,
    );
    mine = await side(platform, o, 'platform');
  } finally {
    await platform.stop(true);
  }
  progress('auth: reference server (library login, SESSION_CACHE=false)');
  const reference = await startBenchServer({ dataDir, referenceAuth: true });
  try {
    return {
      platform: mine,
      reference: await side(reference, o, 'reference'),
      note: 'platform: login via InitiateAuth, session cache on; reference: amazon-cognito-identity-js authenticateUser, SESSION_CACHE=false. Same DATA_DIR, one after the other. The emulators run in child processes, outside the main-thread and HTTP-process figures.',
    };
  } finally {
    await reference.stop(true);
  }
}

// npm run bench [-- --quick | --smoke] [--out DIR] [--profile | --no-profile] [--report FILE]
//   [--only auth|scale|geckos|netcode|sctp]  (just one part: the auth side by side
//   (test/bench/auth.ts), the processes (cross-node time to match and NODES=1 vs 2), the
//   geckos.io reference, the netcode scenario (bandwidth, latency, prediction, impairment), or
//   SCTP acknowledgements beside libdatachannel's default (needs root))
// The benchmark suite on loopback: progress on stderr, a table on stdout at the end, and
// every figure in bench/results/<ISO date-time>.json. The server under test runs in its own
// process; bots, bench players and autocannon in others; micro-benchmarks in this one.
// Method and latest results: docs/performance.md.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ApiClient } from '../../shared/src/net/api-client.js';
import { ROOM_MALLOC_ENV, roomProcessEnv } from '../../server/src/config.js';
import { authBench, type AuthPlan } from './auth.js';
import { jsonLines, root, tsx } from './children.js';
import { clusterBench } from './cluster.js';
import { crossNodeBench } from './cross-node-match.js';
import { figures } from './figures.js';
import { geckosComparison } from './geckos.js';
import { jitter } from './jitter.js';
import { redisMatchmakingBench } from './matchmaking-redis.js';
import { sctpAcks } from './sctp-acks.js';
import { jwtBench, matchHeapBench, matchmakerBench, simBench } from './micro.js';
import { netcode } from './netcode.js';
import { machineCpu } from './proc.js';
import { profilePass } from './profile-pass.js';
import { progress } from './progress.js';
import { BOT_PASSWORD, botNames, BOTS_PER_PROCESS, measureIdle, rampStep } from './ramp.js';
import { machine, type Results } from './report.js';
import { autocannon, calibrate, ensureAccounts, loggedIn, loginLatency } from './rest.js';
import { startBenchServer, type BenchServer } from './server.js';
import { round } from './stats.js';
import {
  authTable,
  clusterTable,
  curveTable,
  geckosTable,
  jitterTable,
  profileTable,
  table,
} from './tables.js';
import { DATAGRAM_OVERHEAD, OVERHEAD_BYTES } from './wire.js';

const NETCODE_PLAYERS = [
  ...['idle', 'idle'],
  ...['probe', 'probe', 'probe', 'probe'],
  ...['pilot', 'pilot'],
  ...['pilot:impaired', 'pilot:impaired', 'pilot:impaired', 'pilot:impaired'],
];

const PLANS = {
  full: {
    micro: {
      simTicks: 30_000,
      jwt: 10_000,
      matchmaker: 200_000,
      matchHeap: 50,
      redisTickets: 100_000,
      redisLatencyPairs: 2_000,
    },
    idleMs: 3_000,
    peerMemory: 100,
    warmup: 10,
    ramp: [20, 50, 100, 200, 400],
    rampWindowMs: 8_000,
    netcode: { seconds: 15, players: NETCODE_PLAYERS },
    rest: { seconds: 10, connections: 50, logins: 40, calibrateSeconds: 5 },
    jitter: { players: 16, seconds: 10, connections: 50 },
    auth: { logins: 200, concurrency: 8, players: 16, connections: 50, seconds: 10 },
    inline: true,
    profile: true,
    scale: { crossNodePairs: 40, clusterPlayers: 40, clusterWindowMs: 8_000 },
    geckos: { sizes: [20, 40, 100], windowMs: 8_000 },
    sctp: { pairs: 20, seconds: 5 } as SctpPlan | null,
  },
  quick: {
    micro: {
      simTicks: 10_000,
      jwt: 3_000,
      matchmaker: 50_000,
      matchHeap: 20,
      redisTickets: 30_000,
      redisLatencyPairs: 500,
    },
    idleMs: 1_500,
    peerMemory: 50,
    warmup: 0,
    ramp: [20, 50],
    rampWindowMs: 3_000,
    netcode: { seconds: 4, players: NETCODE_PLAYERS },
    rest: { seconds: 3, connections: 50, logins: 8, calibrateSeconds: 1 },
    jitter: { players: 16, seconds: 3, connections: 50 },
    auth: { logins: 50, concurrency: 8, players: 8, connections: 50, seconds: 3 },
    inline: true,
    profile: false,
    scale: { crossNodePairs: 10, clusterPlayers: 20, clusterWindowMs: 3_000 },
    geckos: { sizes: [20, 40], windowMs: 3_000 },
    sctp: { pairs: 20, seconds: 3 } as SctpPlan | null,
  },
  smoke: {
    micro: {
      simTicks: 2_000,
      jwt: 200,
      matchmaker: 10_000,
      matchHeap: 5,
      redisTickets: 2_000,
      redisLatencyPairs: 50,
    },
    idleMs: 500,
    peerMemory: 10,
    warmup: 0,
    ramp: [4],
    rampWindowMs: 2_000,
    netcode: {
      seconds: 3,
      players: ['idle', 'idle', 'probe', 'probe', 'pilot:impaired', 'pilot:impaired'],
    },
    rest: { seconds: 2, connections: 10, logins: 3, calibrateSeconds: 1 },
    jitter: { players: 4, seconds: 2, connections: 10 },
    // Two more servers would not fit the smoke run's time; `--only auth --smoke` runs it.
    auth: null as AuthPlan | null,
    inline: false,
    profile: false,
    // Each would start servers and bots of its own; `--only scale|geckos --smoke` runs them.
    scale: null as ScalePlan | null,
    geckos: null as GeckosPlan | null,
    // Needs root (a network namespace per side); `--only sctp --smoke` runs it.
    sctp: null as SctpPlan | null,
  },
};
interface ScalePlan {
  crossNodePairs: number;
  clusterPlayers: number;
  clusterWindowMs: number;
}
interface GeckosPlan {
  sizes: number[];
  windowMs: number;
}
interface SctpPlan {
  pairs: number;
  seconds: number;
}
type Plan = Omit<(typeof PLANS)['full'], 'auth' | 'scale' | 'geckos' | 'sctp'> & {
  auth: AuthPlan | null;
  scale: ScalePlan | null;
  geckos: GeckosPlan | null;
  sctp: SctpPlan | null;
};

const SMOKE_AUTH: AuthPlan = { logins: 5, concurrency: 2, players: 4, connections: 10, seconds: 2 };
const SMOKE_SCALE: ScalePlan = { crossNodePairs: 3, clusterPlayers: 4, clusterWindowMs: 2_000 };
const SMOKE_GECKOS: GeckosPlan = { sizes: [4], windowMs: 2_000 };
const SMOKE_SCTP: SctpPlan = { pairs: 4, seconds: 2 };
const ONLY = ['auth', 'scale', 'geckos', 'netcode', 'sctp'] as const;

const IMPAIRMENT = { loss: 0.05, delayMs: 50 };

function options() {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      smoke: { type: 'boolean', default: false },
      out: { type: 'string', default: join(root, 'bench', 'results') },
      profile: { type: 'boolean' },
      'no-profile': { type: 'boolean', default: false },
      report: { type: 'string' },
      only: { type: 'string' },
    },
    strict: true,
  });
  const mode = values.smoke ? 'smoke' : values.quick ? 'quick' : 'full';
  const plan: Plan = PLANS[mode];
  const profile = values['no-profile'] ? false : (values.profile ?? plan.profile);
  const only = values.only as (typeof ONLY)[number] | undefined;
  if (only !== undefined && !ONLY.includes(only))
    throw new Error(`--only takes: ${ONLY.join(', ')} (got ${values.only})`);
  return { mode, plan, out: values.out, profile, report: values.report, only } as const;
}

async function micro(r: Results, plan: Plan): Promise<void> {
  progress(`micro: sim step + encode, ${plan.micro.simTicks} ticks`);
  r.sim = simBench(plan.micro.simTicks);
  progress(`micro: JWT verify × ${plan.micro.jwt}`);
  r.jwt = await jwtBench(plan.micro.jwt);
  progress(`micro: heap of ${plan.micro.matchHeap} matches`);
  r.matchHeap = matchHeapBench(plan.micro.matchHeap);
  progress(`micro: matchmaker, ${plan.micro.matchmaker} enqueues`);
  const inMemory = await matchmakerBench(plan.micro.matchmaker);
  progress(`micro: matchmaking through the local Redis, ${plan.micro.redisTickets} tickets`);
  const redis = await redisMatchmakingBench({
    tickets: plan.micro.redisTickets,
    nodes: 3,
    inFlight: 256,
    latencyPairs: plan.micro.redisLatencyPairs,
  });
  r.matchmaker =
    'skipped' in redis ? { inMemory, redis: null, redisNote: redis.skipped } : { inMemory, redis };
}

/**
 * RSS per peer of the transport alone, in its own process (test/bench/peer-memory.ts): once
 * with the room process's environment (ROOM_MALLOC_ENV: two arenas, trimmed, as the server runs
 * it) and once with glibc's default malloc settings beside it, the reference.
 */
async function peerMemory(r: Results, connections: number): Promise<void> {
  type PeerMemory = NonNullable<Results['peerMemory']>;
  const measure = async (env: NodeJS.ProcessEnv): Promise<PeerMemory> => {
    const args = [String(connections)];
    const { stdout, stderr } = await tsx('test/bench/peer-memory.ts', args, 60_000, env).done;
    const [m] = jsonLines<PeerMemory>(stdout);
    if (!m) throw new Error(`peer-memory reported nothing: ${stderr}`);
    return m;
  };
  progress(`transport memory: ${connections} loopback connections, no game, room process env`);
  r.peerMemory = await measure(roomProcessEnv(withGlibcDefaults(process.env)));
  progress(`transport memory: the same with glibc's default malloc settings`);
  r.peerMemoryDefaultArenas = await measure(withGlibcDefaults(process.env));
}

/** The environment without the room process's malloc settings (ROOM_MALLOC_ENV). */
function withGlibcDefaults(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !(k in ROOM_MALLOC_ENV)));
}

/** Netcode, REST and tick jitter on the server with rooms in a worker thread. */
async function onWorkerServer(r: Results, plan: Plan, server: BenchServer): Promise<void> {
  progress(`netcode: ${plan.netcode.players.length} bench players for ${plan.netcode.seconds} s`);
  r.netcode = await netcode(server, { ...plan.netcode, ...IMPAIRMENT });
  await restLoad(r, plan, server);
  progress('jitter: rooms in a worker thread');
  r.jitter = { worker: await jitter(server, plan.jitter) };
}

/**
 * The ramp, on a server of its own: no garbage from the REST load in its memory figures, and
 * nothing a failed bot leaves in the queue can pair with another scenario's players. A small
 * unrecorded step first, so the room code is compiled (JIT) before anything is measured.
 */
async function onRampServer(r: Results, plan: Plan, server: BenchServer): Promise<void> {
  const biggest = Math.max(plan.warmup, ...plan.ramp);
  progress(`ramp: accounts for ${biggest} bots (sign-ups are not what is measured)`);
  await ensureAccounts(new ApiClient(server.url), botNames(biggest, 'rb'), BOT_PASSWORD);
  if (plan.warmup > 0) {
    progress(`ramp: warm-up with ${plan.warmup} players (not recorded)`);
    await rampStep(server, { cpuPercent: 0 }, plan.warmup, 1_000);
  }
  progress(`idle server for ${plan.idleMs} ms`);
  const idle = await measureIdle(server, plan.idleMs);
  r.ramp = { idle, steps: [], botProcesses: `bot CLI processes (≤ ${BOTS_PER_PROCESS} bots each)` };
  for (const players of plan.ramp) {
    progress(
      `ramp: ${players} players in ${Math.ceil(players / BOTS_PER_PROCESS)} bot process(es)`,
    );
    let step: Awaited<ReturnType<typeof rampStep>>;
    try {
      step = await rampStep(server, idle, players, plan.rampWindowMs);
    } catch (err) {
      // The machine gave out at this size (its room worker, say): that is the finding; the
      // rest of the bench still runs.
      const error = err instanceof Error ? err.message : String(err);
      r.ramp.stoppedAt = { players, error };
      progress(`  ${players} players: the ramp stops here: ${error}`);
      break;
    }
    r.ramp.steps.push(step);
    progress(
      `  ${players} players: ${step.cpuMsPerPlayerSecond} CPU-ms/player-s, tick lag p99 ${step.tickLagMs.p99} ms, ${step.rssKbPerPlayer} KB/player, ${step.bots.failed} failed`,
    );
  }
}

async function restLoad(r: Results, plan: Plan, server: BenchServer): Promise<void> {
  const rest = plan.rest;
  progress(
    `REST: bare node:http and Express + helmet calibrations, ${rest.calibrateSeconds} s each`,
  );
  const load = { connections: rest.connections, seconds: rest.calibrateSeconds };
  const calibration = await calibrate(load, 'node');
  const expressHelmet = await calibrate(load, 'express');
  const api = new ApiClient(server.url);
  const token = await loggedIn(api, { username: 'rest-me', password: 'bench password' });
  progress(`REST: GET /api/me × ${rest.connections} connections for ${rest.seconds} s`);
  const me = await autocannon(`${server.url}/api/me`, { ...rest, token });
  progress(`REST: ${rest.logins} sequential logins and logouts`);
  const logins = await loginLatency(
    api,
    { username: 'rest-login', password: 'bench password' },
    rest.logins,
  );
  r.rest = { calibration, expressHelmet, me, ...logins };
}

/** --report FILE: the figures and tables of an earlier run, recomputed from its JSON. */
function report(file: string): void {
  const r = JSON.parse(readFileSync(file, 'utf8')) as Results;
  r.figures = figures(r);
  writeFileSync(file, `${JSON.stringify(r, null, 2)}\n`);
  printTables(r);
}

async function main(): Promise<void> {
  const o = options();
  if (o.report) return report(o.report);
  const startedAt = new Date();
  const stamp = startedAt.toISOString().replace(/:/g, '-');
  const machine0 = machineCpu();
  const r: Results = {
    version: 1,
    mode: o.mode,
    startedAt: startedAt.toISOString(),
    machine: machine(),
    constants: {
      tickRate: 60,
      snapshotRate: 30,
      datagramOverhead: DATAGRAM_OVERHEAD,
      overheadBytesPerDatagram: OVERHEAD_BYTES,
      kilobyte: 1024,
      impairment: IMPAIRMENT,
    },
  };
  progress(`${o.mode} run; results to ${o.out}`);
  if (o.only === 'auth') {
    const dir = await mkdtemp(join(tmpdir(), 'duel-bench-auth-'));
    r.auth = await authBench(o.plan.auth ?? SMOKE_AUTH, dir);
    return finish(r, o.out, stamp, startedAt, machine0);
  }
  if (o.only === 'scale') {
    await scale(r, o.plan.scale ?? SMOKE_SCALE);
    return finish(r, o.out, stamp, startedAt, machine0);
  }
  if (o.only === 'netcode') {
    const server = await startBenchServer();
    try {
      progress(
        `netcode: ${o.plan.netcode.players.length} bench players for ${o.plan.netcode.seconds} s`,
      );
      r.netcode = await netcode(server, { ...o.plan.netcode, ...IMPAIRMENT });
    } finally {
      await server.stop(true);
    }
    return finish(r, o.out, stamp, startedAt, machine0);
  }
  if (o.only === 'geckos') {
    await geckos(r, o.plan.geckos ?? SMOKE_GECKOS);
    return finish(r, o.out, stamp, startedAt, machine0);
  }
  if (o.only === 'sctp') {
    sctp(r, o.plan.sctp ?? SMOKE_SCTP);
    return finish(r, o.out, stamp, startedAt, machine0);
  }
  await micro(r, o.plan);
  await peerMemory(r, o.plan.peerMemory);
  if (o.plan.sctp) sctp(r, o.plan.sctp);
  progress('server: starting (rooms in a worker thread)');
  const server = await startBenchServer();
  const { dataDir } = server;
  try {
    await onWorkerServer(r, o.plan, server);
  } finally {
    await server.stop(true);
  }
  if (o.plan.inline) {
    progress('server: restarting with the rooms inline on the HTTP thread');
    const inline = await startBenchServer({ inline: true, dataDir });
    try {
      progress('jitter: rooms inline on the HTTP thread');
      r.jitter = { ...r.jitter, inline: await jitter(inline, o.plan.jitter) };
    } finally {
      await inline.stop(true);
    }
  }
  progress('server: restarting for the ramp (rooms in a worker thread)');
  const ramp = await startBenchServer({ dataDir });
  try {
    await onRampServer(r, o.plan, ramp);
  } finally {
    await ramp.stop();
  }
  if (o.plan.auth) {
    progress('auth: logins and GET /api/me, the platform beside the reference');
    r.auth = await authBench(o.plan.auth, dataDir);
  }
  if (o.plan.scale) await scale(r, o.plan.scale);
  if (o.plan.geckos) await geckos(r, o.plan.geckos);
  if (o.profile) await profilePass(r, o.out, stamp);
  return finish(r, o.out, stamp, startedAt, machine0);
}

/** Many processes: cross-node time to match (NODES=2), then NODES=1 against NODES=2. */
async function scale(r: Results, plan: ScalePlan): Promise<void> {
  progress(`processes: ${plan.crossNodePairs} pairs queued on different processes (NODES=2)`);
  r.crossNode = await crossNodeBench(plan.crossNodePairs);
  progress(`processes: ${plan.clusterPlayers} players on NODES=1, then on NODES=2`);
  r.cluster = await clusterBench({ players: plan.clusterPlayers, windowMs: plan.clusterWindowMs });
}

/** SCTP acknowledgements: the platform's setting beside libdatachannel's (sctp-acks.ts). */
function sctp(r: Results, plan: SctpPlan): void {
  progress(`sctp: ${plan.pairs} loopback pairs, platform SACK delay, then libdatachannel's`);
  r.sctp = sctpAcks(plan);
}

async function geckos(r: Results, plan: GeckosPlan): Promise<void> {
  r.geckos = await geckosComparison({ ...plan, progress });
}

function finish(
  r: Results,
  out: string,
  stamp: string,
  startedAt: Date,
  machine0: ReturnType<typeof machineCpu>,
): void {
  const finished = new Date();
  r.finishedAt = finished.toISOString();
  r.durationSec = round((finished.getTime() - startedAt.getTime()) / 1000, 1);
  r.machine.loadavgEnd = round(loadavg()[0] ?? 0, 2);
  const m1 = machineCpu();
  r.machine.machineBusyPercent = round(
    ((m1.busyMs - machine0.busyMs) / (m1.totalMs - machine0.totalMs)) * 100 * r.machine.nproc,
    1,
  );
  r.figures = figures(r);
  mkdirSync(out, { recursive: true });
  const file = join(out, `${stamp}.json`);
  writeFileSync(file, `${JSON.stringify(r, null, 2)}\n`);
  progress(`done in ${r.durationSec} s; wrote ${file}`);
  printTables(r);
}

function printTables(r: Results): void {
  const figs = r.figures ?? [];
  const jitters = [r.jitter?.worker, r.jitter?.inline].filter((j) => j !== undefined);
  process.stdout.write(
    [
      table(figs, r.machine, r.startedAt),
      '',
      'Ramp (server CPU and tick lag over a steady window once every match has started):',
      '',
      curveTable(r.ramp?.steps ?? []),
      ...(r.ramp?.stoppedAt
        ? ['', `The ramp stopped at ${r.ramp.stoppedAt.players} players: ${r.ramp.stoppedAt.error}`]
        : []),
      '',
      'Tick lag under GET /api/me load, rooms in a worker thread or inline:',
      '',
      jitterTable(jitters),
      '',
      ...(r.auth
        ? [
            'Logins and GET /api/me: the platform beside the reference (library login, no session cache):',
            '',
            authTable(r.auth),
            '',
          ]
        : []),
      ...(r.cluster
        ? [
            'The same bot load on NODES=1 and NODES=2 (the whole server tree):',
            '',
            clusterTable(r.cluster),
            '',
          ]
        : []),
      ...(r.geckos
        ? [
            'The platform beside a geckos.io 3.1 server of the same scene:',
            '',
            geckosTable(r.geckos),
            '',
          ]
        : []),
      ...(r.profile
        ? [
            'Server profile under each load (node --cpu-prof; samples of the load only):',
            '',
            profileTable(r.profile),
            '',
          ]
        : []),
    ].join('\n'),
  );
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(`bench failed: ${e instanceof Error ? e.stack : String(e)}`);
    process.exit(1);
  },
);

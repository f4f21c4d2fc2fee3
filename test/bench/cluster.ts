// CPU per player and room tick lag p99 for NODES=1 and NODES=2 under the same bot load, on
// loopback against the real local Redis (a per-run key prefix, removed after). The CPU counted
// is the whole server tree: the cluster primary (with NODES > 1), every HTTP server process and
// every room worker child, and the emulators' children (cognito-local, dynalite), which stand
// in for AWS services and are also reported apart. Bots run in their own processes and are not
// counted.
//   tsx test/bench/cluster.ts [--players N] [--window-ms MS] [--out FILE]
// Figures: docs/performance.md. Bounded: every child is killed when its time is up.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { clearPrefix, SHARED_REDIS_URL, uniquePrefix } from '../support/redis.js';
import { freePortRange } from '../support/ports.js';
import { startServer } from '../support/server-process.js';
import { readFileSync } from 'node:fs';
import {
  childPids,
  cpuMs,
  rssKbOf,
  perPlayerSecond,
  threadGroupsBetween,
  threadsOf,
  udpDatagramsSent,
  type ThreadGroups,
} from './proc.js';
import { jsonLines } from './children.js';
import { sleep } from './progress.js';
import { spawnBots } from './ramp.js';
import { median } from './stats.js';
import type { BotResult } from '../../server/src/bot/run.js';

export interface ClusterFigures {
  readonly nodes: number;
  readonly players: number;
  readonly matchesLive: number;
  readonly processes: number;
  readonly windowMs: number;
  /** Server tree CPU, ms per second of wall time (1000 = one core busy). */
  readonly cpuMsPerSec: number;
  /** The same, per player in a match: % of one core per player = cpuPerPlayerMsPerSec / 10. */
  readonly cpuPerPlayerMsPerSec: number;
  /**
   * The game server's processes only (primary, HTTP processes, room workers), per player in a
   * match: what runs on the host in AWS, where the emulators' work is Cognito's and DynamoDB's.
   */
  readonly serverCpuPerPlayerMsPerSec: number;
  /** UDP datagrams on loopback per player-second, both directions (machine-wide count). */
  readonly udpDatagramsPerPlayerPerSec: number;
  /** Worst process's room tick lag p99 over its recent window (ms). */
  readonly tickLagP99Ms: number;
  /** Each process's share of the CPU, ms per second: primary, HTTP processes, room workers. */
  readonly byRole: {
    readonly primary: number;
    readonly http: number;
    readonly rooms: number;
    /** The emulators' child processes (cognito-local, dynalite). */
    readonly emulators: number;
  };
  /** Resident memory of the server processes (primary, HTTP, rooms; not cognito-local), MB. */
  readonly rssMb: number;
  /** Snapshot payload a bot received per second of match (median over the bots). */
  readonly snapshotBytesPerPlayerPerSec: number;
  /** The game server's processes' CPU per player-second by thread group, ms (no emulators). */
  readonly byThread: ThreadGroups;
  readonly botsPlayed: number;
  /** Why the other bots did not play, by error message. */
  readonly failures: Record<string, number>;
}

/** A forked room worker process (server/src/match/worker-process), by its command line. */
function isRoomProcess(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('worker-process');
  } catch {
    return false;
  }
}

/** The process and all its descendants. */
function tree(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    try {
      out.push(...childPids(out[i] ?? 0));
    } catch {
      // gone between the listing and the read
    }
  }
  return out;
}

function cpuOf(pids: readonly number[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const p of pids) {
    try {
      m.set(p, cpuMs(p));
    } catch {
      // exited
    }
  }
  return m;
}

async function metric(port: number, name: string, labels = ''): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line ? Number(line.split(' ')[1]) : 0;
}

export async function measure(
  nodes: number,
  players: number,
  windowMs: number,
): Promise<ClusterFigures> {
  const prefix = uniquePrefix();
  const udp = await freePortRange(nodes, 'udp');
  const metricsBase = await freePortRange(nodes, 'tcp');
  const server = await startServer({
    NODES: String(nodes),
    REDIS_URL: SHARED_REDIS_URL,
    CACHE_KEY_PREFIX: prefix,
    RTC_UDP_PORT: String(udp),
    METRICS_PORT: String(metricsBase),
    MATCH_SECONDS: '600',
  });
  const ports = Array.from({ length: nodes }, (_, i) => metricsBase + i);
  const live = async () =>
    (await Promise.all(ports.map((p) => metric(p, 'duel_matches_live')))).reduce((a, b) => a + b);
  try {
    const seconds = Math.ceil(windowMs / 1000) + 15;
    const bots = await spawnBots(server.url, players, 'cl', seconds);
    const deadline = performance.now() + 90_000;
    while ((await live()) < players / 2 && performance.now() < deadline) await sleep(500);
    await sleep(2_000); // past the connect and first ticks
    const matchesLive = await live();
    const pids = tree(server.pid);
    // The HTTP server processes are the primary's children that have a room worker child;
    // with NODES=1 the one process is the HTTP process. Other leaves are the emulators.
    const http =
      nodes > 1 ? childPids(server.pid).filter((p) => childPids(p).length > 0) : [server.pid];
    const rooms = http.flatMap((p) => childPids(p)).filter(isRoomProcess);
    const serverPids = [...new Set([...(nodes > 1 ? [server.pid] : []), ...http, ...rooms])];
    const before = cpuOf(pids);
    const threads0 = threadsOf(serverPids);
    const udp0 = udpDatagramsSent();
    const t0 = performance.now();
    await sleep(windowMs);
    const after = cpuOf(pids);
    const threadGroups = threadGroupsBetween(threads0, threadsOf(serverPids));
    const udp = udpDatagramsSent() - udp0;
    const elapsed = performance.now() - t0;
    const rssKb = rssKbOf([...new Set([server.pid, ...http, ...rooms])]);
    const lag = Math.max(
      ...(await Promise.all(
        ports.map((p) => metric(p, 'duel_room_tick_lag_milliseconds', '{quantile="0.99"}')),
      )),
    );
    const rate = (pid: number) =>
      (((after.get(pid) ?? 0) - (before.get(pid) ?? 0)) * 1000) / elapsed;
    const total = pids.reduce((s, p) => s + rate(p), 0);
    // With NODES=1 the single process is the HTTP process; its room worker and the emulators
    // are its children.
    const primary = nodes > 1 ? rate(server.pid) : 0;
    const roomsCpu = rooms.reduce((s, p) => s + rate(p), 0);
    const httpCpu = http.reduce((s, p) => s + rate(p), 0);
    const results = (await Promise.all(bots.map((b) => b.done))).flatMap((d) =>
      jsonLines<BotResult>(d.stdout),
    );
    return {
      nodes,
      players,
      matchesLive,
      processes: pids.length,
      windowMs: Math.round(elapsed),
      cpuMsPerSec: Math.round(total),
      cpuPerPlayerMsPerSec: Math.round((total / Math.max(1, matchesLive * 2)) * 100) / 100,
      serverCpuPerPlayerMsPerSec:
        Math.round(((primary + httpCpu + roomsCpu) / Math.max(1, matchesLive * 2)) * 100) / 100,
      udpDatagramsPerPlayerPerSec: Math.round(
        (udp * 1000) / elapsed / Math.max(1, matchesLive * 2),
      ),
      tickLagP99Ms: Math.round(lag * 100) / 100,
      byRole: {
        primary: Math.round(primary),
        http: Math.round(httpCpu),
        rooms: Math.round(roomsCpu),
        emulators: Math.round(total - primary - httpCpu - roomsCpu),
      },
      rssMb: Math.round(rssKb / 1024),
      snapshotBytesPerPlayerPerSec: median(
        results.flatMap((r) => (r.bytesPerSecond === undefined ? [] : [r.bytesPerSecond])),
      ),
      byThread: perPlayerSecond(threadGroups, elapsed, matchesLive * 2),
      botsPlayed: results.filter((r) => r.result === 'played' || r.result === 'opponent_left')
        .length,
      failures: results
        .filter((r) => r.result === 'failed')
        .reduce<Record<string, number>>((m, r) => {
          const why = (r.error ?? 'unknown').slice(0, 120);
          m[why] = (m[why] ?? 0) + 1;
          return m;
        }, {}),
    };
  } catch (err) {
    process.stderr.write(`server output:\n${server.output()}\n`);
    throw err;
  } finally {
    if (process.env.BENCH_SERVER_LOG) process.stderr.write(`server output:\n${server.output()}\n`);
    await server.stop();
    await clearPrefix(SHARED_REDIS_URL, prefix);
  }
}

export async function clusterBench(o: {
  players: number;
  windowMs: number;
  nodes?: readonly number[];
}): Promise<ClusterFigures[]> {
  const out: ClusterFigures[] = [];
  for (const nodes of o.nodes ?? [1, 2]) out.push(await measure(nodes, o.players, o.windowMs));
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      players: { type: 'string', default: '40' },
      'window-ms': { type: 'string', default: '8000' },
      nodes: { type: 'string', default: '1,2' },
      out: { type: 'string' },
    },
  });
  const figures = await clusterBench({
    players: Number(values.players),
    windowMs: Number(values['window-ms']),
    nodes: values.nodes.split(',').map(Number),
  });
  for (const f of figures) process.stdout.write(`${JSON.stringify(f)}\n`);
  if (values.out) writeFileSync(values.out, JSON.stringify(figures, null, 2));
}

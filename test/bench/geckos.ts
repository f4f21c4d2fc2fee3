// Issue 14's side-by-side: the platform and a geckos.io 3.1 server of the same scene
// (test/bench/geckos/server.ts), one after the other in the same run, under the same number of
// players in bot processes (≤ 25 each). Per size: server CPU per player-second and RSS from
// /proc, and the snapshot payload each player received.
//   Platform: a fresh `npm start`-like server, NODES=1 (cluster.ts `measure`): the HTTP
//     process and its room worker process; the emulators (cognito-local, dynalite: AWS services
//     in production) are reported apart, not in the ratio. Bots: the bot CLI.
//   geckos.io: its one process. Bots: test/bench/geckos/bots.ts (@geckos.io/client on
//     node-datachannel's polyfill).
//   tsx test/bench/geckos.ts [--players 20,40,100] [--window-ms 8000] [--out FILE]
// Figures: docs/performance.md. Bounded: every child is killed when its time is up.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { freePort, freePortRange } from '../support/ports.js';
import { jsonLines, root, tsx, type Child } from './children.js';
import { measure, type ClusterFigures } from './cluster.js';
import {
  cpuMs,
  rssKb,
  perPlayerSecond,
  threadGroupsBetween,
  threadsOf,
  udpDatagramsSent,
  type ThreadGroups,
} from './proc.js';
import { sleep, until } from './progress.js';
import { BOTS_PER_PROCESS } from './ramp.js';
import { median } from './stats.js';

const UDP_PORTS = 200;

export interface SideFigures {
  readonly players: number;
  /** Server CPU per player-second, ms (the game server's processes, all their threads). */
  readonly cpuPerPlayerMsPerSec: number;
  /** UDP datagrams on loopback per player-second, both directions (machine-wide count). */
  readonly udpDatagramsPerPlayerPerSec: number;
  /** Server CPU per datagram sent or received, µs. */
  readonly cpuUsPerDatagram: number;
  readonly rssMb: number;
  readonly snapshotBytesPerPlayerPerSec: number;
  /** The same CPU per player-second by thread group (proc.ts ThreadGroups), ms. */
  readonly byThread?: ThreadGroups;
}

export interface GeckosRow {
  readonly players: number;
  readonly platform: SideFigures & {
    readonly tickLagP99Ms: number;
    readonly botsPlayed: number;
    /** The emulators' CPU per player-second as well (cognito-local, dynalite). */
    readonly withEmulatorsCpuPerPlayerMsPerSec: number;
  };
  readonly geckos: SideFigures & { readonly idleRssMb: number };
  /** platform ÷ geckos.io, CPU per player-second. */
  readonly cpuRatio: number;
}

interface Status {
  players?: number;
  listening?: number;
  snapshotBytesPerPlayerPerSec?: number;
}

/** The geckos.io server, its latest status line kept. */
function startGeckos(port: number, udp: number): { proc: ChildProcess; last: () => Status } {
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/bench/geckos/server.ts', '--port', String(port)].concat([
      '--udp-min',
      String(udp),
      '--udp-max',
      String(udp + UDP_PORTS - 1),
    ]),
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let last: Status = {};
  let buf = '';
  proc.stdout?.on('data', (b: Buffer) => {
    buf += b.toString();
    const lines = buf.split('\n');
    buf = lines.pop() ?? '';
    for (const l of lines) last = { ...last, ...(jsonLines<Status>(l)[0] ?? {}) };
  });
  return { proc, last: () => last };
}

async function waitFor(what: string, ok: () => boolean, ms: number): Promise<void> {
  if (!(await until(ok, ms))) throw new Error(`timed out waiting for ${what}`);
}

async function measureGeckos(players: number, windowMs: number): Promise<GeckosRow['geckos']> {
  const port = await freePort();
  const udp = await freePortRange(UDP_PORTS, 'udp');
  const server = startGeckos(port, udp);
  const pid = server.proc.pid ?? 0;
  const bots: Child[] = [];
  try {
    await waitFor('the geckos.io server', () => server.last().listening === port, 30_000);
    await sleep(1_000);
    const idleRssMb = Math.round(rssKb(pid) / 1024);
    const seconds = Math.ceil(windowMs / 1000) + 20;
    for (let left = players; left > 0; left -= BOTS_PER_PROCESS) {
      const count = Math.min(BOTS_PER_PROCESS, left);
      bots.push(
        tsx(
          'test/bench/geckos/bots.ts',
          ['--url', `http://127.0.0.1:${port}`, '--count', String(count)].concat([
            '--seconds',
            String(seconds),
          ]),
          (seconds + 60) * 1000,
        ),
      );
      await sleep(1_000);
    }
    await waitFor(`${players} geckos.io players`, () => server.last().players === players, 90_000);
    await sleep(2_000); // past the connect and the first snapshots, as on the platform's side
    const before = cpuMs(pid);
    const threads0 = threadsOf([pid]);
    const udp0 = udpDatagramsSent();
    const t0 = performance.now();
    await sleep(windowMs);
    const cpu = cpuMs(pid) - before;
    const byThread = threadGroupsBetween(threads0, threadsOf([pid]));
    const udp = udpDatagramsSent() - udp0;
    const elapsed = performance.now() - t0;
    const rssMb = Math.round(rssKb(pid) / 1024);
    const reports = (await Promise.all(bots.map((b) => b.done))).flatMap((d) =>
      jsonLines<{ connected: boolean; bytesPerSec: number }>(d.stdout),
    );
    const bytes = reports.filter((r) => r.connected).map((r) => r.bytesPerSec);
    const perPlayer = (cpu * 1000) / elapsed / players;
    const datagrams = (udp * 1000) / elapsed / players;
    return {
      players,
      cpuPerPlayerMsPerSec: Math.round(perPlayer * 100) / 100,
      udpDatagramsPerPlayerPerSec: Math.round(datagrams),
      cpuUsPerDatagram: Math.round((perPlayer * 1000) / datagrams),
      rssMb,
      idleRssMb,
      snapshotBytesPerPlayerPerSec: median(bytes),
      byThread: perPlayerSecond(byThread, elapsed, players),
    };
  } finally {
    for (const b of bots) b.kill();
    server.proc.kill('SIGTERM');
    if (server.proc.exitCode === null) await once(server.proc, 'exit');
  }
}

function platformSide(f: ClusterFigures): GeckosRow['platform'] {
  return {
    players: f.matchesLive * 2,
    cpuPerPlayerMsPerSec: f.serverCpuPerPlayerMsPerSec,
    withEmulatorsCpuPerPlayerMsPerSec: f.cpuPerPlayerMsPerSec,
    udpDatagramsPerPlayerPerSec: f.udpDatagramsPerPlayerPerSec,
    cpuUsPerDatagram: Math.round(
      (f.serverCpuPerPlayerMsPerSec * 1000) / f.udpDatagramsPerPlayerPerSec,
    ),
    rssMb: f.rssMb,
    snapshotBytesPerPlayerPerSec: f.snapshotBytesPerPlayerPerSec,
    byThread: f.byThread,
    tickLagP99Ms: f.tickLagP99Ms,
    botsPlayed: f.botsPlayed,
  };
}

export async function geckosComparison(o: {
  sizes: readonly number[];
  windowMs: number;
  progress?: (line: string) => void;
}): Promise<GeckosRow[]> {
  const rows: GeckosRow[] = [];
  for (const players of o.sizes) {
    o.progress?.(`geckos.io comparison, ${players} players: the platform`);
    const platform = platformSide(await measure(1, players, o.windowMs));
    o.progress?.(`geckos.io comparison, ${players} players: geckos.io`);
    const geckos = await measureGeckos(players, o.windowMs);
    rows.push({
      players,
      platform,
      geckos,
      cpuRatio:
        Math.round((platform.cpuPerPlayerMsPerSec / geckos.cpuPerPlayerMsPerSec) * 100) / 100,
    });
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      players: { type: 'string', default: '20,40,100' },
      'window-ms': { type: 'string', default: '8000' },
      out: { type: 'string' },
    },
  });
  const rows = await geckosComparison({
    sizes: values.players.split(',').map(Number),
    windowMs: Number(values['window-ms']),
    progress: (l) => process.stderr.write(`${l}\n`),
  });
  for (const r of rows) process.stdout.write(`${JSON.stringify(r)}\n`);
  if (values.out) writeFileSync(values.out, JSON.stringify(rows, null, 2));
}

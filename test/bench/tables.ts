// The tables a run prints at its end (Markdown, as docs/performance.md shows them).
import type { AuthFigures, AuthSide } from './auth.js';
import type { ClusterFigures } from './cluster.js';
import type { GeckosRow } from './geckos.js';
import type { JitterFigures } from './jitter.js';
import type { ProfileSummary } from './profile.js';
import type { RampStep } from './ramp.js';
import type { ThreadGroups } from './proc.js';
import type { Figure, Machine } from './report.js';
import { round } from './stats.js';

function show(v: number | null): string {
  if (v === null) return '–';
  if (Math.abs(v) >= 1000) return Math.round(v).toLocaleString('en-US');
  if (Math.abs(v) >= 100) return v.toFixed(0);
  if (Math.abs(v) >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

/** A Markdown table: what docs/performance.md shows. */
export function table(figs: readonly Figure[], m: Machine, date: string): string {
  const rows = figs.map((f) => {
    const status = f.status === '–' ? '–' : `${f.status} ${f.ratio?.toFixed(2)}×`;
    return `| ${f.label} | ${show(f.value)} ${f.unit} | ${f.target?.text ?? ''} | ${status} | ${f.where} |`;
  });
  return [
    `Machine: ${m.nproc} × ${m.cpuModel}, ${m.ramGb} GB RAM, Node ${m.node}, Linux ${m.kernel}; ${date}; load average ${m.loadavgStart} → ${m.loadavgEnd ?? '?'}, machine busy ${m.machineBusyPercent ?? '?'} % of one core over the run`,
    '',
    '| Figure | Value | Target | Status (value ÷ target) | Where it ran |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

/** The ramp, step by step: the curve behind the CPU, RSS and late-tick figures. */
export function curveTable(steps: readonly RampStep[]): string {
  const rows = steps.map((s) =>
    [
      s.players,
      `${s.playersMin}/${s.players}`,
      s.cpuMsPerPlayerSecond.toFixed(2),
      `${s.serverCpuPercent} (${s.threadsCpuPercent.main} / ${s.threadsCpuPercent.rooms} / ${s.threadsCpuPercent.others})`,
      `${s.tickLagMs.p50} / ${s.tickLagMs.p99} / ${s.tickLagMs.max}`,
      `${s.tickMs.p50} / ${s.tickMs.p99}`,
      `${Math.round(s.rssKb / 1024)} MB (${Math.round(s.processes.http.rssKb / 1024)} + ${Math.round(s.processes.rooms.rssKb / 1024)}), ${Math.round(s.rssKbPerPlayer)} KB`,
      s.botCpuPercent,
      s.bots.snapshotHz.toFixed(1),
      Math.max(0, round(s.machineBusyPercent - s.serverCpuPercent - s.botCpuPercent, 1)),
      `${Math.round(s.bots.connectMs.p99)} / ${Math.round(s.bots.timeToMatchMs.p99)}`,
      s.bots.failed,
    ].join(' | '),
  );
  return [
    '| Players | In play (min) | CPU-ms/player-s | Server CPU % (main / rooms / native+other) | Tick lag ms p50 / p99 / max | Tick ms p50 / p99 | RSS (HTTP + rooms process), per player | Bots CPU % | Bot snapshots/s | Other processes CPU % | Connect / time-to-match p99 ms | Bots failed |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r} |`),
  ].join('\n');
}

/** Worker thread against inline rooms, under the same loads. */
export function jitterTable(rows: readonly JitterFigures[]): string {
  const lag = (p: { p50: number; p99: number; max: number }) => `${p.p50} / ${p.p99} / ${p.max}`;
  const cpu = (c: JitterFigures['serverCpuPercent']) => `${c.main} / ${c.rooms} / ${c.others}`;
  return [
    '| Rooms | Load | Tick lag ms p50 / p99 / max | Load rate | Server CPU % (main / rooms / native+other) |',
    '| --- | --- | --- | --- | --- |',
    ...rows.flatMap((j) => [
      `| ${j.rooms} | none (${j.matches} matches) | ${lag(j.baselineTickLagMs)} | | |`,
      `| ${j.rooms} | GET /api/me × ${j.rest.connections} | ${lag(j.tickLagMs)} | ${j.rest.requestsPerSecond} req/s, p99 ${j.rest.latencyMs.p99} ms | ${cpu(j.serverCpuPercent)} |`,
      `| ${j.rooms} | logins, 4 loops | ${lag(j.logins.tickLagMs)} | ${j.logins.loginsPerSecond} logins/s | ${cpu(j.logins.serverCpuPercent)} |`,
    ]),
  ].join('\n');
}

/** Where the server's time went under each load, per thread (module-loader threads left out). */
export function profileTable(
  profiles: readonly (ProfileSummary & { phase: string })[],
  top = 6,
): string {
  const rows = profiles
    .filter((p) => !p.role.startsWith('module loader') && p.idlePercent < 99.5)
    .map((p) => {
      const areas = p.areas.slice(0, top).map((a) => `${a.area} ${a.percent}%`);
      const fns = p.top
        .slice(0, top)
        .map((f) => `${f.fn}${f.where ? ` (${f.where})` : ''} ${f.percent}%`);
      return `| ${p.phase} | ${p.role} | ${round(100 - p.idlePercent, 1)} | ${areas.join('; ')} | ${fns.join('; ')} |`;
    });
  return [
    '| Load | Thread | Busy % | Self time by area (% of busy) | Top functions by self time |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

/** The auth side by side: the platform and the reference server, row by row. */
export function authTable(a: AuthFigures): string {
  const row = (s: AuthSide) =>
    [
      s.server,
      `${s.burst.logins} × ${s.burst.concurrency}`,
      s.burst.loginsPerSecond,
      s.burst.mainThreadCpuMsPerLogin,
      s.burst.processCpuMsPerLogin,
      `${Math.round(s.burst.latencyMs.p50)} / ${Math.round(s.burst.latencyMs.p99)}`,
      `${s.burst.tickLagMs.p99} (worst ${s.burst.worstWindowP99})${
        s.burstOtherNice
          ? `; rooms at nice ${s.burstOtherNice.roomsNice}: ${s.burstOtherNice.tickLagMs.p99}`
          : ''
      }${s.burstRealtime ? `; SCHED_FIFO: ${s.burstRealtime.tickLagMs.p99}` : ''}`,
      s.me.load.requestsPerSecond.toLocaleString('en-US'),
      `${s.me.load.latencyMs.p50} / ${s.me.load.latencyMs.p99}`,
      s.me.serverCpuMsPerRequest,
      s.me.dynamoWritesPerRequest,
      s.me.load.non2xx + s.me.load.errors,
    ].join(' | ');
  return [
    '| Server | Logins × in flight | Logins/s | Main-thread CPU-ms/login | HTTP process CPU-ms/login | Login ms p50 / p99 | Tick lag p99 ms during logins | GET /api/me req/s | /api/me ms p50 / p99 | HTTP process CPU-ms/request | DynamoDB writes/request | /api/me errors |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    `| ${row(a.platform)} |`,
    `| ${row(a.reference)} |`,
  ].join('\n');
}

/** NODES=1 against NODES=2 under the same bot load. */
export function clusterTable(rows: readonly ClusterFigures[]): string {
  return [
    '| NODES | Matches live | Server tree CPU ms/s (primary / HTTP / rooms / emulator) | CPU-ms per player-s | Tick lag p99 ms (worst process) | RSS MB | Bots played |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (c) =>
        `| ${c.nodes} | ${c.matchesLive} | ${c.cpuMsPerSec} (${c.byRole.primary} / ${c.byRole.http} / ${c.byRole.rooms} / ${c.byRole.emulators}) | ${c.cpuPerPlayerMsPerSec} | ${c.tickLagP99Ms} | ${c.rssMb} | ${c.botsPlayed}/${c.players} |`,
    ),
  ].join('\n');
}

/** The platform beside the geckos.io reference, size by size. */
export function geckosTable(rows: readonly GeckosRow[]): string {
  return [
    '| Players | Platform CPU-ms/player-s (with emulators) | geckos.io CPU-ms/player-s | Ratio | UDP datagrams/player-s, platform / geckos.io | Server CPU µs/datagram, platform / geckos.io | Platform RSS MB | geckos.io RSS MB (idle) | Snapshot payload per player, platform / geckos.io | Platform tick lag p99 ms |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (g) =>
        `| ${g.players} | ${g.platform.cpuPerPlayerMsPerSec} (${g.platform.withEmulatorsCpuPerPlayerMsPerSec}) | ${g.geckos.cpuPerPlayerMsPerSec} | ${g.cpuRatio}× | ${g.platform.udpDatagramsPerPlayerPerSec} / ${g.geckos.udpDatagramsPerPlayerPerSec} | ${g.platform.cpuUsPerDatagram} / ${g.geckos.cpuUsPerDatagram} | ${g.platform.rssMb} | ${g.geckos.rssMb} (${g.geckos.idleRssMb}) | ${show(g.platform.snapshotBytesPerPlayerPerSec)} B/s / ${show(g.geckos.snapshotBytesPerPlayerPerSec)} B/s | ${g.platform.tickLagP99Ms} |`,
    ),
    '',
    'The same CPU per player-second by thread (JavaScript main threads / RTC worker / juice / SCTP timer / the rest: V8 GC and compiler, libuv):',
    '',
    '| Players | Platform: JS / RTC worker / juice / SCTP / rest | geckos.io: JS / RTC worker / juice / SCTP / rest | Platform libdatachannel threads ÷ geckos.io whole process |',
    '| --- | --- | --- | --- |',
    ...rows.map(
      (g) =>
        `| ${g.players} | ${threads(g.platform.byThread)} | ${threads(g.geckos.byThread)} | ${show(nativeShare(g) ?? null)}× |`,
    ),
  ].join('\n');
}

function threads(t: ThreadGroups | undefined): string {
  return t ? `${t.js} / ${t.rtcWorker} / ${t.juice} / ${t.sctp} / ${t.other}` : '–';
}

/**
 * The platform's libdatachannel threads alone (RTC worker, juice, SCTP) as a share of
 * geckos.io's whole process: a floor under the CPU ratio that no JavaScript change can lower.
 */
export function nativeShare(g: GeckosRow): number | undefined {
  const t = g.platform.byThread;
  if (!t || !(g.geckos.cpuPerPlayerMsPerSec > 0)) return undefined;
  return round((t.rtcWorker + t.juice + t.sctp) / g.geckos.cpuPerPlayerMsPerSec, 2);
}

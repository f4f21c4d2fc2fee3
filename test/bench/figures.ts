// The figures that matter: each with its target, how far it is (value ÷ target), and
// where it ran. docs/performance.md explains how each is measured.
import { KB, LATE_TICK_LAG_MS, type Figure, type Results } from './report.js';
import type { AuthFigures } from './auth.js';
import type { RampStep } from './ramp.js';
import { nativeShare } from './tables.js';
import { round, type Summary } from './stats.js';

const TICK_MS = 1000 / 60;

type Target = NonNullable<Figure['target']>;
/** A percentile of samples, or null when there were none. */
const q = (s: Summary, k: 'p50' | 'p99') => (s.n > 0 ? s[k] : null);
const atMost = (value: number, text: string): Target => ({ op: '<=', value, text });
const atLeast = (value: number, text: string): Target => ({ op: '>=', value, text });

function figure(
  id: string,
  label: string,
  value: number | null | undefined,
  unit: string,
  where: string,
  target?: Target,
): Figure {
  const v = value === undefined || value === null || !Number.isFinite(value) ? null : value;
  const base = { id, label, value: v === null ? null : round(v, 3), unit, where };
  if (!target) return { ...base, status: '–' };
  if (v === null) return { ...base, target, status: '–' };
  const met = target.op === '<=' ? v <= target.value : v >= target.value;
  return { ...base, target, status: met ? '✓' : '✗', ratio: round(v / target.value, 2) };
}

/** Bots that got fewer snapshots than this were short of CPU themselves (2 shared cores). */
const BOTS_KEPT_UP_HZ = 29;

/**
 * The step a headline comes from: the largest one where every player played and the bots kept
 * up (a starved bot sends fewer inputs, which flatters the server's CPU per player).
 */
export function headlineStep(steps: readonly RampStep[]): RampStep | undefined {
  const complete = steps.filter((s) => s.playersMin >= s.players && s.bots.failed === 0);
  const healthy = complete.filter((s) => s.bots.snapshotHz >= BOTS_KEPT_UP_HZ);
  return healthy[healthy.length - 1] ?? complete[complete.length - 1] ?? steps[steps.length - 1];
}

export function figures(r: Results): Figure[] {
  const out: Figure[] = [];
  const server = 'server process (all threads, /proc)';
  const runner = 'bench runner, in-process';
  const steps = r.ramp?.steps ?? [];
  const head = headlineStep(steps);
  const first = steps[0];
  if (head) {
    const at = `${r.ramp?.botProcesses ?? 'bot CLI'}; ${head.players} players`;
    out.push(
      figure(
        'cpu',
        'Server CPU per connected player',
        head.cpuMsPerPlayerSecond,
        'CPU-ms/player-s',
        `${server}; ${at}`,
        atMost(1, '≤ 1'),
      ),
      figure(
        'cpuMarginal',
        '  … less the idle server',
        head.marginalCpuMsPerPlayerSecond,
        'CPU-ms/player-s',
        `${server}; ${at}`,
      ),
      figure(
        'rss',
        'Server RSS per connected player',
        head.rssKbPerPlayer,
        'KB',
        `${server}; ${at}; growth over the step after a GC`,
        atMost(250, '≤ 250 KB'),
      ),
      figure(
        'rssFromIdle',
        '  … growth from the idle server ÷ players (memory freed by earlier steps not reused)',
        r.ramp ? (head.rssKb - r.ramp.idle.rssKb) / head.players : null,
        'KB',
        `${server}; ${at}; idle server ${r.ramp ? Math.round(r.ramp.idle.rssKb / 1024) : '?'} MB (after the warm-up step)`,
        atMost(250, '≤ 250 KB'),
      ),
      figure(
        'rssPeer',
        '  … one idle WebRTC peer, transport alone',
        r.peerMemory?.kbPerPeer,
        'KB',
        'peer-memory process (client and server peers), the room process malloc settings (ROOM_MALLOC_ENV)',
      ),
      figure(
        'rssPeerArenas',
        "  … the same with glibc's default malloc settings",
        r.peerMemoryDefaultArenas?.kbPerPeer,
        'KB',
        'peer-memory process (client and server peers), reference',
      ),
      figure(
        'heapPlayer',
        '  … memory of a match (its state on the JS heap, its packed views) ÷ 2',
        r.matchHeap ? r.matchHeap.kbPerMatch / 2 : null,
        'KB',
        runner,
      ),
    );
    const late = steps.find((s) => s.tickLagMs.p99 > LATE_TICK_LAG_MS);
    out.push(
      figure(
        'lateAt',
        `Players when ticks run late (lag p99 > ${LATE_TICK_LAG_MS.toFixed(1)} ms)`,
        late?.players ?? null,
        late ? 'players' : `none up to ${steps[steps.length - 1]?.players}`,
        late
          ? `RoomHost stats over IPC; machine ${late.machineBusyPercent} % busy (of ${r.machine.nproc * 100})`
          : 'RoomHost stats over IPC',
      ),
      figure(
        'playersPerCore',
        '  … players per core of server CPU at that step',
        late && late.serverCpuPercent > 0
          ? round(late.players / (late.serverCpuPercent / 100), 0)
          : null,
        'players',
        late
          ? `${late.players} players ÷ ${late.serverCpuPercent} % server CPU (HTTP + room processes); machine ${late.machineBusyPercent} % busy (of ${r.machine.nproc * 100})`
          : 'RoomHost stats over IPC',
        atLeast(500, '≥ 500'),
      ),
    );
  }
  const n = r.netcode;
  if (n) {
    const players = '1 bench-player process';
    out.push(
      figure(
        'payloadStandard',
        'Snapshot payload per client, standard scene',
        n.standard.payloadBytesPerSecond,
        'B/s',
        `${players} (pilots)`,
        atMost(1.5 * KB, '≤ 1.5 KB/s'),
      ),
      figure(
        'wireStandard',
        '  … on the wire (+85 B/datagram)',
        n.standard.wireBytesPerSecond,
        'B/s',
        `${players} (pilots)`,
      ),
      figure(
        'payloadIdle',
        'Snapshot payload per client, idle scene',
        n.idle.payloadBytesPerSecond,
        'B/s',
        `${players} (no buttons)`,
        atMost(1.5 * KB, '≤ 1.5 KB/s'),
      ),
      figure(
        'wireIdle',
        '  … on the wire (+85 B/datagram)',
        n.idle.wireBytesPerSecond,
        'B/s',
        `${players} (no buttons)`,
      ),
      figure(
        'inputP50',
        'Input → authoritative state, p50',
        q(n.inputToStateMs, 'p50'),
        'ms',
        `${players} (probes)`,
      ),
      figure(
        'inputP99',
        'Input → authoritative state, p99',
        q(n.inputToStateMs, 'p99'),
        'ms',
        `${players} (probes)`,
        atMost(TICK_MS + 2, '≤ 1 tick + 2 ms'),
      ),
      figure(
        'changeP50',
        'Button press or release → authoritative state, p50',
        q(n.changeToStateMs, 'p50'),
        'ms',
        `${players} (probes)`,
      ),
      figure('changeP99', '  … p99', q(n.changeToStateMs, 'p99'), 'ms', `${players} (probes)`),
      figure('rttP50', 'RTT on control, p50', q(n.rttMs, 'p50'), 'ms', players),
      figure('rttP99', 'RTT on control, p99', q(n.rttMs, 'p99'), 'ms', players),
      figure(
        'pairQuietP99',
        'Time to match, pairs queued one by one (second arrival), p99',
        q(n.pairingMs, 'p99'),
        'ms',
        players,
        atMost(50, '≤ 50 ms'),
      ),
      figure(
        'connectQuietP99',
        'Match found → channels open, quiet, p99',
        q(n.connectMs, 'p99'),
        'ms',
        players,
      ),
    );
  }
  if (first) {
    const at = `bot CLI; ${first.players} bots arriving at once`;
    out.push(
      figure(
        'connectP50',
        'Match found → channels open, p50',
        q(first.bots.connectMs, 'p50'),
        'ms',
        at,
      ),
      figure(
        'connectP99',
        'Match found → channels open, p99',
        q(first.bots.connectMs, 'p99'),
        'ms',
        at,
        atMost(100, '≤ 100 ms'),
      ),
      figure('ttmP50', 'Time to match, p50', q(first.bots.timeToMatchMs, 'p50'), 'ms', at),
      figure(
        'ttmP99',
        'Time to match, p99',
        q(first.bots.timeToMatchMs, 'p99'),
        'ms',
        at,
        atMost(50, '≤ 50 ms'),
      ),
      figure(
        'pairP99',
        'Pairing latency (second arrival), p99',
        q(first.bots.pairingMs, 'p99'),
        'ms',
        at,
      ),
    );
  }
  for (const j of [r.jitter?.worker, r.jitter?.inline]) {
    if (!j) continue;
    const at = `RoomHost stats; rooms ${j.rooms === 'worker' ? 'in a worker thread' : 'inline on the HTTP thread'}; autocannon process`;
    const t = j.rooms === 'worker' ? atMost(1, '≤ 1 ms') : undefined;
    out.push(
      figure(
        `jitter_${j.rooms}_p50`,
        `Tick jitter under REST load, ${j.rooms}, p50`,
        j.tickLagMs.p50,
        'ms',
        at,
      ),
      figure(
        `jitter_${j.rooms}_p99`,
        `Tick jitter under REST load, ${j.rooms}, p99`,
        j.tickLagMs.p99,
        'ms',
        at,
        t,
      ),
      figure(
        `jitter_${j.rooms}_max`,
        `Tick jitter under REST load, ${j.rooms}, max`,
        j.tickLagMs.max,
        'ms',
        at,
      ),
      figure(
        `jitter_${j.rooms}_logins_p99`,
        `Tick jitter during logins, ${j.rooms}, p99`,
        j.logins.tickLagMs.p99,
        'ms',
        `RoomHost stats; 4 login loops in the bench runner`,
      ),
    );
  }
  if (r.rest) {
    const at = `autocannon process, ${r.rest.me.connections} connections`;
    out.push(
      figure(
        'meRps',
        'GET /api/me (JWT verify + session check)',
        r.rest.me.requestsPerSecond,
        'req/s',
        at,
        atLeast(5000, '≥ 5k req/s'),
      ),
      figure('meP99', 'GET /api/me latency, p99', r.rest.me.latencyMs.p99, 'ms', at),
      figure(
        'bareRps',
        '  … bare node:http server, same load',
        r.rest.calibration.requestsPerSecond,
        'req/s',
        `${at}; server in the runner`,
      ),
      ...(r.rest.expressHelmet
        ? [
            figure(
              'expressRps',
              '  … Express + helmet alone, same load',
              r.rest.expressHelmet.requestsPerSecond,
              'req/s',
              `${at}; server in the runner`,
            ),
            figure(
              'meOfExpress',
              '  … GET /api/me ÷ Express + helmet alone',
              round(r.rest.me.requestsPerSecond / r.rest.expressHelmet.requestsPerSecond, 2),
              '×',
              'same run',
            ),
          ]
        : []),
      figure(
        'loginP50',
        'POST /api/auth/login, p50',
        q(r.rest.login, 'p50'),
        'ms',
        'bench runner, sequential',
      ),
      figure(
        'loginP99',
        'POST /api/auth/login, p99',
        q(r.rest.login, 'p99'),
        'ms',
        'bench runner, sequential',
      ),
    );
  }
  if (r.auth) out.push(...authFigures(r.auth));
  out.push(...scaleFigures(r), ...geckosFigures(r), ...sctpFigures(r));
  if (r.jwt)
    out.push(
      figure('jwtUs', 'One JWT verify (local verifier, RS256)', r.jwt.usPerVerify, 'µs', runner),
    );
  if (r.matchmaker) {
    out.push(
      figure(
        'mmPairs',
        'Matchmaker pairs per second, in memory',
        r.matchmaker.inMemory.pairsPerSecond,
        'pairs/s',
        runner,
        atLeast(20_000, '≥ 20k pairs/s'),
      ),
      figure(
        'mmRedisTickets',
        'Matchmaking through Redis, tickets per second',
        r.matchmaker.redis?.ticketsPerSecond,
        r.matchmaker.redis ? 'tickets/s' : `n/a: ${r.matchmaker.redisNote ?? 'not run'}`,
        r.matchmaker.redis?.where ?? '–',
        atLeast(10_000, '≥ 10k tickets/s'),
      ),
      figure(
        'mmRedisPairs',
        'Matchmaking through Redis, pairs per second',
        r.matchmaker.redis?.pairsPerSecond,
        'pairs/s',
        r.matchmaker.redis?.where ?? '–',
      ),
      figure(
        'mmCrossNodeP99',
        'Pair queued on two nodes: 2nd enqueue → 1st stream hears matched, p99',
        r.matchmaker.redis ? q(r.matchmaker.redis.crossNodeMatchMs, 'p99') : null,
        'ms',
        `${r.matchmaker.redis?.where ?? '–'} (pairing + pub/sub; no HTTP, no room worker)`,
        atMost(50, '≤ 50 ms'),
      ),
    );
  }
  if (n) {
    const imp = n.impaired;
    const at = `1 bench-player process; ${round(imp.loss * 100, 1)} % loss, ${imp.delayMs} ms each way`;
    out.push(
      figure(
        'predP99',
        'Prediction error after reconciliation, p99',
        q(imp.predictionError, 'p99'),
        'world units',
        at,
      ),
      figure(
        'predP99Clean',
        '  … without impairment',
        q(n.unimpaired.predictionError, 'p99'),
        'world units',
        '1 bench-player process',
      ),
      figure('underruns', 'Interpolation underruns', imp.underrunsPerSecond, 'per s', at),
      figure(
        'delivery',
        'Snapshots delivered',
        imp.snapshotDelivery === null ? null : imp.snapshotDelivery * 100,
        '%',
        at,
      ),
      figure(
        'inputImpairedP99',
        'Input → authoritative state, impaired, p99',
        q(imp.inputToStateMs, 'p99'),
        'ms',
        at,
      ),
    );
  }
  if (r.sim) {
    out.push(
      figure(
        'simUs',
        'Sim step + encode (2 seats, deltas) per tick',
        r.sim.usPerTick,
        'µs',
        runner,
        atMost(50, '≤ 50 µs'),
      ),
      figure(
        'simPayload',
        'Snapshot payload per client at 30 Hz (in-process)',
        r.sim.payloadBytesPerSecond,
        'B/s',
        runner,
        atMost(1.5 * KB, '≤ 1.5 KB/s'),
      ),
    );
  }
  return out;
}

/** Logins and the session check, the platform beside its reference server (test/bench/auth.ts). */
function authFigures(a: AuthFigures): Figure[] {
  const { platform: p, reference: ref } = a;
  const main = 'HTTP process main thread (/proc/<pid>/task/<pid>)';
  const logins = `${p.burst.logins} logins, ${p.burst.concurrency} in flight`;
  const me = `autocannon process, ${p.me.load.connections} connections`;
  return [
    figure(
      'loginCpu',
      'Main-thread CPU per login',
      p.burst.mainThreadCpuMsPerLogin,
      'ms',
      `${main}; ${logins}`,
      atMost(5, '≤ 5 ms'),
    ),
    figure(
      'loginCpuRef',
      '  … reference: amazon-cognito-identity-js authenticateUser',
      ref.burst.mainThreadCpuMsPerLogin,
      'ms',
      `${main}; same burst, reference server`,
    ),
    figure(
      'loginLagP99',
      'Tick lag p99 during the login burst (rooms in their worker process)',
      p.burst.tickLagMs.p99,
      'ms',
      `RoomHost stats; ${p.burst.logins} logins with bots playing`,
      atMost(2, '≤ 2 ms'),
    ),
    figure(
      'loginLagP99Ref',
      '  … reference server',
      ref.burst.tickLagMs.p99,
      'ms',
      'RoomHost stats; same burst, reference server',
    ),
    figure(
      'loginLagP99Isolated',
      '  … the same burst again, load generators and emulators at nice 10',
      p.burstIsolated.tickLagMs.p99,
      'ms',
      'RoomHost stats; this runner (the logins), the bot processes, cognito-local and dynalite at nice 10',
    ),
    figure(
      'loginLagP99IsolatedRef',
      '  … reference server, the same way',
      ref.burstIsolated.tickLagMs.p99,
      'ms',
      'RoomHost stats; as above, reference server',
    ),
    figure(
      'loginLagP99OtherNice',
      `  … the plain burst again, room process at nice ${p.burstOtherNice?.roomsNice ?? '–'} (it ran at ${p.roomsNice})`,
      p.burstOtherNice?.tickLagMs.p99 ?? null,
      'ms',
      p.burstOtherNice
        ? 'RoomHost stats; every thread of the room process reniced by this runner, as ROOM_NICE would'
        : 'not run: this runner may not raise a priority (no CAP_SYS_NICE)',
    ),
    figure(
      'loginLagP99Realtime',
      `  … the plain burst again, the room process's own threads SCHED_FIFO ${p.burstRealtime?.rtPriority ?? '–'}`,
      p.burstRealtime?.tickLagMs.p99 ?? null,
      'ms',
      p.burstRealtime
        ? "RoomHost stats; the room process's main, clock, V8 and libuv threads set by this runner with chrt, as ROOM_RT_PRIORITY would (libdatachannel's threads keep normal scheduling)"
        : 'not run: this runner may not set SCHED_FIFO (no CAP_SYS_NICE, or no chrt)',
    ),
    figure(
      'meCachedRps',
      'GET /api/me, session cache on',
      p.me.load.requestsPerSecond,
      'req/s',
      me,
      atLeast(5000, '≥ 5k req/s'),
    ),
    figure(
      'meRefRps',
      '  … reference: SESSION_CACHE=false (a lease write per call)',
      ref.me.load.requestsPerSecond,
      'req/s',
      `${me}; reference server`,
    ),
    figure(
      'meCpu',
      'HTTP process CPU per GET /api/me, session cache on',
      p.me.serverCpuMsPerRequest,
      'ms',
      'server process (all threads, /proc) ÷ requests answered',
      atMost(0.2, '≤ 0.2 ms (5k req/s on one core)'),
    ),
    figure(
      'meCpuRef',
      '  … reference server',
      ref.me.serverCpuMsPerRequest,
      'ms',
      'server process (all threads, /proc) ÷ requests answered',
    ),
    figure(
      'meWrites',
      'DynamoDB writes per authenticated request',
      p.me.dynamoWritesPerRequest,
      'writes',
      "server's session-check counts (renewed ÷ answered)",
      atMost(0.01, '≤ 0.01'),
    ),
    figure(
      'meWritesRef',
      '  … reference server',
      ref.me.dynamoWritesPerRequest,
      'writes',
      "server's session-check counts",
    ),
  ];
}

function scaleFigures(r: Results): Figure[] {
  const out: Figure[] = [];
  const x = r.crossNode;
  if (x) {
    const at = `bench runner, HTTP clients; NODES=2 server; ${x.crossPairs}/${x.pairs} pairs cross-process`;
    out.push(
      figure(
        'crossNodeHttpP50',
        'Time to match, pair queued on two processes (B posts → both matched), p50',
        q(x.cross, 'p50'),
        'ms',
        at,
      ),
      figure('crossNodeHttpP99', '  … p99', q(x.cross, 'p99'), 'ms', at, atMost(50, '≤ 50 ms')),
    );
  }
  for (const c of r.cluster ?? []) {
    const at = `server tree (/proc); bot CLI processes; ${c.matchesLive * 2} players`;
    out.push(
      figure(
        `clusterCpu${c.nodes}`,
        `CPU per player in play, NODES=${c.nodes}`,
        c.cpuPerPlayerMsPerSec,
        'CPU-ms/player-s',
        at,
      ),
      figure(
        `clusterLag${c.nodes}`,
        `  … tick lag p99 (worst process), NODES=${c.nodes}`,
        c.tickLagP99Ms,
        'ms',
        at,
      ),
    );
  }
  return out;
}

function sctpFigures(r: Results): Figure[] {
  const s = r.sctp;
  if (!s || 'skipped' in s) return [];
  const where = (x: typeof s.platform) =>
    `1 process per side (${x.pairs} pairs, both ends), its own network namespace; SACK delay ${x.delayedSackMs} ms`;
  return [
    figure(
      'sctpDatagrams',
      'UDP datagrams per pair-second, 30 + 1 messages/s each way',
      s.platform.datagramsPerPairSecond,
      'datagrams',
      where(s.platform),
    ),
    figure(
      'sctpDatagramsRef',
      "  … with libdatachannel's SCTP acknowledgements",
      s.reference.datagramsPerPairSecond,
      'datagrams',
      `${where(s.reference)}; reference`,
    ),
    figure(
      'sctpCpu',
      '  … CPU of that process',
      s.platform.cpuMsPerSecond,
      'ms/s',
      `${where(s.platform)}; against ${s.reference.cpuMsPerSecond} ms/s for the reference`,
    ),
  ];
}

function geckosFigures(r: Results): Figure[] {
  return (r.geckos ?? []).flatMap((g) => {
    const at = `platform: HTTP + room process, bot CLI processes; geckos.io: its process, geckos bots; ${g.players} players`;
    return [
      figure(
        `geckosRatio${g.players}`,
        `Server CPU per player ÷ geckos.io's, ${g.players} players`,
        g.cpuRatio,
        '×',
        `${at} (${g.platform.cpuPerPlayerMsPerSec} against ${g.geckos.cpuPerPlayerMsPerSec} CPU-ms/player-s)`,
        g.players >= 40 ? atMost(0.5, '≤ 0.5×') : undefined,
      ),
      figure(
        `geckosNative${g.players}`,
        `  … the platform's libdatachannel threads alone ÷ geckos.io's whole process, ${g.players} players`,
        nativeShare(g) ?? null,
        '×',
        `${at}; RTC worker + juice + SCTP threads of the room process (/proc/<pid>/task)`,
      ),
    ];
  });
}

// ROOM_NICE: where an operator opts in and the OS allows it (CAP_SYS_NICE), the room process
// runs every thread of its rooms (the JavaScript that ticks them, libdatachannel's DTLS/SCTP
// workers, the ICE socket's thread) ahead of the rest of the host; the HTTP process keeps its
// priority. ROOM_RT_PRIORITY: its own threads (the JavaScript, the clock thread) run
// SCHED_FIFO, libdatachannel's keep normal scheduling. By default nothing changes. Read from
// /proc, with the real server as a process and two real bots in a real match over WebRTC, so
// the native threads that exist only once peers do are there to be read.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { childPids } from '../bench/proc.js';
import { bot } from '../support/bots.js';
import { uniqueName } from '../support/local-stack.js';
import { startServer, type ServerProcess } from '../support/server-process.js';

/** CAP_SYS_NICE (capability 23) in this process's effective set: what a child inherits. */
function canRaisePriority(): boolean {
  const line = /^CapEff:\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return line ? (BigInt(`0x${line[1]}`) & (1n << 23n)) !== 0n : false;
}

/**
 * Whether a child of this process may make a thread SCHED_FIFO at `priority`: CAP_SYS_NICE, or
 * a soft RLIMIT_RTPRIO that high; and util-linux's chrt, which makes the call.
 */
function canRunRealtime(priority: number): boolean {
  const limit = /^Max realtime priority\s+(\S+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
  const rtprio = limit?.[1] === 'unlimited' ? 99 : Number(limit?.[1] ?? 0);
  const chrt = spawnSync('chrt', ['--version']).status === 0;
  return chrt && (canRaisePriority() || rtprio >= priority);
}

interface Thread {
  name: string;
  nice: number;
  /** Scheduling policy: 0 SCHED_OTHER, 1 SCHED_FIFO. */
  policy: number;
  /** Real-time priority, 0 under SCHED_OTHER. */
  rtPriority: number;
}

/**
 * Each thread of a process: its name, nice value, real-time priority and policy (fields 19, 40
 * and 41 of /proc/<pid>/task/<tid>/stat).
 */
function threadsOf(pid: number): Thread[] {
  return readdirSync(`/proc/${pid}/task`).map((tid) => {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
    return {
      name: Number(tid) === pid ? 'main' : name,
      nice: Number(fields[16]),
      rtPriority: Number(fields[37]),
      policy: Number(fields[38]),
    };
  });
}

/** The server's room process: its child running worker-process. */
function roomProcess(server: ServerProcess): number {
  const rooms = childPids(server.pid).filter((pid) =>
    readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('worker-process'),
  );
  expect(rooms).toHaveLength(1);
  return rooms[0]!;
}

/** The threads that run the rooms: their JavaScript and node-datachannel's native ones. */
const ROOM_THREADS = /^(main|RTC worker|juice.*|SCTP.*)$/;

let server: ServerProcess | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

/**
 * A server with `env` and two fresh bots in a match on it (the shortest the settings allow, so
 * it ends on its own): the room process's threads once the match has started, and the bots'
 * results once it is over.
 */
async function roomThreadsInMatch(env: Record<string, string>) {
  const s = await startServer({ MATCH_SECONDS: '10', ...env });
  server = s;
  const bots = [uniqueName('pa'), uniqueName('pb')].map((n) => bot(s.url, n, 60));
  await Promise.all(bots.map((b) => b.started));
  // The native threads exist once peers do; both bots' peers are open by now.
  const all = threadsOf(roomProcess(s));
  expect(all.map((t) => t.name)).toContain('RTC worker');
  return {
    all,
    rooms: all.filter((t) => ROOM_THREADS.test(t.name)),
    http: threadsOf(s.pid),
    results: Promise.all(bots.map((b) => b.result)),
  };
}

describe('the room process priority (ROOM_NICE)', () => {
  it('runs the rooms at ROOM_NICE=-10 where the OS allows it, the HTTP process at its own', async () => {
    const { rooms, http, results } = await roomThreadsInMatch({ ROOM_NICE: '-10' });
    const own = getPriority(0);
    const expected = canRaisePriority() ? -10 : own;
    // Its JavaScript, both DTLS/SCTP workers, the ICE socket's thread, usrsctp's timer.
    expect(rooms.map((t) => t.name)).toEqual(
      expect.arrayContaining(['main', 'RTC worker', 'juice mux', 'SCTP timer']),
    );
    expect(rooms.filter((t) => t.nice !== expected)).toEqual([]);
    expect(http.find((t) => t.name === 'main')?.nice).toBe(own);
    // And the match is played through, whatever the priority.
    expect((await results).map((r) => r.result)).toEqual(['ended', 'ended']);
  });

  it('leaves the rooms at the priority and scheduling they were started with by default', async () => {
    const { all, rooms, results } = await roomThreadsInMatch({});
    expect(rooms.length).toBeGreaterThan(1);
    expect(rooms.filter((t) => t.nice !== getPriority(0))).toEqual([]);
    expect(all.filter((t) => t.policy !== 0)).toEqual([]);
    expect((await results).map((r) => r.result)).toEqual(['ended', 'ended']);
  });
});

describe('real-time scheduling of the room process (ROOM_RT_PRIORITY)', () => {
  it("runs the room process's own threads SCHED_FIFO where the OS allows it, libdatachannel's and the HTTP process's normally", async () => {
    const { all, http, results } = await roomThreadsInMatch({ ROOM_RT_PRIORITY: '2' });
    const main = all.find((t) => t.name === 'main');
    const native = all.filter((t) => /^(RTC |juice|SCTP)/.test(t.name));
    expect(native.map((t) => t.name)).toEqual(
      expect.arrayContaining(['RTC worker', 'juice mux', 'SCTP timer']),
    );
    if (canRunRealtime(2)) {
      expect(main).toMatchObject({ policy: 1, rtPriority: 2 });
      // The clock thread that wakes the ticks, and V8's helpers: Node's threads besides main.
      const fifo = all.filter((t) => t.policy === 1 && t.name !== 'main');
      expect(fifo.length).toBeGreaterThanOrEqual(2);
      expect(fifo.filter((t) => t.rtPriority !== 2)).toEqual([]);
    } else {
      expect(main).toMatchObject({ policy: 0, rtPriority: 0 });
    }
    // Those that handle each datagram, started at the first peer: normal scheduling.
    expect(native.filter((t) => t.policy !== 0)).toEqual([]);
    expect(http.filter((t) => t.policy !== 0)).toEqual([]);
    expect((await results).map((r) => r.result)).toEqual(['ended', 'ended']);
  });
});

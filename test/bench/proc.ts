// What Linux says about a process: CPU time of all its threads (utime + stime from
// /proc/<pid>/stat), per thread (/proc/<pid>/task/*), and resident memory (VmRSS).
import { readdirSync, readFileSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** Clock ticks per second of /proc times (USER_HZ); 100 on every Linux this runs on. */
const CLK_TCK = 100;

function ticksOf(statLine: string): number {
  // comm may contain spaces and parentheses: fields start after the LAST ')'.
  const fields = statLine.slice(statLine.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of stat (utime, stime) are 11 and 12 here (state is field 3 → index 0).
  return Number(fields[11]) + Number(fields[12]);
}

/** CPU milliseconds used so far by every thread of the process (user + system). */
export function cpuMs(pid: number): number {
  return (ticksOf(readFileSync(`/proc/${pid}/stat`, 'utf8')) * 1000) / CLK_TCK;
}

/** Resident set size in KB. */
export function rssKb(pid: number): number {
  const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : 0;
}

export interface ThreadCpu {
  readonly tid: number;
  readonly name: string;
  readonly cpuMs: number;
}

/** CPU milliseconds per thread, with the thread's name (comm). Threads that ended are gone. */
export function threadCpu(pid: number): ThreadCpu[] {
  const out: ThreadCpu[] = [];
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      out.push({ tid: Number(tid), name, cpuMs: (ticksOf(stat) * 1000) / CLK_TCK });
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return out;
}

/**
 * Where a WebRTC server's CPU goes, by thread: its JavaScript (each process's main thread),
 * libdatachannel's threads (`RTC worker`: DTLS, SCTP and the callbacks' hand-off; `juice`:
 * ICE and the UDP socket; `SCTP timer`/`SCTP iterator`: usrsctp's clock), and the rest (V8's
 * GC and compiler threads, libuv's pool).
 */
export interface ThreadGroups {
  readonly js: number;
  readonly rtcWorker: number;
  readonly juice: number;
  readonly sctp: number;
  readonly other: number;
}

export function threadGroupOf(pid: number, t: ThreadCpu): keyof ThreadGroups {
  if (t.tid === pid) return 'js';
  if (t.name.startsWith('RTC worker')) return 'rtcWorker';
  if (t.name.startsWith('juice')) return 'juice';
  if (t.name.startsWith('SCTP')) return 'sctp';
  return 'other';
}

/** Each thread of the processes, now (for threadGroupsBetween). */
export function threadsOf(pids: readonly number[]): Map<number, ThreadCpu[]> {
  const m = new Map<number, ThreadCpu[]>();
  for (const p of pids) {
    try {
      m.set(p, threadCpu(p));
    } catch {
      // exited
    }
  }
  return m;
}

/** CPU ms of each thread group between two readings of the same processes, all summed. */
export function threadGroupsBetween(
  before: ReadonlyMap<number, readonly ThreadCpu[]>,
  after: ReadonlyMap<number, readonly ThreadCpu[]>,
): ThreadGroups {
  const out = { js: 0, rtcWorker: 0, juice: 0, sctp: 0, other: 0 };
  for (const [pid, threads] of after) {
    const was = new Map((before.get(pid) ?? []).map((t) => [t.tid, t.cpuMs]));
    for (const t of threads) out[threadGroupOf(pid, t)] += t.cpuMs - (was.get(t.tid) ?? 0);
  }
  return out;
}

/** Thread-group CPU (ms over `elapsedMs`) per player-second, to 0.01 ms. */
export function perPlayerSecond(g: ThreadGroups, elapsedMs: number, players: number): ThreadGroups {
  const f = (ms: number) =>
    Math.round(((ms * 1000) / elapsedMs / Math.max(1, players)) * 100) / 100;
  return {
    js: f(g.js),
    rtcWorker: f(g.rtcWorker),
    juice: f(g.juice),
    sctp: f(g.sctp),
    other: f(g.other),
  };
}

/** CPU per thread between two readings, ms: the main thread, the room threads, the rest. */
export function threadDelta(
  pid: number,
  roomThreads: readonly number[],
  before: readonly ThreadCpu[],
  after: readonly ThreadCpu[],
): { main: number; rooms: number; others: number } {
  const was = new Map(before.map((t) => [t.tid, t.cpuMs]));
  const rooms = new Set(roomThreads);
  const out = { main: 0, rooms: 0, others: 0 };
  for (const t of after) {
    const key = t.tid === pid ? 'main' : rooms.has(t.tid) ? 'rooms' : 'others';
    out[key] += t.cpuMs - (was.get(t.tid) ?? 0);
  }
  return out;
}

export function alive(pid: number): boolean {
  try {
    readFileSync(`/proc/${pid}/stat`);
    return true;
  } catch {
    return false;
  }
}

/** Busy and total CPU time of the whole machine so far (all CPUs, /proc/stat), ms. */
export function machineCpu(): { busyMs: number; totalMs: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const [, ...fields] = line.trim().split(/\s+/);
  const t = fields.map(Number);
  const total = t.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = (t[3] ?? 0) + (t[4] ?? 0); // idle + iowait
  return { busyMs: ((total - idle) * 1000) / CLK_TCK, totalMs: (total * 1000) / CLK_TCK };
}

/** Pids of the direct children of a process (e.g. the forked room process), from /proc/<pid>/task/<tid>/children. */
export function childPids(pid: number): number[] {
  const out: number[] = [];
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const list = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
      if (list) out.push(...list.split(' ').map(Number));
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return out;
}

/** CPU milliseconds of several processes together; one that has ended counts nothing. */
export function cpuMsOf(pids: readonly number[]): number {
  let ms = 0;
  for (const pid of pids) {
    try {
      ms += cpuMs(pid);
    } catch {
      // Ended (a room worker replaced, say): its time is no longer readable.
    }
  }
  return ms;
}

/** Resident memory of several processes together, KB. */
export function rssKbOf(pids: readonly number[]): number {
  let kb = 0;
  for (const pid of pids) {
    try {
      kb += rssKb(pid);
    } catch {
      // Ended.
    }
  }
  return kb;
}

/**
 * UDP datagrams sent so far by every process of this network namespace, IPv4 and IPv6
 * (`Udp: OutDatagrams` of /proc/net/snmp, `Udp6OutDatagrams` of /proc/net/snmp6). On loopback
 * each datagram is sent once and received once, so the difference over a window, with nothing
 * else talking UDP, is what the server and its clients exchanged in both directions.
 */
export function udpDatagramsSent(): number {
  const lines = readFileSync('/proc/net/snmp', 'utf8').split('\n');
  const [head, values] = lines.filter((l) => l.startsWith('Udp: '));
  const at = (head ?? '').split(/\s+/).indexOf('OutDatagrams');
  const v4 = Number((values ?? '').split(/\s+/)[at] ?? NaN);
  const v6 = /^Udp6OutDatagrams\s+(\d+)/m.exec(readFileSync('/proc/net/snmp6', 'utf8'));
  return v4 + Number(v6?.[1] ?? 0);
}

/**
 * Sets every thread of each process to `nice` (Linux keeps niceness per thread); returns a
 * function that puts each thread back. Lowering: the load generators and the emulators, which
 * in production run on other machines, so that the server has the CPU it would have on a host
 * of its own. Raising (a nice value below the thread's, which needs CAP_SYS_NICE): the room
 * process, as ROOM_NICE would. Best effort: a thread that is gone, or a raise the OS refuses,
 * is skipped; the caller reads the priority back when it must know.
 */
export function renice(pids: readonly number[], nice = 10): () => void {
  const before: [number, number][] = [];
  for (const pid of pids) {
    let tids: number[];
    try {
      tids = readdirSync(`/proc/${pid}/task`).map(Number);
    } catch {
      continue;
    }
    for (const tid of tids) {
      try {
        before.push([tid, getPriority(tid)]);
        setPriority(tid, nice);
      } catch {
        // the thread ended meanwhile, or the OS refused a raise
      }
    }
  }
  return () => {
    for (const [tid, prio] of before) {
      try {
        setPriority(tid, prio);
      } catch {
        // gone, or raising it back needs a privilege this run has not
      }
    }
  };
}

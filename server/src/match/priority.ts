// ROOM_NICE, opt-in: the room process asks the OS to schedule it ahead of the rest of the host.
// A 60 Hz tick that waits behind a burst of logins (the HTTP process, Cognito's and DynamoDB's
// clients, on a laptop the emulators too) starts late for every player of the process, while a
// login that waits a few milliseconds more is not seen. The price is CPU: a thread that preempts
// at once handles each datagram as it comes, where one that waits its turn handles several per
// wake-up (docs/architecture.md, "Its priority, opt-in"). Linux keeps the nice value per
// thread, and a thread starts with its creator's. So this sets every thread the process has
// (V8's GC helpers among them: a scavenge waits for its slowest helper), first thing, before the
// clock thread, node-datachannel's threads (`RTC worker`, `juice`, `SCTP timer`, started as it
// loads) and libuv's pool exist: they inherit it from the main thread. Going below 0 needs
// CAP_SYS_NICE (root, or a systemd unit with AmbientCapabilities=CAP_SYS_NICE); without it the
// process keeps the nice value it was started with.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { performance } from 'node:perf_hooks';

export interface PriorityOutcome {
  /** The nice value asked for. */
  readonly wanted: number;
  /** The main thread's nice value afterwards. */
  readonly nice: number;
  /** The OS's refusal (EACCES, EPERM), when it refused. */
  readonly refused?: string;
}

/** This process's threads: every task on Linux, elsewhere the calling thread (0). */
function threads(): number[] {
  try {
    return readdirSync('/proc/self/task').map(Number);
  } catch {
    return [0];
  }
}

/**
 * Sets every thread of this process to the nice value `wanted` when that raises the main
 * thread's priority; never lowers it. Call it on the main thread.
 */
export function raiseProcessPriority(wanted: number): PriorityOutcome {
  const before = getPriority(0);
  if (wanted >= before) return { wanted, nice: before };
  for (const tid of threads()) {
    try {
      setPriority(tid, wanted);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // A thread that ended since the listing is no refusal.
      if (code === 'ESRCH') continue;
      return { wanted, nice: getPriority(0), refused: code ?? String(e) };
    }
  }
  return { wanted, nice: getPriority(0) };
}

// ROOM_RT_PRIORITY, opt-in: real-time scheduling for the threads that run the rooms' ticks.
// A nice value only weighs a thread's share: the kernel (EEVDF) still lets the thread that
// holds a core run out its slice, a few milliseconds, before a woken tick runs, so ticks stay
// 3-5 ms late at p99 during a login burst even at nice -10. A SCHED_FIFO thread runs the
// moment it wakes. Only the process's own threads get it, those that carry its name: the main
// thread, the clock thread that wakes it, V8's helpers that a scavenge waits for, libuv's
// pool. libdatachannel names its threads (`RTC worker`, `juice mux`, `SCTP timer`…): they
// receive every datagram, and real-time they would preempt once per datagram instead of taking
// several per wake-up, which costs CPU (docs/architecture.md, "Its scheduling"). They start
// at the first peer, from the main thread, and SCHED_RESET_ON_FORK makes a thread started by
// a real-time one start with normal scheduling. Node.js has no call for sched_setscheduler(2),
// so util-linux's chrt makes it, once per thread. It needs CAP_SYS_NICE, or an RLIMIT_RTPRIO
// of at least the priority (systemd: LimitRTPRIO=).

export interface RealtimeOutcome {
  /** The SCHED_FIFO priority asked for; 0 for normal scheduling. */
  readonly priority: number;
  /** Threads whose scheduling was set. */
  readonly threads: number;
  /** Why it was refused: EPERM, or ENOENT when the host has no chrt. */
  readonly refused?: string;
}

/** Runs chrt with `args`; throws as execFileSync does. A unit test stands in for it. */
export type Chrt = (args: readonly string[]) => void;

const runChrt: Chrt = (args) => {
  execFileSync('chrt', args, { stdio: 'pipe', timeout: 5_000 });
};

function commOf(pid: number, tid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
  } catch {
    return undefined; // ended meanwhile
  }
}

/** The threads of `pid` that carry its main thread's name: Node's own, not libdatachannel's. */
export function ownThreads(pid: number): number[] {
  const main = commOf(pid, pid);
  if (main === undefined) return [];
  return readdirSync(`/proc/${pid}/task`)
    .map(Number)
    .filter((tid) => commOf(pid, tid) === main);
}

function refusal(e: unknown): string {
  const err = e as NodeJS.ErrnoException & { stderr?: Buffer | string };
  if (err.code === 'ENOENT') return 'ENOENT: no chrt (util-linux) on this host';
  const said = String(err.stderr ?? '').trim();
  return /not permitted/i.test(said) ? 'EPERM' : said || String(e);
}

/**
 * Schedules `tids` SCHED_FIFO at `priority` (with SCHED_RESET_ON_FORK), or, with 0, back to
 * normal scheduling. A thread that ended meanwhile is skipped. At the first refusal the
 * threads already raised are put back, so that it is all of them or none.
 */
export function scheduleThreads(
  tids: readonly number[],
  priority: number,
  chrt: Chrt = runChrt,
): RealtimeOutcome {
  const done: number[] = [];
  for (const tid of tids) {
    try {
      if (priority > 0) chrt(['--fifo', '--reset-on-fork', '--pid', String(priority), String(tid)]);
      else chrt(['--other', '--pid', '0', String(tid)]);
      done.push(tid);
    } catch (e) {
      if (!existsSync(`/proc/${tid}`)) continue;
      if (priority > 0) scheduleThreads(done, 0, chrt);
      return { priority, threads: 0, refused: refusal(e) };
    }
  }
  return { priority, threads: done.length };
}

/** A second of the main thread this busy (event loop utilization), twice in a row: overloaded. */
export const OVERLOAD_BUSY = 0.85;
export const OVERLOAD_SECONDS = 2;
/** Back to real-time after this many seconds in a row at most this busy. */
export const CALM_BUSY = 0.5;
export const CALM_SECONDS = 10;

/**
 * Real-time threads that never sleep would starve the rest of the node (the HTTP process's
 * health checks and logins; the kernel leaves other work only 5 % of a core). So a room process
 * whose main thread stays busy gives real-time scheduling up until it is calm again: while it
 * is overloaded its ticks are late whatever the scheduling, and the node must stay reachable.
 */
export class OverloadGuard {
  private run = 0;
  /** True while the threads run with normal scheduling because of an overload. */
  demoted = false;

  /** One second's busy fraction of the main thread (0-1): what to do now, if anything. */
  observe(busy: number): 'demote' | 'restore' | undefined {
    if (!this.demoted) {
      this.run = busy >= OVERLOAD_BUSY ? this.run + 1 : 0;
      if (this.run < OVERLOAD_SECONDS) return undefined;
    } else {
      this.run = busy <= CALM_BUSY ? this.run + 1 : 0;
      if (this.run < CALM_SECONDS) return undefined;
    }
    this.run = 0;
    this.demoted = !this.demoted;
    return this.demoted ? 'demote' : 'restore';
  }
}

export interface RealtimeDeps {
  log(level: 'info' | 'warn', obj: object, msg: string): void;
  chrt?: Chrt;
  /** The main thread's busy fraction since the last call (event loop utilization). */
  busy?: () => number;
  /** Calls `fn` every second until the process ends. */
  everySecond?: (fn: () => void) => void;
}

function eventLoopBusy(): () => number {
  let last = performance.eventLoopUtilization();
  return () => {
    const now = performance.eventLoopUtilization();
    const busy = performance.eventLoopUtilization(now, last).utilization;
    last = now;
    return busy;
  };
}

/**
 * ROOM_RT_PRIORITY in the room process: `tids` SCHED_FIFO at `priority`, said in the log either
 * way; then, once a second, the OverloadGuard decides, and its decisions are carried out.
 */
export function scheduleRealtime(
  priority: number,
  tids: readonly number[],
  d: RealtimeDeps,
): RealtimeOutcome {
  const chrt = d.chrt ?? runChrt;
  const outcome: RealtimeOutcome =
    tids.length === 0
      ? { priority, threads: 0, refused: 'no /proc/<pid>/task: threads not found on this OS' }
      : scheduleThreads(tids, priority, chrt);
  if (outcome.refused) {
    d.log(
      'warn',
      outcome,
      'room process keeps normal scheduling: SCHED_FIFO needs CAP_SYS_NICE or an RLIMIT_RTPRIO this high, and chrt (ROOM_RT_PRIORITY)',
    );
    return outcome;
  }
  d.log('info', outcome, 'room process threads run SCHED_FIFO');
  const guard = new OverloadGuard();
  const busy = d.busy ?? eventLoopBusy();
  const everySecond = d.everySecond ?? ((fn) => setInterval(fn, 1_000).unref());
  everySecond(() => {
    const fraction = busy();
    const action = guard.observe(fraction);
    if (!action) return;
    const set = scheduleThreads(tids, action === 'demote' ? 0 : priority, chrt);
    const obj = { ...set, busy: Math.round(fraction * 100) / 100 };
    if (action === 'demote') {
      d.log('warn', obj, 'room process overloaded: normal scheduling until it is calm');
    } else {
      d.log('info', obj, 'room process calm again: threads run SCHED_FIFO');
    }
  });
  return outcome;
}

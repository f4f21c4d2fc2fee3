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
import { readdirSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

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

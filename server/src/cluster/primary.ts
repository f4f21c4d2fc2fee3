// NODES > 1: the primary of node:cluster. It starts the local emulators once (local mode), forks
// NODES server processes that share the HTTP port, restarts one that dies (with backoff), and on
// stop lets every process run its own shutdown before the whole tree exits.
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';
import type { Backends } from '../backends.js';
import type { Config } from '../config.js';

/** What a server process sends its primary once it listens and has joined the registry. */
export interface NodeReadyMessage {
  readonly kind: 'node-ready';
  readonly nodeId: string;
  readonly index: number;
}

/** What the primary tells the others when a process died: forget it now, release its players. */
export interface NodeLostMessage {
  readonly kind: 'node-lost';
  readonly nodeId: string;
}

export const isNodeLost = (m: unknown): m is NodeLostMessage =>
  typeof m === 'object' &&
  m !== null &&
  (m as { kind?: unknown }).kind === 'node-lost' &&
  typeof (m as { nodeId?: unknown }).nodeId === 'string';

const isReady = (m: unknown): m is NodeReadyMessage =>
  typeof m === 'object' && m !== null && (m as { kind?: unknown }).kind === 'node-ready';

/** The whole tree is gone within this after a stop request. */
const TREE_DEADLINE_MS = 5_000;
/** Processes that have not exited this long after SIGTERM are killed (then the emulators stop). */
const CHILD_GRACE_MS = 4_300;
const RESTART_BASE_MS = 250;
const RESTART_MAX_MS = 5_000;
/** A process that lived this long before dying starts the backoff over. */
const STABLE_MS = 10_000;

export interface PrimaryOptions {
  config: Config;
  logger: Logger;
  /** Local mode: starts the emulators and makes the pool and tables (startLocal). */
  startBackends?: () => Promise<Backends>;
  /** Installs the stop triggers (signals, a key); calls `stop` once asked. */
  onStopRequest: (stop: (why: string) => void) => void;
  /** Printed once every process is ready. */
  readyLine: string;
}

interface Slot {
  worker: Worker;
  startedAt: number;
  failures: number;
  nodeId?: string;
  timer?: NodeJS.Timeout;
}

export async function runPrimary(o: PrimaryOptions): Promise<void> {
  const { config, logger } = o;
  const backends = await o.startBackends?.();
  // Only the primary reads the terminal; the processes write to it.
  cluster.setupPrimary({ stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const slots = new Map<number, Slot>();
  let stopping = false;
  let started = false;

  const fork = (index: number, failures: number): Promise<NodeReadyMessage> => {
    const worker = cluster.fork({ NODE_INDEX: String(index) });
    const slot: Slot = { worker, startedAt: Date.now(), failures };
    slots.set(index, slot);
    const ready = new Promise<NodeReadyMessage>((resolve, reject) => {
      worker.on('message', (m: unknown) => {
        if (!isReady(m)) return;
        slot.nodeId = m.nodeId;
        logger.info({ index, nodeId: m.nodeId, pid: worker.process.pid }, 'server process ready');
        resolve(m);
      });
      worker.once('exit', (code, signal) => {
        reject(new Error(`server process ${index} exited (${signal ?? code}) before it was ready`));
        onExit(index, slot, code, signal);
      });
    });
    // A restart that fails before it is ready is retried by onExit; nobody awaits it.
    ready.catch(() => undefined);
    return ready;
  };

  const onExit = (index: number, slot: Slot, code: number | null, signal: string | null) => {
    if (stopping || !started || slots.get(index) !== slot) return;
    const lived = Date.now() - slot.startedAt;
    const failures = lived >= STABLE_MS ? 0 : slot.failures + 1;
    const delay = Math.min(RESTART_MAX_MS, RESTART_BASE_MS * 2 ** Math.max(0, failures - 1));
    logger.error(
      { index, nodeId: slot.nodeId, code, signal, restartInMs: delay },
      'server process died; restarting it',
    );
    // The others need not wait for its registry entry to expire.
    if (slot.nodeId !== undefined) {
      const lost: NodeLostMessage = { kind: 'node-lost', nodeId: slot.nodeId };
      for (const other of slots.values())
        if (other !== slot && other.worker.isConnected()) other.worker.send(lost);
    }
    slot.timer = setTimeout(() => {
      if (!stopping) fork(index, failures).catch(() => undefined); // onExit retries
    }, delay);
  };

  const killAll = (signal: NodeJS.Signals) => {
    for (const { worker, timer } of slots.values()) {
      clearTimeout(timer);
      if (!worker.isDead()) worker.process.kill(signal);
    }
  };
  const allExited = () =>
    Promise.all(
      [...slots.values()].map(({ worker }) =>
        worker.isDead()
          ? Promise.resolve()
          : new Promise<void>((r) => worker.once('exit', () => r())),
      ),
    );

  const stop = async (why: string, code: number) => {
    if (stopping) return;
    stopping = true;
    logger.info({ why }, 'stopping every server process');
    setTimeout(() => {
      logger.error('stop overran its deadline; exiting');
      process.exit(1);
    }, TREE_DEADLINE_MS).unref();
    // Each process tells its players server_stopping and marks them inactive, as NODES=1 does.
    killAll('SIGTERM');
    const grace = setTimeout(() => killAll('SIGKILL'), CHILD_GRACE_MS);
    await allExited();
    clearTimeout(grace);
    await backends?.close();
    logger.info('stopped');
    process.exit(code);
  };

  // SIGUSR2 to the primary (the lifecycle hook's drain) reaches every server process.
  process.on('SIGUSR2', () => {
    logger.info('passing SIGUSR2 to every server process');
    for (const { worker } of slots.values()) if (!worker.isDead()) worker.process.kill('SIGUSR2');
  });

  o.onStopRequest((why) => {
    stop(why, 0).catch((err: unknown) => {
      logger.error({ err }, 'stop failed');
      process.exit(1);
    });
  });

  try {
    await Promise.all(Array.from({ length: config.NODES }, (_, i) => fork(i, 0)));
  } catch (err) {
    console.error(`start-up failed: ${err instanceof Error ? err.message : String(err)}`);
    await stop('start-up failed', 1);
    return;
  }
  started = true;
  process.stdout.write(`${o.readyLine}\n`);
}

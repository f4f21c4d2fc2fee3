// RoomHost's options, derived from the worker's settings, and the defaults that fill them in.
import type { Logger } from 'pino';
import { MATCH_TICKS, SNAPSHOT_RATE, TICK_RATE } from '../../../shared/src/sim/constants.js';
import type { WatchdogSettings } from './worker-pool.js';
import type { WorkerSettings } from './worker-protocol.js';
import type { StartRoomRunner } from './worker-spawn.js';

type Needed = 'udpPort' | 'bindAddress' | 'heartbeatTimeoutMs';

/** The worker's settings (the needed ones, the rest defaulted) and the host's own. */
export type RoomHostOptions = Pick<WorkerSettings, Needed> &
  Partial<Omit<WorkerSettings, Needed>> & {
    readonly logger: Logger;
    /**
     * Worker threads (default 1). More than one is NOT safe with node-datachannel 0.33: its
     * registry of peers is process-wide and unsynchronised. Scale with processes instead.
     */
    readonly workers?: number;
    /** Upper bound on stopAll() (default 2 s). */
    readonly stopTimeoutMs?: number;
    /** A worker that does not answer a ping in time is replaced (default every 1 s, 5 s). */
    readonly watchdog?: WatchdogSettings;
    /** Where the rooms run (default: a worker thread each; the benchmark runs them inline). */
    readonly startRunner?: StartRoomRunner;
  };

export const DEFAULT_WATCHDOG: WatchdogSettings = { intervalMs: 1_000, timeoutMs: 5_000 };

/** Fills in the defaults; throws RangeError for a snapshot rate the wire cannot carry. */
export function workerSettings(o: RoomHostOptions): WorkerSettings {
  const snapshotRate = o.snapshotRate ?? SNAPSHOT_RATE;
  // It travels as uint8 in match_start; above the tick rate it means nothing.
  if (!Number.isInteger(snapshotRate) || snapshotRate < 1 || snapshotRate > TICK_RATE) {
    throw new RangeError(`snapshotRate must be an integer 1-${TICK_RATE}, got ${snapshotRate}`);
  }
  return {
    udpPort: o.udpPort,
    bindAddress: o.bindAddress,
    publicIp: o.publicIp,
    iceServers: o.iceServers ?? [],
    heartbeatTimeoutMs: o.heartbeatTimeoutMs,
    matchTicks: o.matchTicks ?? MATCH_TICKS,
    snapshotRate,
    connectTimeoutMs: o.connectTimeoutMs ?? 15_000,
    pingIntervalMs: o.pingIntervalMs ?? 1000,
    inputQueueSize: o.inputQueueSize ?? 8,
    closeGraceMs: o.closeGraceMs ?? 250,
    reconnectGraceMs: o.reconnectGraceMs ?? 0,
    answerTimeoutMs: o.answerTimeoutMs ?? 5_000,
    faultInjection: o.faultInjection ?? false,
    nice: o.nice ?? 0,
    realtimePriority: o.realtimePriority ?? 0,
  };
}

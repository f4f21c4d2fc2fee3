// The in-match half of a headless bot: random inputs at 60 Hz, pings both ways, and a
// report of what the server sent. Login, queueing and signalling live in run.ts.
import {
  decodeControl,
  decodeState,
  encodeInput,
  encodeLeave,
  encodePing,
  encodePong,
  BUTTON_MASK,
  type ControlMessage,
  type MatchStart,
} from '../../../shared/src/protocol/index.js';
import { percentiles } from '../match/samples.js';
import { createScheduler, type Cancel, type Scheduler } from '../match/scheduler.js';
import type { Peer, TransportLogger } from '../transport/index.js';

export type BotResult = 'played' | 'opponent_left' | 'server_stopping' | 'ended' | 'failed';

export interface BotMatchReport {
  readonly matchId: string;
  readonly opponent: string;
  /** Snapshots received on `state`. */
  readonly snapshots: number;
  readonly snapshotHz: number;
  /** Application payload bytes received on `state`, per second of match. */
  readonly bytesPerSecond: number;
  /** Round trips of the bot's own pings on `control`. */
  readonly rttMs: { readonly p50: number; readonly p99: number };
  readonly result: BotResult;
  /** Why, when result is failed. */
  readonly error?: string;
}

export interface PlayOptions {
  /** Play this long after match_start, then send leave. */
  readonly seconds: number;
  readonly logger: TransportLogger;
  /** Give up if match_start has not come by then (default 15 s). */
  readonly startTimeoutMs?: number;
  readonly inputHz?: number;
  readonly pingIntervalMs?: number;
  /** Injected for tests; defaults to real timers and Math.random. */
  readonly scheduler?: Scheduler;
  readonly random?: () => number;
}

const terminal: Partial<Record<ControlMessage['type'], BotResult>> = {
  opponent_left: 'opponent_left',
  server_stopping: 'server_stopping',
  match_end: 'ended',
};

/** Plays one match on an open peer; never throws (a failure is result: 'failed'). */
export function playMatch(peer: Peer, options: PlayOptions): Promise<BotMatchReport> {
  return new Promise((resolve) => new BotMatch(peer, options, resolve).begin());
}

class BotMatch {
  private readonly scheduler: Scheduler;
  private readonly random: () => number;
  private start: MatchStart | undefined;
  private startedAt = 0;
  private timers: Cancel[] = [];
  private seq = 0;
  private pingId = 0;
  private snapshots = 0;
  private bytes = 0;
  private readonly rtts: number[] = [];
  private done = false;

  constructor(
    private readonly peer: Peer,
    private readonly options: PlayOptions,
    private readonly resolve: (report: BotMatchReport) => void,
  ) {
    this.scheduler = options.scheduler ?? createScheduler();
    this.random = options.random ?? Math.random;
  }

  begin(): void {
    const timeout = this.options.startTimeoutMs ?? 15_000;
    this.timers.push(this.scheduler.after(timeout, () => this.finish('failed', 'no match_start')));
    this.peer.onControl((bytes) => this.control(bytes));
    this.peer.onState((bytes) => this.state(bytes));
    this.peer.onClose((reason) => this.finish('failed', `connection closed: ${reason}`));
  }

  private control(bytes: Uint8Array): void {
    const decoded = decodeControl(bytes);
    if (!decoded.ok) return this.options.logger.warn({ error: decoded.error }, 'bad control frame');
    const msg = decoded.msg;
    if (msg.type === 'match_start') return this.started(msg);
    if (msg.type === 'ping') this.peer.sendControl(encodePong({ id: msg.id, t: msg.t }));
    if (msg.type === 'pong') this.rtts.push(this.scheduler.now() - msg.t);
    if (msg.type === 'error') this.finish('failed', `server error ${msg.code}`);
    const result = terminal[msg.type];
    if (result) this.finish(result);
  }

  private state(bytes: Uint8Array): void {
    if (!this.start) return;
    this.bytes += bytes.byteLength;
    const decoded = decodeState(bytes);
    if (decoded.ok && decoded.msg.type === 'snapshot') this.snapshots++;
  }

  private started(msg: MatchStart): void {
    if (this.start || this.done) return;
    this.start = msg;
    this.startedAt = this.scheduler.now();
    this.cancelTimers();
    const { seconds, inputHz = 60, pingIntervalMs = 250 } = this.options;
    this.timers.push(
      this.scheduler.after(seconds * 1000, () => this.leave()),
      this.scheduler.every(1000 / inputHz, () => this.sendInput(msg)),
      this.scheduler.every(pingIntervalMs, () => this.ping()),
    );
    this.options.logger.debug({ matchId: msg.matchId, slot: msg.you }, 'match started');
  }

  private sendInput(start: MatchStart): void {
    const elapsedTicks = ((this.scheduler.now() - this.startedAt) * start.tickRate) / 1000;
    const tick = (start.serverTick + Math.floor(elapsedTicks)) >>> 0;
    const buttons = Math.floor(this.random() * (BUTTON_MASK + 1)) & BUTTON_MASK;
    this.peer.sendState(encodeInput({ seq: ++this.seq, tick, buttons }));
  }

  private ping(): void {
    this.peer.sendControl(encodePing({ id: ++this.pingId, t: this.scheduler.now() }));
  }

  private leave(): void {
    this.peer.sendControl(encodeLeave());
    this.finish('played');
  }

  private cancelTimers(): void {
    for (const cancel of this.timers.splice(0)) cancel();
  }

  private finish(result: BotResult, error?: string): void {
    if (this.done) return;
    this.done = true;
    this.cancelTimers();
    const seconds = this.start ? (this.scheduler.now() - this.startedAt) / 1000 : 0;
    const perSecond = (n: number) => (seconds > 0 ? n / seconds : 0);
    const { p50, p99 } = percentiles(this.rtts);
    this.resolve({
      matchId: this.start?.matchId ?? '',
      opponent: this.start?.opponent ?? '',
      snapshots: this.snapshots,
      snapshotHz: perSecond(this.snapshots),
      bytesPerSecond: perSecond(this.bytes),
      rttMs: { p50, p99 },
      result,
      ...(error === undefined ? {} : { error }),
    });
    // Closing after leave is graceful: SCTP still delivers what was queued.
    this.peer.close();
  }
}

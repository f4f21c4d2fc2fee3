// The in-match half of a headless bot: the shared GameClient (the same netcode as the
// browser) fed by the peer, driven at 60 Hz by the pilot, and a report of how it went.
// Login, queueing and signalling live in run.ts.
import { GameClient } from '../../../shared/src/net/game-client.js';
import type { MatchEndInfo, MatchInfo } from '../../../shared/src/net/game-view.js';
import { percentiles } from '../match/samples.js';
import { createScheduler, type Cancel, type Scheduler } from '../match/scheduler.js';
import type { Peer, TransportLogger } from '../transport/index.js';
import { pilot } from './pilot.js';

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
  /** World units between the predicted own ship and where reconciliation put it. */
  readonly predictionError: { readonly p50: number; readonly p99: number; readonly max: number };
  /** Frames whose render point ran past the newest snapshot. */
  readonly interpolationUnderruns: number;
  /** Snapshots that could not be decoded (baseline unknown or malformed). */
  readonly snapshotsDropped: number;
  readonly result: BotResult;
  /** When the match reached its end (result `ended`): how it went for this bot. */
  readonly outcome?: 'win' | 'loss' | 'draw';
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

const RESULT: Record<MatchEndInfo['kind'], BotResult> = {
  match_end: 'ended',
  opponent_left: 'opponent_left',
  server_stopping: 'server_stopping',
  server_lost: 'failed',
  error: 'failed',
};

const outcomeFor = (winnerSlot: number, you: number) =>
  winnerSlot < 0 ? 'draw' : winnerSlot === you ? 'win' : 'loss';

/** Plays one match on an open peer; never throws (a failure is result: 'failed'). */
export function playMatch(peer: Peer, options: PlayOptions): Promise<BotMatchReport> {
  return new Promise((resolve) => new BotMatch(peer, options, resolve).begin());
}

class BotMatch {
  private readonly scheduler: Scheduler;
  private readonly random: () => number;
  private readonly client: GameClient;
  private info: MatchInfo | undefined;
  private startedAt = 0;
  private timers: Cancel[] = [];
  private done = false;
  private outcome: BotMatchReport['outcome'];

  constructor(
    private readonly peer: Peer,
    private readonly options: PlayOptions,
    private readonly resolve: (report: BotMatchReport) => void,
  ) {
    this.scheduler = options.scheduler ?? createScheduler();
    this.random = options.random ?? Math.random;
    this.client = new GameClient({
      sendControl: (b) => void peer.sendControl(b),
      sendState: (b) => void peer.sendState(b),
      now: () => this.scheduler.now(),
      onStart: (info) => this.started(info),
      onEnd: (end) => {
        if (end.kind === 'match_end' && this.info)
          this.outcome = outcomeFor(end.winnerSlot, this.info.you);
        this.finish(
          RESULT[end.kind],
          end.kind === 'error'
            ? `server error ${end.code}`
            : end.kind === 'server_lost'
              ? 'the game server went silent'
              : undefined,
        );
      },
    });
  }

  begin(): void {
    const timeout = this.options.startTimeoutMs ?? 15_000;
    this.timers.push(this.scheduler.after(timeout, () => this.finish('failed', 'no match_start')));
    this.peer.onControl((bytes) => this.client.receiveControl(bytes));
    this.peer.onState((bytes) => this.client.receiveState(bytes));
    this.peer.onClose((reason) => this.finish('failed', `connection closed: ${reason}`));
  }

  private started(info: MatchInfo): void {
    if (this.info || this.done) return;
    this.info = info;
    this.startedAt = this.scheduler.now();
    this.cancelTimers();
    const { seconds, inputHz = 60, pingIntervalMs = 250 } = this.options;
    this.timers.push(
      this.scheduler.after(seconds * 1000, () => this.leave()),
      this.scheduler.every(1000 / inputHz, () =>
        this.client.input(pilot(this.client.frame(), this.random)),
      ),
      this.scheduler.every(pingIntervalMs, () => this.client.ping()),
    );
    this.options.logger.debug({ matchId: info.matchId, slot: info.you }, 'match started');
  }

  private leave(): void {
    this.client.leave();
    this.finish('played');
  }

  private cancelTimers(): void {
    for (const cancel of this.timers.splice(0)) cancel();
  }

  private finish(result: BotResult, error?: string): void {
    if (this.done) return;
    this.done = true;
    this.cancelTimers();
    const seconds = this.info ? (this.scheduler.now() - this.startedAt) / 1000 : 0;
    const perSecond = (n: number) => (seconds > 0 ? n / seconds : 0);
    const stats = this.client.stats();
    const rtt = percentiles(stats.rttSamplesMs);
    const errors = percentiles(stats.predictionErrors);
    this.resolve({
      matchId: this.info?.matchId ?? '',
      opponent: this.info?.opponent ?? '',
      snapshots: stats.snapshots,
      snapshotHz: perSecond(stats.snapshots),
      bytesPerSecond: perSecond(stats.stateBytes),
      rttMs: { p50: rtt.p50, p99: rtt.p99 },
      predictionError: { p50: errors.p50, p99: errors.p99, max: errors.max },
      interpolationUnderruns: stats.interpolationUnderruns,
      snapshotsDropped: stats.snapshotsDropped,
      result,
      ...(this.outcome ? { outcome: this.outcome } : {}),
      ...(error === undefined ? {} : { error }),
    });
    // Closing after leave is graceful: SCTP still delivers what was queued.
    this.peer.close();
  }
}

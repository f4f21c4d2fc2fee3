// The in-match half of a headless bot: the shared GameClient (the same netcode as the
// browser) fed by the peer, driven at 60 Hz by the pilot, and a report of how it went.
// Login, queueing and signalling live in run.ts.
import { GameClient } from '../../../shared/src/net/game-client.js';
import type { MatchEndInfo, MatchInfo } from '../../../shared/src/net/game-view.js';
import { percentiles } from '../match/samples.js';
import { createScheduler, type Cancel, type Scheduler } from '../match/scheduler.js';
import type { Peer, TransportLogger } from '../transport/index.js';
import { pilot } from './pilot.js';

/** One scheduler for every bot of the process: their inputs and pings share the loops. */
const processScheduler = createScheduler();

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
  /** Times this bot dropped its connection on purpose (`--drop-after`) and came back. */
  readonly rejoins?: number;
  /** Rejoin started (the link is back) → match_start on the new connection, ms (the last). */
  readonly rejoinMs?: number;
  /** Times the server said the opponent dropped (the match paused for their rejoin). */
  readonly opponentAway: number;
}

/** `--drop-after`: drop the connection this far into the match, stay away, then rejoin. */
export interface DropPlan {
  readonly afterSeconds: number;
  readonly awaySeconds: number;
  /** A new connection to the same match (through the rejoin route), open when it resolves. */
  readonly rejoin: () => Promise<Peer>;
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
  readonly drop?: DropPlan;
}

const RESULT: Record<MatchEndInfo['kind'], BotResult> = {
  match_end: 'ended',
  opponent_left: 'opponent_left',
  server_stopping: 'server_stopping',
  server_lost: 'failed',
  error: 'failed',
};

/** After `leave`, how long the bot waits for the server to close before closing itself. */
const LEAVE_CLOSE_MS = 1_000;

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
  private opponentAway = 0;
  private rejoins = 0;
  private rejoinMs: number | undefined;
  private droppedAt: number | undefined;
  private rejoiningSince: number | undefined;
  private leaving = false;
  /** When the bot sent leave: its figures cover the match up to then. */
  private leftAt: number | undefined;

  constructor(
    private peer: Peer,
    private readonly options: PlayOptions,
    private readonly resolve: (report: BotMatchReport) => void,
  ) {
    this.scheduler = options.scheduler ?? processScheduler;
    this.random = options.random ?? Math.random;
    this.client = new GameClient({
      sendControl: (b) => void this.peer.sendControl(b),
      sendState: (b) => void this.peer.sendState(b),
      now: () => this.scheduler.now(),
      onStart: (info) => this.started(info),
      onOpponentAway: () => void this.opponentAway++,
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
    this.attach(this.peer);
  }

  private attach(peer: Peer): void {
    peer.onControl((bytes) => {
      if (peer !== this.peer) return;
      // The first match_start on a rejoined connection: play is back.
      if (this.rejoiningSince !== undefined) {
        this.rejoinMs = this.scheduler.now() - this.rejoiningSince;
        this.rejoiningSince = undefined;
        this.droppedAt = undefined;
      }
      this.client.receiveControl(bytes);
    });
    peer.onState((bytes) => peer === this.peer && this.client.receiveState(bytes));
    peer.onClose((reason) => {
      if (peer !== this.peer || this.droppedAt !== undefined) return;
      if (this.leaving) this.finish('played');
      else this.finish('failed', `connection closed: ${reason}`);
    });
  }

  /** `--drop-after`: the connection goes (as a Wi-Fi blip would), and comes back. */
  private drop(plan: DropPlan): void {
    this.droppedAt = this.scheduler.now();
    this.client.dropped();
    this.peer.close();
    this.options.logger.debug({ awaySeconds: plan.awaySeconds }, 'connection dropped');
    this.timers.push(
      this.scheduler.after(plan.awaySeconds * 1000, () => {
        this.rejoiningSince = this.scheduler.now();
        plan.rejoin().then(
          (peer) => {
            if (this.done) return peer.close();
            this.client.rejoined();
            this.peer = peer;
            this.rejoins++;
            this.attach(peer);
          },
          (e: unknown) =>
            this.finish(
              'failed',
              `could not rejoin: ${e instanceof Error ? e.message : String(e)}`,
            ),
        );
      }),
    );
  }

  private started(info: MatchInfo): void {
    if (this.info || this.done) return;
    this.info = info;
    this.startedAt = this.scheduler.now();
    this.cancelTimers();
    // Pings as often as the browser does (web/src/ui/game-screen.ts PING_EVERY_MS).
    const { seconds, inputHz = 60, pingIntervalMs = 500 } = this.options;
    this.timers.push(
      this.scheduler.after(seconds * 1000, () => this.leave()),
      this.scheduler.every(1000 / inputHz, () =>
        this.client.input(pilot(this.client.frame(), this.random)),
      ),
      this.scheduler.every(pingIntervalMs, () => this.client.ping()),
    );
    const { drop } = this.options;
    if (drop)
      this.timers.push(this.scheduler.after(drop.afterSeconds * 1000, () => this.drop(drop)));
    this.options.logger.debug({ matchId: info.matchId, slot: info.you }, 'match started');
  }

  /**
   * The server ends the match on `leave` and then closes the connection. Closing first could
   * reach it before the leave does (the state channel's close races the control message) and
   * would read as a drop, whose seat waits RECONNECT_GRACE_MS: so the bot waits for the
   * server's close, bounded, as the browser does.
   */
  private leave(): void {
    this.client.leave();
    this.leaving = true;
    this.leftAt = this.scheduler.now();
    this.cancelTimers();
    this.timers.push(this.scheduler.after(LEAVE_CLOSE_MS, () => this.finish('played')));
  }

  private cancelTimers(): void {
    for (const cancel of this.timers.splice(0)) cancel();
  }

  private finish(result: BotResult, error?: string): void {
    if (this.done) return;
    this.done = true;
    this.cancelTimers();
    const seconds = this.info ? ((this.leftAt ?? this.scheduler.now()) - this.startedAt) / 1000 : 0;
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
      opponentAway: this.opponentAway,
      ...(this.rejoins > 0 ? { rejoins: this.rejoins } : {}),
      ...(this.rejoinMs === undefined ? {} : { rejoinMs: this.rejoinMs }),
      ...(this.outcome ? { outcome: this.outcome } : {}),
      ...(error === undefined ? {} : { error }),
    });
    // Closing after leave is graceful: SCTP still delivers what was queued.
    this.peer.close();
  }
}

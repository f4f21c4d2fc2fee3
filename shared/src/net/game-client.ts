// The client side of a match, for the browser and the bot alike: decodes what the server
// sends, sends inputs with redundancy and acks, predicts the local ship, interpolates the
// rest, keeps the server clock, and measures how well all of that is going. It owns no
// timers: the caller drives input() at TICK_RATE, ping() every ~500 ms (a beat; it pings on
// every other one while inputs flow), frame() per render.
// A server that goes silent mid-match (a killed or hung room worker, a dead network) ends the
// match as `server_lost` after `silenceMs`, long before ICE would give up (about 30 s).
import {
  decodeControl,
  decodeSnapshot,
  encodeInputs,
  encodeLeave,
  encodePing,
  encodePong,
  MAX_INPUTS_PER_FRAME,
  ViewHistory,
  type ControlMessage,
  type SnapshotView,
} from '../protocol/index.js';
import { MATCH_TICKS, TICK_RATE } from '../sim/constants.js';
import { wrapX, wrapY } from '../sim/fixed.js';
import { stepShip } from '../sim/ship.js';
import { ServerClock } from './clock.js';
import type { MatchEndInfo, MatchInfo, NetStats, RenderFrame } from './game-view.js';
import { InterpolationBuffer } from './interpolation.js';
import { blendViews, shipDistance } from './blend.js';
import { Predictor } from './prediction.js';
import type { Projectile, Ship } from '../sim/types.js';

export interface GameClientOptions {
  sendControl(bytes: Uint8Array): void;
  sendState(bytes: Uint8Array): void;
  /** Milliseconds, monotonic (performance.now()). */
  now(): number;
  onStart?(info: MatchInfo): void;
  onEnd?(info: MatchEndInfo): void;
  /** The opponent dropped: the match is paused while their seat waits `graceMs` for them. */
  onOpponentAway?(graceMs: number): void;
  /** The opponent rejoined; the match goes on. */
  onOpponentBack?(): void;
  /** Silence from the server, once the match started, that ends it as `server_lost`. */
  silenceMs?: number;
  /**
   * Given, silence does not end the match: the client is `dropped()` and this is called, so
   * the caller can rejoin (then `rejoined()`) or give up (`lost()`).
   */
  onSilence?(): void;
}

/**
 * The server sends 30 snapshots and a ping a second: 3 s without a byte is no network hiccup.
 * The same span as the server's default HEARTBEAT_TIMEOUT_MS for silent clients.
 */
export const SERVER_SILENCE_MS = 3000;

/** Remote objects are drawn this far in the past: 100 ms, three snapshots at 30 Hz. */
export const INTERPOLATION_TICKS = Math.round(TICK_RATE / 10);

/**
 * The local player's shots, moved from the interpolated past to the present, where their
 * (predicted) ship is: they fly straight at a constant speed, so this is exact until they hit.
 */
function present(p: Projectile): Projectile {
  const ahead = INTERPOLATION_TICKS;
  if (p.ttl <= ahead) return p;
  return { ...p, x: wrapX(p.x + p.vx * ahead), y: wrapY(p.y + p.vy * ahead), ttl: p.ttl - ahead };
}

/** An unchanged input is sent with the next one: a frame goes at least every other tick. */
export const INPUT_SEND_EVERY = 2;

export class GameClient {
  info: MatchInfo | undefined;
  private ended = false;
  private seq = 0;
  /** `seq` of the newest input sent (0: none since the match, or the rejoin, began). */
  private sentSeq = 0;
  private readonly recent: number[] = [];
  private readonly history = new ViewHistory();
  private readonly buffer = new InterpolationBuffer<SnapshotView>();
  private readonly clock = new ServerClock({ tickRate: TICK_RATE });
  private predictor = new Predictor<Ship>(stepShip, shipDistance);
  private newestTick = 0;
  private rttMs: number | undefined;
  private readonly rtts: number[] = [];
  private pingId = 0;
  /** The caller's ping beats so far (see ping()). */
  private beats = 0;
  private counts = { snapshots: 0, stateBytes: 0, dropped: 0 };
  private lastHeardAt: number;
  /** While this client's own connection is down and it is rejoining, silence is expected. */
  private rejoining = false;
  /** The opponent is away and the server's match stands still: no inputs, nothing predicted. */
  private paused = false;

  constructor(private readonly o: GameClientOptions) {
    this.lastHeardAt = o.now();
  }

  /**
   * This client's connection dropped and it is coming back through the rejoin route: no
   * inputs, no silence verdict (the server holds the seat for RECONNECT_GRACE_MS).
   */
  dropped(): void {
    this.rejoining = true;
  }

  /**
   * On the new connection: the server counts this client's inputs from 1 again and sends a
   * full snapshot first, so prediction and delta baselines start afresh. Then the match_start
   * that comes on the new connection resumes play.
   */
  rejoined(): void {
    this.rejoining = false;
    this.lastHeardAt = this.o.now();
    this.seq = 0;
    this.sentSeq = 0;
    this.recent.length = 0;
    this.predictor = new Predictor<Ship>(stepShip, shipDistance);
  }

  receiveControl(bytes: Uint8Array): void {
    this.lastHeardAt = this.o.now();
    const r = decodeControl(bytes);
    if (r.ok) this.control(r.msg);
  }

  receiveState(bytes: Uint8Array): void {
    this.lastHeardAt = this.o.now();
    this.counts.stateBytes += bytes.length;
    const r = decodeSnapshot(bytes, this.history.baselineFor);
    if (!r.ok) {
      this.counts.dropped++;
      return;
    }
    const { view, ackInputSeq } = r.msg;
    this.counts.snapshots++;
    this.history.put(view);
    this.buffer.push(view.tick, view);
    this.clock.observe(view.tick, this.o.now(), this.rttMs ?? 0);
    // Only the newest snapshot moves the prediction; a late one says nothing new.
    if (view.tick > this.newestTick) {
      this.newestTick = view.tick;
      if (this.info) this.predictor.reconcile(view.ships[this.info.you], ackInputSeq);
    }
  }

  /**
   * One tick of local input, predicted at once. Sent at once when the buttons change, and an
   * unchanged one with the next frame, so that no two ticks in a row go without a frame; each
   * frame carries the last few inputs (loss costs nothing). Held buttons make 30 frames a
   * second, half the datagrams of one per tick, and no change waits. A frame sent for a change
   * also stands for the next tick's unchanged input: the server plays the held buttons for a
   * tick whose input has not come yet (server/src/match/input-queue.ts), which is exactly what
   * an unchanged input would have done, and the frame after acknowledges it.
   */
  input(buttons: number): void {
    if (!this.info || this.ended || this.rejoining || this.paused) return;
    this.seq++;
    const changed = buttons !== this.recent[this.recent.length - 1];
    this.recent.push(buttons);
    if (this.recent.length > MAX_INPUTS_PER_FRAME) this.recent.shift();
    if (changed || this.seq - this.sentSeq >= INPUT_SEND_EVERY) {
      this.send();
      this.sentSeq = this.seq;
    }
    this.predictor.input(this.seq, buttons);
  }

  private send(): void {
    this.o.sendState(
      encodeInputs({
        ackSnapshotTick: this.newestTick,
        firstSeq: this.seq - this.recent.length + 1,
        buttons: this.recent,
      }),
    );
  }

  /**
   * The caller's ~500 ms beat: ends a started match as `server_lost` when nothing has come
   * from the server for `silenceMs`, and sends a ping. While this client sends inputs (at
   * least 30 frames a second, which keep the server's heartbeat), a ping goes on every other
   * beat only: once a second is plenty for the RTT shown, and each ping is two datagrams the
   * server handles. Before the match, and while it is paused, every beat pings, since the
   * pings and pongs are then all the server hears of this client.
   */
  ping(): void {
    if (this.ended || this.rejoining) return;
    const now = this.o.now();
    if (this.info && now - this.lastHeardAt > (this.o.silenceMs ?? SERVER_SILENCE_MS)) {
      if (!this.o.onSilence) return this.lost();
      this.dropped();
      return this.o.onSilence();
    }
    const sendingInputs = this.info !== undefined && !this.paused;
    if (sendingInputs && this.beats++ % 2 === 1) return;
    this.o.sendControl(encodePing({ id: ++this.pingId >>> 0, t: now }));
  }

  /** The server is gone for good (silent, and a rejoin failed): ends the match `server_lost`. */
  lost(): void {
    this.finish({ kind: 'server_lost' });
  }

  leave(): void {
    if (this.ended) return;
    this.o.sendControl(encodeLeave());
    this.finish({ kind: 'opponent_left' }, false);
  }

  /** What to draw now: remote objects interpolated ~100 ms back, the local ship predicted. */
  frame(): RenderFrame | undefined {
    const info = this.info;
    if (!info || !this.clock.synced) return undefined;
    const renderTick = this.clock.serverTick(this.o.now()) - INTERPOLATION_TICKS;
    const sample = this.buffer.sample(renderTick);
    if (!sample) return undefined;
    const view = blendViews(sample.from, sample.to, sample.alpha);
    const own = this.predictor.current ?? view.ships[info.you];
    const ships: [Ship, Ship] = info.you === 0 ? [own, view.ships[1]] : [view.ships[0], own];
    return {
      renderTick,
      you: info.you,
      ships,
      asteroids: view.asteroids,
      projectiles: view.projectiles.map((p) => (p.owner === info.you ? present(p) : p)),
      ticksLeft: Math.max(0, info.matchTicks - (this.buffer.newest?.view.tick ?? view.tick)),
    };
  }

  stats(): NetStats {
    return {
      rttMs: this.rttMs,
      rttSamplesMs: this.rtts,
      snapshots: this.counts.snapshots,
      stateBytes: this.counts.stateBytes,
      predictionErrors: this.predictor.errors,
      interpolationUnderruns: this.buffer.underruns,
      snapshotsDropped: this.counts.dropped,
    };
  }

  /** The newest authoritative view (for results and tests). */
  get latest(): SnapshotView | undefined {
    return this.buffer.newest?.view;
  }

  private control(m: ControlMessage): void {
    switch (m.type) {
      case 'match_start': {
        // Again on a rejoined connection: the same match, told once to the caller.
        const again = this.info?.matchId === m.matchId;
        this.info = {
          matchId: m.matchId,
          you: m.you,
          opponent: m.opponent,
          matchTicks: m.matchTicks ?? MATCH_TICKS,
        };
        // Back after our own drop: the match stood still meanwhile, and goes on unless the
        // server says next that the opponent is away too (opponent_away follows then).
        if (!again) return this.o.onStart?.(this.info);
        this.paused = false;
        this.clock.resync();
        return;
      }
      case 'opponent_away':
        this.paused = true;
        return this.o.onOpponentAway?.(m.graceMs);
      case 'opponent_back':
        this.paused = false;
        this.clock.resync();
        return this.o.onOpponentBack?.();
      case 'ping':
        this.o.sendControl(encodePong({ id: m.id, t: m.t }));
        return;
      case 'pong':
        this.rttMs = this.o.now() - m.t;
        this.rtts.push(this.rttMs);
        if (this.rtts.length > 2048) this.rtts.shift();
        return;
      case 'match_end':
        return this.finish({ kind: 'match_end', reason: m.reason, winnerSlot: m.winnerSlot });
      case 'opponent_left':
        return this.finish({ kind: 'opponent_left' });
      case 'server_stopping':
        return this.finish({ kind: 'server_stopping' });
      case 'error':
        return this.finish({ kind: 'error', code: m.code });
      default:
        return;
    }
  }

  private finish(info: MatchEndInfo, tell = true): void {
    if (this.ended) return;
    this.ended = true;
    if (tell) this.o.onEnd?.(info);
  }
}

// A bench-only headless player: the bot's account, queue and WebRTC steps, and the shared
// GameClient, with what the bot CLI does not measure. Modes: `pilot` flies like the bot,
// `idle` holds no buttons (the idle scene), `probe` taps a turn button on and off. Every
// mode times each input to the first snapshot whose ackInputSeq covers it, counts each
// snapshot datagram for the on-wire estimate, and may run over an ImpairedPeer.
import type { Logger } from 'pino';
import { ApiError, type ApiClient } from '../../shared/src/net/api-client.js';
import { GameClient } from '../../shared/src/net/game-client.js';
import type { MatchInfo } from '../../shared/src/net/game-view.js';
import { Button, decodeSnapshot, ViewHistory } from '../../shared/src/protocol/index.js';
import { pilot } from '../../server/src/bot/pilot.js';
import { createScheduler, type Cancel } from '../../server/src/match/scheduler.js';
import { createRtcClient, type Peer, type RtcClient } from '../../server/src/transport/index.js';
import { ImpairedPeer, seededRandom, type Impairment } from './impair.js';
import { summarize, type Summary } from './stats.js';
import { wireBytes } from './wire.js';

export type PlayerMode = 'pilot' | 'idle' | 'probe';

export interface PlayerOptions {
  readonly api: ApiClient;
  readonly username: string;
  readonly password: string;
  readonly signup: boolean;
  readonly seconds: number;
  readonly mode: PlayerMode;
  readonly impair?: Impairment | undefined;
  readonly logger: Logger;
  readonly seed: number;
}

export interface PlayerReport {
  readonly username: string;
  readonly mode: PlayerMode;
  readonly impaired: boolean;
  readonly result: 'played' | 'ended' | 'failed';
  readonly error?: string;
  readonly matchId?: string;
  readonly timeToMatchMs?: number;
  readonly connectMs?: number;
  readonly seconds?: number;
  readonly snapshots?: number;
  readonly snapshotHz?: number;
  readonly bytesPerSecond?: number;
  readonly wireBytesPerSecond?: number;
  readonly datagramsPerSecond?: number;
  readonly rttMs?: Summary;
  readonly inputToStateMs?: Summary;
  readonly changeToStateMs?: Summary;
  readonly predictionError?: Summary;
  readonly interpolationUnderruns?: number;
  readonly framesRendered?: number;
  /** Distinct snapshot ticks decoded ÷ ticks the server sent between the first and the last. */
  readonly snapshotDelivery?: number;
  readonly snapshotsDropped?: number;
  /** Raw samples, for percentiles pooled over players (the runner drops them from its JSON). */
  readonly samples?: {
    readonly inputToStateMs: readonly number[];
    readonly changeToStateMs: readonly number[];
    readonly rttMs: readonly number[];
    readonly predictionError: readonly number[];
  };
}

/** Ticks per snapshot at 60 Hz ticks and 30 Hz snapshots. */
const TICKS_PER_SNAPSHOT = 2;
const INPUT_HZ = 60;
const PING_MS = 250;

export interface Prepared {
  readonly o: PlayerOptions;
  readonly token: string;
  readonly rtc: RtcClient;
  readonly offer: string;
}

/** Account and offer; queueing is separate so a caller can decide who pairs with whom. */
export async function prepare(o: PlayerOptions): Promise<Prepared> {
  if (o.signup) {
    await o.api.signup(o.username, o.password).catch((e: unknown) => {
      if (!(e instanceof ApiError && e.code === 'username_taken')) throw e;
    });
  }
  const { accessToken } = await o.api.login(o.username, o.password);
  const rtc = createRtcClient({ logger: o.logger, timeoutMs: 15_000 });
  return { o, token: accessToken, rtc, offer: await rtc.offerSdp };
}

/** Posts the ticket; resolves once the server has queued (or already paired) it. */
export async function queue(p: Prepared): Promise<{ ticketId: string; postedAt: number }> {
  const postedAt = performance.now();
  const { ticketId } = await p.o.api.requestMatch(p.token, p.offer);
  return { ticketId, postedAt };
}

export interface Matched {
  readonly matchId: string;
  readonly answer: string;
  /** performance.now() when `matched` arrived. */
  readonly at: number;
  readonly timeToMatchMs: number;
}

const MATCH_TIMEOUT_MS = 30_000;

/** Waits on the ticket's event stream for `matched` (at most 30 s). */
export async function matched(
  p: Prepared,
  ticket: { ticketId: string; postedAt: number },
): Promise<Matched> {
  const signal = AbortSignal.timeout(MATCH_TIMEOUT_MS);
  for await (const e of p.o.api.matchEvents(p.token, ticket.ticketId, signal)) {
    if (e.type === 'matched') {
      const at = performance.now();
      return { matchId: e.matchId, answer: e.answer, at, timeToMatchMs: at - ticket.postedAt };
    }
    if (e.type !== 'waiting') throw new Error(`ticket ${e.type}`);
  }
  throw new Error('the event stream ended before a match');
}

/** Opens the channels, plays, reports, logs out; never throws. */
export async function play(p: Prepared, match: Promise<Matched>): Promise<PlayerReport> {
  const { o } = p;
  const base = { username: o.username, mode: o.mode, impaired: o.impair !== undefined };
  try {
    const m = await match;
    const peer = await p.rtc.accept(m.answer);
    const connectMs = performance.now() - m.at;
    const wrapped = o.impair ? new ImpairedPeer(peer, o.impair) : peer;
    const report = await new Match(wrapped, o).run();
    return { ...base, ...report, matchId: m.matchId, timeToMatchMs: m.timeToMatchMs, connectMs };
  } catch (e) {
    p.rtc.close();
    return { ...base, result: 'failed', error: e instanceof Error ? e.message : String(e) };
  } finally {
    await o.api.logout(p.token).catch(() => undefined);
  }
}

class Match {
  private readonly scheduler = createScheduler();
  private readonly random: () => number;
  private readonly client: GameClient;
  private readonly history = new ViewHistory();
  /** Send time of each input not yet covered by a snapshot's ackInputSeq. */
  private readonly sentAt = new Map<number, number>();
  private readonly inputLatency: number[] = [];
  /** The same, for the inputs whose buttons differ from the input before: presses, releases. */
  private readonly changeLatency: number[] = [];
  private readonly changed = new Set<number>();
  private lastButtons = 0;
  private readonly ticks = new Set<number>();
  private seq = 0;
  private acked = 0;
  private wire = 0;
  private datagrams = 0;
  private frames = 0;
  private probeHold = 0;
  private info: MatchInfo | undefined;
  private startedAt = 0;
  private timers: Cancel[] = [];
  private finished: ((r: Omit<PlayerReport, 'username' | 'mode' | 'impaired'>) => void) | undefined;

  constructor(
    private readonly peer: Peer,
    private readonly o: PlayerOptions,
  ) {
    this.random = seededRandom(o.seed);
    this.client = new GameClient({
      sendControl: (b) => void peer.sendControl(b),
      sendState: (b) => void peer.sendState(b),
      now: () => performance.now(),
      onStart: (info) => this.started(info),
      onEnd: () => this.finish('ended'),
    });
  }

  run(): Promise<Omit<PlayerReport, 'username' | 'mode' | 'impaired'>> {
    return new Promise((resolve) => {
      this.finished = resolve;
      this.timers.push(this.scheduler.after(15_000, () => this.finish('failed', 'no start')));
      this.peer.onControl((b) => this.client.receiveControl(b));
      this.peer.onState((b) => this.snapshot(b));
      this.peer.onClose((reason) => this.finish('failed', `closed: ${reason}`));
    });
  }

  private snapshot(bytes: Uint8Array): void {
    const now = performance.now();
    this.client.receiveState(bytes);
    this.datagrams++;
    this.wire += wireBytes(bytes.length);
    const r = decodeSnapshot(bytes, this.history.baselineFor);
    if (!r.ok) return;
    this.history.put(r.msg.view);
    this.ticks.add(r.msg.view.tick);
    for (let s = this.acked + 1; s <= r.msg.ackInputSeq; s++) {
      const at = this.sentAt.get(s);
      if (at !== undefined) this.inputLatency.push(now - at);
      if (at !== undefined && this.changed.delete(s)) this.changeLatency.push(now - at);
      this.sentAt.delete(s);
    }
    this.acked = Math.max(this.acked, r.msg.ackInputSeq);
  }

  private started(info: MatchInfo): void {
    if (this.info) return;
    this.info = info;
    this.startedAt = performance.now();
    for (const cancel of this.timers.splice(0)) cancel();
    this.timers.push(
      this.scheduler.after(this.o.seconds * 1000, () => this.leave()),
      this.scheduler.every(1000 / INPUT_HZ, () => this.input()),
      this.scheduler.every(PING_MS, () => this.client.ping()),
    );
  }

  private buttons(): number {
    const frame = this.client.frame(); // also what a renderer would draw: counts underruns
    if (frame) this.frames++;
    if (this.o.mode === 'pilot') return pilot(frame, this.random);
    if (this.o.mode === 'idle') return 0;
    // probe: hold left for 6 ticks, then rest 6–12 ticks, so presses fall at every phase.
    this.probeHold--;
    if (this.probeHold > 0) return Button.left;
    if (this.probeHold < -6 - Math.floor(this.random() * 6)) this.probeHold = 7;
    return 0;
  }

  private input(): void {
    const buttons = this.buttons();
    this.seq++;
    this.sentAt.set(this.seq, performance.now());
    if (buttons !== this.lastButtons) this.changed.add(this.seq);
    this.lastButtons = buttons;
    this.client.input(buttons);
  }

  private leave(): void {
    this.client.leave();
    this.finish('played');
  }

  private finish(result: PlayerReport['result'], error?: string): void {
    const done = this.finished;
    if (!done) return;
    this.finished = undefined;
    for (const cancel of this.timers.splice(0)) cancel();
    const seconds = this.info ? (performance.now() - this.startedAt) / 1000 : 0;
    const per = (n: number) => (seconds > 0 ? n / seconds : 0);
    const stats = this.client.stats();
    const ticks = [...this.ticks];
    const span = ticks.length ? Math.max(...ticks) - Math.min(...ticks) : 0;
    done({
      result,
      ...(error === undefined ? {} : { error }),
      seconds,
      snapshots: stats.snapshots,
      snapshotHz: per(stats.snapshots),
      bytesPerSecond: per(stats.stateBytes),
      wireBytesPerSecond: per(this.wire),
      datagramsPerSecond: per(this.datagrams),
      rttMs: summarize(stats.rttSamplesMs),
      inputToStateMs: summarize(this.inputLatency),
      changeToStateMs: summarize(this.changeLatency),
      predictionError: summarize(stats.predictionErrors),
      interpolationUnderruns: stats.interpolationUnderruns,
      framesRendered: this.frames,
      snapshotDelivery: span > 0 ? ticks.length / (span / TICKS_PER_SNAPSHOT + 1) : 0,
      snapshotsDropped: stats.snapshotsDropped,
      samples: {
        inputToStateMs: this.inputLatency.map((v) => Math.round(v * 100) / 100),
        changeToStateMs: this.changeLatency.map((v) => Math.round(v * 100) / 100),
        rttMs: stats.rttSamplesMs.map((v) => Math.round(v * 100) / 100),
        predictionError: stats.predictionErrors.map((v) => Math.round(v * 1000) / 1000),
      },
    });
    // Let the leave (possibly delayed by the impairment) go out before closing.
    setTimeout(() => this.peer.close(), (this.o.impair?.delayMs ?? 0) + 100);
  }
}

// A bad network on the bot's side of the link: a Peer that wraps the real one and drops
// and delays datagrams on `state` in both directions, and delays `control` (reliable, so
// loss there would only show as more delay, which SCTP's retransmission is not modelled by).
import type { ChannelName, Peer } from '../../server/src/transport/index.js';

export interface Impairment {
  /** Probability (0–1) that one datagram on `state` is lost, each direction. */
  readonly loss: number;
  /** One-way delay added to every datagram, each direction, ms (RTT grows by twice this). */
  readonly delayMs: number;
  /** Seed of the loss generator, so a run can be repeated. */
  readonly seed?: number;
}

/** A small seeded generator (mulberry32): the same seed drops the same datagrams. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class ImpairedPeer implements Peer {
  /** Datagrams on `state` dropped, per direction. */
  readonly dropped = { sent: 0, received: 0 };
  private readonly random: () => number;

  constructor(
    private readonly inner: Peer,
    private readonly o: Impairment,
  ) {
    this.random = seededRandom(o.seed ?? 1);
  }

  get id(): string {
    return this.inner.id;
  }
  get isOpen(): boolean {
    return this.inner.isOpen;
  }

  sendControl(data: Uint8Array): boolean {
    this.later(() => this.inner.sendControl(data));
    return this.inner.isOpen;
  }
  sendState(data: Uint8Array): boolean {
    if (this.random() < this.o.loss) {
      this.dropped.sent++;
      return this.inner.isOpen;
    }
    this.later(() => this.inner.sendState(data));
    return this.inner.isOpen;
  }
  onControl(cb: (data: Uint8Array) => void): void {
    this.inner.onControl((data) => this.later(() => cb(data)));
  }
  onState(cb: (data: Uint8Array) => void): void {
    this.inner.onState((data) => {
      if (this.random() < this.o.loss) this.dropped.received++;
      else this.later(() => cb(data));
    });
  }
  onOpen(cb: () => void): void {
    this.inner.onOpen(cb);
  }
  onClose(cb: (reason: string) => void): void {
    this.inner.onClose(cb);
  }
  bufferedAmount(channel: ChannelName): number {
    return this.inner.bufferedAmount(channel);
  }
  close(): void {
    this.inner.close();
  }

  private later(fn: () => void): void {
    if (this.o.delayMs <= 0) fn();
    else setTimeout(fn, this.o.delayMs);
  }
}

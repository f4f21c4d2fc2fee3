// The match's connection as the game screen uses it: frames in and out of the current link,
// and, when that link drops (closed or failed without a word from the server, or silent),
// a new one through the rejoin route while the server holds the seat. One rejoin at a time;
// once closed, nothing is sent and nothing is rejoined.
import type { Link } from './peer.js';

export interface MatchLinkEvents {
  onControl(bytes: Uint8Array): void;
  onState(bytes: Uint8Array): void;
  /** The link dropped; a new one is on its way. */
  onDrop(): void;
  /** The new link is open: the seat is ours again. */
  onBack(): void;
  /** No new link could be had (the seat is gone, or the server is). */
  onGone(cause: unknown): void;
}

export class MatchLink {
  private rejoining: AbortController | undefined;
  private closed = false;
  /** A test fault (the page's test hook): the link is silent both ways, as a dead network. */
  private cut = false;
  private readonly check = () => {
    const { pc, control } = this.link;
    if (pc.connectionState === 'failed' || control.readyState === 'closed') this.dropped();
  };

  /** `rejoin` gets a new link to the seat (net/matchmaking.ts rejoinMatch in the page). */
  constructor(
    private link: Link,
    private readonly rejoin: (signal: AbortSignal) => Promise<Link>,
    private readonly on: MatchLinkEvents,
  ) {}

  /**
   * Starts routing frames (those queued since the channels opened come at once, so whatever
   * answers them, such as a pong, must be able to send by now).
   */
  start(): void {
    this.watch(this.link);
  }

  sendControl(bytes: Uint8Array): void {
    if (!this.cut) this.link.sendControl(bytes);
  }

  sendState(bytes: Uint8Array): void {
    if (!this.cut) this.link.sendState(bytes);
  }

  /** Silences the link both ways without closing it (tests drive a dead network with it). */
  cutOff(): void {
    this.cut = true;
  }

  /** The link is gone (or silent): it is closed, and a new one takes the seat back. */
  dropped(): void {
    if (this.closed || this.rejoining) return;
    const abort = (this.rejoining = new AbortController());
    this.unwatch(this.link);
    this.link.close();
    this.on.onDrop();
    this.rejoin(abort.signal).then(
      (fresh) => {
        this.rejoining = undefined;
        if (this.closed) return fresh.close();
        this.link = fresh;
        this.cut = false;
        this.watch(fresh);
        this.on.onBack();
      },
      (e: unknown) => {
        this.rejoining = undefined;
        if (!this.closed) this.on.onGone(e);
      },
    );
  }

  /** Done with the match: a rejoin under way is dropped; the link closes after `delayMs`. */
  close(delayMs = 0): void {
    if (this.closed) return;
    this.closed = true;
    this.rejoining?.abort(new Error('the match screen closed'));
    const link = this.link;
    this.unwatch(link);
    if (delayMs > 0) setTimeout(() => link.close(), delayMs);
    else link.close();
  }

  private watch(link: Link): void {
    // Only the current link speaks: a replaced one may still deliver a frame or two.
    const live = () => this.link === link && !this.cut && !this.closed;
    link.attach(
      (b) => {
        if (live()) this.on.onControl(b);
      },
      (b) => {
        if (live()) this.on.onState(b);
      },
    );
    link.pc.addEventListener('connectionstatechange', this.check);
    link.control.addEventListener('close', this.check);
  }

  private unwatch(link: Link): void {
    link.pc.removeEventListener('connectionstatechange', this.check);
    link.control.removeEventListener('close', this.check);
  }
}

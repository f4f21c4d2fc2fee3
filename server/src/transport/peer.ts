// The one view match code has of a connection: two channels of bytes, open and close
// events. Nothing here leaks a node-datachannel type past this folder.
import type { DataChannel, PeerConnection } from 'node-datachannel';

/** The parts of the native objects a peer uses (small enough for a test fake). */
export type NativeConnection = Pick<PeerConnection, 'onStateChange' | 'close'>;
export type NativeChannel = Pick<
  DataChannel,
  | 'getLabel'
  | 'isOpen'
  | 'close'
  | 'sendMessageBinary'
  | 'bufferedAmount'
  | 'onOpen'
  | 'onClosed'
  | 'onError'
  | 'onMessage'
>;
import type { Logger } from 'pino';

export type TransportLogger = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
export type ChannelName = 'control' | 'state';

export interface Peer {
  readonly id: string;
  /** Sends on `control` (reliable, ordered). False if the channel is not open. */
  sendControl(data: Uint8Array): boolean;
  /** Sends on `state` (unordered, no retransmits). False if the channel is not open. */
  sendState(data: Uint8Array): boolean;
  /** Frames received on `control`. Frames that arrive before a handler is set are kept. */
  onControl(cb: (data: Uint8Array) => void): void;
  /** Frames received on `state`. */
  onState(cb: (data: Uint8Array) => void): void;
  /** Fires once, when BOTH channels are open (at once if they already are). */
  onOpen(cb: () => void): void;
  /** Fires once, when a channel or the connection closes, or close() is called. */
  onClose(cb: (reason: string) => void): void;
  /** Bytes queued on a channel and not yet handed to the network. */
  bufferedAmount(channel: ChannelName): number;
  readonly isOpen: boolean;
  close(): void;
}

// A peer that sends nothing we read only buffers this much before a handler is set.
const MAX_EARLY_FRAMES = 64;
const textEncoder = new TextEncoder();

function toBytes(msg: string | Buffer | ArrayBuffer): Uint8Array {
  if (typeof msg === 'string') return textEncoder.encode(msg); // not protocol; decoders refuse it
  return msg instanceof ArrayBuffer ? new Uint8Array(msg) : msg;
}

/** Receives one channel's frames, holding early ones until a handler is set. */
class Inbox {
  private handler: ((data: Uint8Array) => void) | undefined;
  private early: Uint8Array[] = [];

  push(data: Uint8Array): void {
    if (this.handler) this.handler(data);
    else if (this.early.length < MAX_EARLY_FRAMES) this.early.push(data);
  }
  setHandler(cb: (data: Uint8Array) => void): void {
    this.handler = cb;
    const early = this.early;
    this.early = [];
    for (const data of early) cb(data);
  }
}

export class NdcPeer implements Peer {
  private readonly channels: Partial<Record<ChannelName, NativeChannel>> = {};
  private readonly inbox = { control: new Inbox(), state: new Inbox() };
  private readonly openCbs: (() => void)[] = [];
  private readonly closeCbs: ((reason: string) => void)[] = [];
  private opened = false;
  private closedReason: string | undefined;

  constructor(
    readonly id: string,
    private readonly pc: NativeConnection,
    private readonly logger: TransportLogger,
  ) {
    pc.onStateChange(
      this.guard('state change', (state) => {
        // 'disconnected' may recover; the room's heartbeat decides about silence.
        if (state === 'closed' || state === 'failed') this.finish(`connection_${state}`);
      }),
    );
  }

  get isOpen(): boolean {
    return this.opened && this.closedReason === undefined;
  }

  /** Adopts a channel; refuses (closes) unknown labels and duplicates. */
  attach(dc: NativeChannel): boolean {
    try {
      return this.adopt(dc);
    } catch (err) {
      // The native channel went away while we looked at it: this connection is no use.
      this.logger.warn({ peer: this.id, err }, 'could not adopt a data channel');
      closeQuietly(() => dc.close());
      this.finish('channel_failed');
      return false;
    }
  }

  private adopt(dc: NativeChannel): boolean {
    const label = dc.getLabel();
    if ((label !== 'control' && label !== 'state') || this.channels[label] || this.closedReason) {
      this.logger.warn({ peer: this.id, label }, 'refused data channel');
      closeQuietly(() => dc.close());
      return false;
    }
    this.channels[label] = dc;
    const inbox = this.inbox[label];
    dc.onMessage(this.guard('message', (msg) => inbox.push(toBytes(msg))));
    dc.onClosed(this.guard('channel close', () => this.finish(`${label}_closed`)));
    dc.onError((err) => this.logger.warn({ peer: this.id, label, err }, 'data channel error'));
    // A channel received through onDataChannel is already open and never fires onOpen.
    if (dc.isOpen()) this.checkOpen();
    else dc.onOpen(this.guard('channel open', () => this.checkOpen()));
    return true;
  }

  /**
   * Wraps a callback that native code calls: a throw there would be an uncaught exception in
   * the thread, so it is logged and ends this peer only.
   */
  private guard<A extends unknown[]>(what: string, cb: (...args: A) => void) {
    return (...args: A): void => {
      try {
        cb(...args);
      } catch (err) {
        this.logger.error({ peer: this.id, err, what }, 'peer callback failed');
        this.finish('callback_failed');
      }
    };
  }

  sendControl(data: Uint8Array): boolean {
    return this.send('control', data);
  }
  sendState(data: Uint8Array): boolean {
    return this.send('state', data);
  }
  onControl(cb: (data: Uint8Array) => void): void {
    this.inbox.control.setHandler(cb);
  }
  onState(cb: (data: Uint8Array) => void): void {
    this.inbox.state.setHandler(cb);
  }
  onOpen(cb: () => void): void {
    if (this.opened) queueMicrotask(cb);
    else this.openCbs.push(cb);
  }
  onClose(cb: (reason: string) => void): void {
    const reason = this.closedReason;
    if (reason !== undefined) queueMicrotask(() => cb(reason));
    else this.closeCbs.push(cb);
  }
  bufferedAmount(channel: ChannelName): number {
    const dc = this.channels[channel];
    if (!dc || this.closedReason !== undefined) return 0;
    try {
      return dc.bufferedAmount();
    } catch {
      return 0; // the native channel is already gone: nothing is buffered
    }
  }
  close(): void {
    this.finish('closed_locally');
  }

  private send(channel: ChannelName, data: Uint8Array): boolean {
    const dc = this.channels[channel];
    // Both channels open once and end the peer when either closes (finish): until then a
    // channel is open, so no native isOpen() call per message is needed.
    if (!dc || !this.opened || this.closedReason !== undefined) return false;
    try {
      dc.sendMessageBinary(data); // false only means "queued", which is fine
      return true;
    } catch (err) {
      // The channel closed under us (native side first); onClosed follows.
      this.logger.debug({ peer: this.id, channel, err }, 'send on a closing channel');
      return false;
    }
  }

  private checkOpen(): void {
    if (this.opened || this.closedReason !== undefined) return;
    if (!this.channels.control?.isOpen() || !this.channels.state?.isOpen()) return;
    this.opened = true;
    for (const cb of this.openCbs.splice(0)) cb();
  }

  private finish(reason: string): void {
    if (this.closedReason !== undefined) return;
    this.closedReason = reason;
    this.logger.debug({ peer: this.id, reason }, 'peer closed');
    for (const dc of Object.values(this.channels)) closeQuietly(() => dc.close());
    closeQuietly(() => this.pc.close());
    for (const cb of this.closeCbs.splice(0)) cb(reason);
  }
}

function closeQuietly(close: () => void): void {
  try {
    close();
  } catch {
    // Already closed on the native side; closing twice has nothing left to do.
  }
}

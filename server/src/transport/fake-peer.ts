// A Peer with no network, for tests of the code above the transport (rooms, bots):
// the test opens it, feeds it frames as if from the far side, and reads what was sent.
import type { ChannelName, Peer } from './peer.js';

export class FakePeer implements Peer {
  readonly sent: Record<ChannelName, Uint8Array[]> = { control: [], state: [] };
  isOpen = false;
  closedReason: string | undefined;
  private readonly handlers: Partial<Record<ChannelName, (d: Uint8Array) => void>> = {};
  private readonly openCbs: (() => void)[] = [];
  private readonly closeCbs: ((reason: string) => void)[] = [];

  constructor(readonly id = 'fake') {}

  sendControl(data: Uint8Array): boolean {
    return this.isOpen && this.sent.control.push(data) > 0;
  }
  sendState(data: Uint8Array): boolean {
    return this.isOpen && this.sent.state.push(data) > 0;
  }
  onControl(cb: (d: Uint8Array) => void): void {
    this.handlers.control = cb;
  }
  onState(cb: (d: Uint8Array) => void): void {
    this.handlers.state = cb;
  }
  onOpen(cb: () => void): void {
    this.openCbs.push(cb);
  }
  onClose(cb: (reason: string) => void): void {
    this.closeCbs.push(cb);
  }
  bufferedAmount(): number {
    return 0;
  }
  close(): void {
    this.closeFromRemote('closed_locally');
  }

  /** Both channels opened. */
  open(): void {
    this.isOpen = true;
    for (const cb of this.openCbs) cb();
  }
  /** The far side (or the network) closed the connection. */
  closeFromRemote(reason = 'control_closed'): void {
    if (this.closedReason !== undefined) return;
    this.closedReason = reason;
    this.isOpen = false;
    for (const cb of this.closeCbs) cb(reason);
  }
  /** A frame arrives from the far side. */
  receive(channel: ChannelName, data: Uint8Array): void {
    this.handlers[channel]?.(data);
  }
}

import { describe, expect, it } from 'vitest';
import { NdcPeer, type NativeChannel, type NativeConnection } from './peer.js';

const silent = { debug() {}, info() {}, warn() {}, error() {} };

class FakeChannel implements NativeChannel {
  open = false;
  closed = false;
  sent: Uint8Array[] = [];
  private cbs: {
    open?: () => void;
    closed?: () => void;
    message?: (m: string | Buffer | ArrayBuffer) => void;
  } = {};
  constructor(private readonly label: string) {}
  getLabel = () => this.label;
  isOpen = () => this.open && !this.closed;
  close = () => {
    this.closed = true;
  };
  sendMessageBinary = (b: Uint8Array) => {
    if (this.closed) throw new Error('closed');
    this.sent.push(b);
    return true;
  };
  bufferedAmount = () => 7;
  onOpen = (cb: () => void) => void (this.cbs.open = cb);
  onClosed = (cb: () => void) => void (this.cbs.closed = cb);
  onError = () => {};
  onMessage = (cb: (m: string | Buffer | ArrayBuffer) => void) => void (this.cbs.message = cb);
  // Test side: what the native library would do.
  fireOpen() {
    this.open = true;
    this.cbs.open?.();
  }
  fireClosed() {
    this.closed = true;
    this.cbs.closed?.();
  }
  deliver(m: string | Buffer | ArrayBuffer) {
    this.cbs.message?.(m);
  }
}

class FakeConnection implements NativeConnection {
  closed = false;
  private stateCb: ((s: string) => void) | undefined;
  onStateChange = (cb: (s: string) => void) => void (this.stateCb = cb);
  close = () => {
    this.closed = true;
  };
  fireState(s: string) {
    this.stateCb?.(s);
  }
}

function setup() {
  const pc = new FakeConnection();
  const peer = new NdcPeer('p1', pc, silent);
  const control = new FakeChannel('control');
  const state = new FakeChannel('state');
  return { pc, peer, control, state };
}

describe('NdcPeer', () => {
  it('opens only when both channels are open', () => {
    const { peer, control, state } = setup();
    let opened = 0;
    peer.onOpen(() => opened++);
    peer.attach(control);
    peer.attach(state);
    control.fireOpen();
    expect(opened).toBe(0);
    state.fireOpen();
    expect(opened).toBe(1);
    expect(peer.isOpen).toBe(true);
  });

  it('counts channels that arrive already open (server side)', () => {
    const { peer, control, state } = setup();
    control.open = true;
    state.open = true;
    let opened = 0;
    peer.onOpen(() => opened++);
    peer.attach(control);
    peer.attach(state);
    expect(opened).toBe(1);
  });

  it('refuses unknown labels and duplicates, closing them', () => {
    const { peer, control } = setup();
    const rogue = new FakeChannel('chat');
    const second = new FakeChannel('control');
    expect(peer.attach(control)).toBe(true);
    expect(peer.attach(rogue)).toBe(false);
    expect(peer.attach(second)).toBe(false);
    expect(rogue.closed && second.closed).toBe(true);
    expect(control.closed).toBe(false);
  });

  it('keeps frames that arrive before a handler is set, in order', () => {
    const { peer, control } = setup();
    peer.attach(control);
    control.deliver(Buffer.from([1]));
    control.deliver(new Uint8Array([2]).buffer);
    control.deliver('hi');
    const got: number[][] = [];
    peer.onControl((d) => got.push([...d]));
    control.deliver(Buffer.from([3]));
    expect(got).toEqual([[1], [2], [0x68, 0x69], [3]]);
  });

  it('sends only while open, and routes by channel', () => {
    const { peer, control, state } = setup();
    peer.attach(control);
    peer.attach(state);
    expect(peer.sendControl(new Uint8Array([1]))).toBe(false);
    control.fireOpen();
    state.fireOpen();
    expect(peer.sendControl(new Uint8Array([1]))).toBe(true);
    expect(peer.sendState(new Uint8Array([2]))).toBe(true);
    expect(control.sent).toEqual([new Uint8Array([1])]);
    expect(state.sent).toEqual([new Uint8Array([2])]);
    expect(peer.bufferedAmount('control')).toBe(7);
  });

  it('closes once, with the first reason, and closes the native side', () => {
    const { pc, peer, control, state } = setup();
    peer.attach(control);
    peer.attach(state);
    const reasons: string[] = [];
    peer.onClose((r) => reasons.push(r));
    state.fireClosed();
    pc.fireState('closed');
    peer.close();
    expect(reasons).toEqual(['state_closed']);
    expect(pc.closed && control.closed).toBe(true);
    expect(peer.sendControl(new Uint8Array([1]))).toBe(false);
    expect(peer.bufferedAmount('control')).toBe(0);
  });

  it('treats a failed connection as closed, but not a disconnected one', () => {
    const { pc, peer } = setup();
    const reasons: string[] = [];
    peer.onClose((r) => reasons.push(r));
    pc.fireState('disconnected');
    expect(reasons).toEqual([]);
    pc.fireState('failed');
    expect(reasons).toEqual(['connection_failed']);
  });

  it('tells late listeners about open and close', async () => {
    const { peer, control, state } = setup();
    peer.attach(control);
    peer.attach(state);
    control.fireOpen();
    state.fireOpen();
    peer.close();
    const opened = new Promise<void>((resolve) => peer.onOpen(resolve));
    const reason = new Promise<string>((resolve) => peer.onClose(resolve));
    await opened;
    expect(await reason).toBe('closed_locally');
  });
});

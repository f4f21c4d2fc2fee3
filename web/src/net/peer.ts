// The browser's end of the WebRTC link to the game server: one peer connection offering the
// two data channels of docs/protocol.md. Signalling is not trickled: the offer goes out with
// every candidate in it, once gathering is complete.

const GATHER_TIMEOUT_MS = 5_000;

export interface Link {
  pc: RTCPeerConnection;
  control: RTCDataChannel;
  state: RTCDataChannel;
  /**
   * Routes incoming frames. Frames that arrive before this is called (match_start may come
   * right as the channels open) are queued and handed over in order.
   */
  attach(onControl: (b: Uint8Array) => void, onState: (b: Uint8Array) => void): void;
  sendControl(bytes: Uint8Array): void;
  sendState(bytes: Uint8Array): void;
  close(): void;
}

/** Sends if the channel is open; a frame for a closing link is dropped, as UDP would. */
function send(channel: RTCDataChannel, bytes: Uint8Array): void {
  if (channel.readyState !== 'open') return;
  // The codecs write into plain ArrayBuffers; the DOM type only refuses SharedArrayBuffer.
  channel.send(bytes as Uint8Array<ArrayBuffer>);
}

function buffered(channel: RTCDataChannel) {
  const queue: Uint8Array[] = [];
  let sink: ((b: Uint8Array) => void) | undefined;
  channel.binaryType = 'arraybuffer';
  channel.onmessage = (ev: MessageEvent) => {
    // Text frames are not part of the protocol; ignore rather than misread them.
    if (!(ev.data instanceof ArrayBuffer)) return;
    const bytes = new Uint8Array(ev.data);
    if (sink) sink(bytes);
    else queue.push(bytes);
  };
  return (to: (b: Uint8Array) => void) => {
    sink = to;
    for (const b of queue.splice(0)) to(b);
  };
}

/** `config` carries the ICE servers (TURN, where the platform has one; see ice.ts). */
export function createLink(config: RTCConfiguration = {}): Link {
  const pc = new RTCPeerConnection(config);
  const control = pc.createDataChannel('control', { ordered: true });
  const state = pc.createDataChannel('state', { ordered: false, maxRetransmits: 0 });
  const attachControl = buffered(control);
  const attachState = buffered(state);
  return {
    pc,
    control,
    state,
    attach(onControl, onState) {
      attachControl(onControl);
      attachState(onState);
    },
    sendControl: (b) => send(control, b),
    sendState: (b) => send(state, b),
    close() {
      control.onmessage = state.onmessage = null;
      pc.close();
    },
  };
}

/** The SDP offer with every ICE candidate, or what was gathered when the timeout hit. */
export async function gatheredOffer(pc: RTCPeerConnection, signal: AbortSignal): Promise<string> {
  await pc.setLocalDescription(await pc.createOffer());
  await new Promise<void>((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      pc.removeEventListener('icegatheringstatechange', check);
      signal.removeEventListener('abort', abort);
      resolve();
    };
    const check = () => pc.iceGatheringState === 'complete' && done();
    const abort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    // A slow interface (e.g. an unreachable STUN host) must not hold the queue up forever.
    const timer = setTimeout(done, GATHER_TIMEOUT_MS);
    pc.addEventListener('icegatheringstatechange', check);
    signal.addEventListener('abort', abort, { once: true });
    check();
  });
  const sdp = pc.localDescription?.sdp;
  if (!sdp) throw new Error('no local description');
  return sdp;
}

/** Resolves when both channels are open; rejects if the link fails, or on abort or timeout. */
export function channelsOpen(link: Link, signal: AbortSignal, timeoutMs: number): Promise<void> {
  const { pc, control, state } = link;
  return new Promise<void>((resolve, reject) => {
    const cleanup = () => {
      clearTimeout(timer);
      control.removeEventListener('open', check);
      state.removeEventListener('open', check);
      pc.removeEventListener('connectionstatechange', failed);
      signal.removeEventListener('abort', abort);
    };
    const check = () => {
      if (control.readyState !== 'open' || state.readyState !== 'open') return;
      cleanup();
      resolve();
    };
    const fail = (why: unknown) => {
      cleanup();
      reject(why);
    };
    const failed = () =>
      (pc.connectionState === 'failed' || pc.connectionState === 'closed') &&
      fail(new Error(`connection ${pc.connectionState}`));
    const abort = () => fail(signal.reason);
    const timer = setTimeout(() => fail(new Error('the data channels did not open')), timeoutMs);
    control.addEventListener('open', check);
    state.addEventListener('open', check);
    pc.addEventListener('connectionstatechange', failed);
    signal.addEventListener('abort', abort, { once: true });
    check();
  });
}

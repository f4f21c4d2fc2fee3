// Test helper, run as a CHILD PROCESS by realtime-rooms.test.ts: real WebRTC clients that
// the test drives over IPC. Clients live in their own process because node-datachannel's
// peer registry is process-wide and unsynchronised, so client peers must not share a
// process with the room worker's server peers.
import { pino } from 'pino';
import { playMatch } from '../../server/src/bot/player.js';
import {
  createRtcClient,
  shutdownTransport,
  type Peer,
  type RtcClient,
} from '../../server/src/transport/index.js';
import { decodeControl, decodeSnapshot, ViewHistory } from '../../shared/src/protocol/index.js';

export type Command =
  | { op: 'offer'; id: string }
  | { op: 'accept'; id: string; answer: string; mode: 'play' | 'silent'; seconds: number }
  | { op: 'send'; id: string; channel: 'control' | 'state'; bytes: number[] }
  | { op: 'exit' };

export type Report =
  | { ev: 'offer'; id: string; sdp: string }
  | { ev: 'open'; id: string }
  | { ev: 'control'; id: string; type: string; detail: unknown }
  | { ev: 'snapshot'; id: string; tick: number }
  | { ev: 'report'; id: string; report: unknown }
  | { ev: 'failed'; id: string; error: string };

const logger = pino({ level: 'warn' });
const clients = new Map<string, RtcClient>();
const peers = new Map<string, Peer>();
const send = (r: Report) => process.send?.(r);

/**
 * A Peer that reports every frame to the test before handing it on. Frames that came
 * before a consumer attaches stay queued in the peer until it does, so none is lost.
 */
function observed(id: string, peer: Peer, consumed: boolean): Peer {
  const seeControl = (d: Uint8Array) => {
    const r = decodeControl(d);
    if (r.ok) send({ ev: 'control', id, type: r.msg.type, detail: r.msg });
  };
  // Deltas name a baseline this observer must have decoded too.
  const history = new ViewHistory();
  const seeState = (d: Uint8Array) => {
    const r = decodeSnapshot(d, history.baselineFor);
    if (!r.ok) return;
    history.put(r.msg.view);
    send({ ev: 'snapshot', id, tick: r.msg.view.tick });
  };
  if (!consumed) {
    peer.onControl(seeControl);
    peer.onState(seeState);
  }
  return {
    id: peer.id,
    get isOpen() {
      return peer.isOpen;
    },
    sendControl: (d) => peer.sendControl(d),
    sendState: (d) => peer.sendState(d),
    onControl: (cb) => peer.onControl((d) => (seeControl(d), cb(d))),
    onState: (cb) => peer.onState((d) => (seeState(d), cb(d))),
    onOpen: (cb) => peer.onOpen(cb),
    onClose: (cb) => peer.onClose(cb),
    bufferedAmount: (channel) => peer.bufferedAmount(channel),
    close: () => peer.close(),
  };
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`no ${what}`);
  return value;
}

async function run(c: Command): Promise<void> {
  if (c.op === 'offer') {
    const client = createRtcClient({ logger, timeoutMs: 10_000, bindAddress: '127.0.0.1' });
    clients.set(c.id, client);
    send({ ev: 'offer', id: c.id, sdp: await client.offerSdp });
  } else if (c.op === 'accept') {
    const opened = await need(clients.get(c.id), 'client').accept(c.answer);
    const peer = observed(c.id, opened, c.mode === 'play');
    peers.set(c.id, peer);
    send({ ev: 'open', id: c.id });
    if (c.mode === 'play') {
      const report = await playMatch(peer, { seconds: c.seconds, logger });
      send({ ev: 'report', id: c.id, report });
    }
  } else if (c.op === 'send') {
    const bytes = Uint8Array.from(c.bytes);
    const peer = need(peers.get(c.id), 'peer');
    if (c.channel === 'control') peer.sendControl(bytes);
    else peer.sendState(bytes);
  } else {
    for (const client of clients.values()) client.close();
    shutdownTransport();
    process.exit(0);
  }
}

process.on('message', (c: Command) => {
  run(c).catch((err: unknown) =>
    send({ ev: 'failed', id: 'id' in c ? c.id : '', error: String(err) }),
  );
});

// Players of the geckos.io reference (test/bench/geckos/server.ts): @geckos.io/client over
// node-datachannel's RTCPeerConnection polyfill (the same native stack as the platform's bots),
// 60 inputs a second on geckos.io's default unreliable channel, buttons changed at random every
// half second as the platform's pilots do (turning, thrust and fire held in turn).
//   node --import tsx test/bench/geckos/bots.ts --url http://127.0.0.1:P --count N --seconds S
// At the end prints one JSON line: {bots, connected, snapshotsPerSec, bytesPerSec} per bot.
// Their SCTP acknowledges as a browser's does (SACK delay 200 ms, Chromium's dcsctp default),
// like the platform's bots; each server keeps its own setting (geckos.io: libdatachannel's).
import { parseArgs } from 'node:util';
import nodeDataChannel from 'node-datachannel';
import * as polyfill from 'node-datachannel/polyfill';
import { SCTP_DELAYED_SACK_MS } from '../../../server/src/transport/sctp.js';
import { Button } from '../../../shared/src/protocol/codes.js';
import { TICK_RATE } from '../../../shared/src/sim/index.js';

nodeDataChannel.setSctpSettings({ delayedSackTime: SCTP_DELAYED_SACK_MS });
// The client looks the WebRTC classes up as browser globals.
for (const name of ['RTCPeerConnection', 'RTCSessionDescription', 'RTCIceCandidate'] as const)
  (globalThis as Record<string, unknown>)[name] = polyfill[name];
const { default: geckos } = await import('@geckos.io/client');

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    count: { type: 'string', default: '1' },
    seconds: { type: 'string', default: '30' },
  },
});
const url = new URL(values.url ?? 'http://127.0.0.1:9208');
const count = Number(values.count);
const seconds = Number(values.seconds);

interface Bot {
  connected: boolean;
  snapshots: number;
  bytes: number;
  buttons: number;
  close(): void;
}

const PATTERNS = [
  Button.left | Button.thrust,
  Button.right | Button.fire,
  Button.thrust | Button.fire,
  Button.fire,
  0,
];

function bot(): Promise<Bot> {
  const channel = geckos({ url: `${url.protocol}//${url.hostname}`, port: Number(url.port) });
  const b: Bot = {
    connected: false,
    snapshots: 0,
    bytes: 0,
    buttons: 0,
    close: () => channel.close(),
  };
  return new Promise((resolve, reject) => {
    channel
      .onConnect((err) => {
        if (err) return resolve(b);
        b.connected = true;
        channel.on('state', (data) => {
          b.snapshots++;
          // What the player's code gets is the parsed object; its size is the JSON it came as.
          if (b.snapshots % 30 === 0) b.bytes += JSON.stringify({ state: data }).length * 30;
        });
        let seq = 0;
        const input = setInterval(() => {
          if (seq % (TICK_RATE / 2) === 0)
            b.buttons = PATTERNS[Math.floor(Math.random() * PATTERNS.length)] ?? 0;
          channel.emit('input', { seq: seq++, buttons: b.buttons });
        }, 1000 / TICK_RATE);
        channel.onDisconnect(() => clearInterval(input));
        resolve(b);
      })
      .catch(reject);
  });
}

const bots: Bot[] = [];
for (let i = 0; i < count; i++) bots.push(await bot());
// Counted from when the last bot of this process connected.
for (const b of bots) b.snapshots = b.bytes = 0;
const startedAt = performance.now();
await new Promise((r) => setTimeout(r, seconds * 1000));
const elapsed = (performance.now() - startedAt) / 1000;
for (const b of bots) {
  const line = {
    connected: b.connected,
    snapshotsPerSec: Math.round((b.snapshots / elapsed) * 10) / 10,
    bytesPerSec: Math.round(b.bytes / elapsed),
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
  b.close();
}
process.exit(0);

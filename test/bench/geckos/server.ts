// The reference of issue 14: a geckos.io 3.1 server of the same scene at the same rates as the
// platform's rooms (the shared simulation at 60 Hz, snapshots at 30 Hz), sending full JSON
// snapshots the way geckos.io's README shows (`room.emit('state', state)`) and taking each
// player's buttons from `channel.on('input')`. Players are paired in arrival order; a pair's
// room ends when either leaves. No accounts, no matchmaker, no Redis: only the real-time path,
// which is what the per-player comparison measures. Benchmark use only (a devDependency).
//   node --import tsx test/bench/geckos/server.ts --port P --udp-min U --udp-max V
// Prints one JSON line a second: {players, rooms, snapshotBytesPerPlayerPerSec}.
import { parseArgs } from 'node:util';
import geckos, { type ServerChannel } from '@geckos.io/server';
import { createGame, step, SNAPSHOT_RATE, TICK_RATE } from '../../../shared/src/sim/index.js';
import type { GameState } from '../../../shared/src/sim/index.js';

interface Room {
  readonly id: string;
  readonly channels: [ServerChannel, ServerChannel];
  readonly buttons: [number, number];
  state: GameState;
}

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    'udp-min': { type: 'string' },
    'udp-max': { type: 'string' },
  },
});
const port = Number(values.port);
const io = geckos({
  iceServers: [],
  portRange: { min: Number(values['udp-min']), max: Number(values['udp-max']) },
  cors: { allowAuthorization: false, origin: '*' },
});

const rooms = new Map<string, Room>();
const roomOf = new Map<string, Room>();
let waiting: ServerChannel | undefined;
let nextRoom = 0;
let bytesSent = 0;

io.onConnection((channel) => {
  const id = channel.id ?? '';
  channel.on('input', (data) => {
    const room = roomOf.get(id);
    const input = data as { buttons?: unknown } | null;
    if (!room || typeof input?.buttons !== 'number') return;
    room.buttons[room.channels[0] === channel ? 0 : 1] = input.buttons;
  });
  channel.onDisconnect(() => {
    if (waiting === channel) waiting = undefined;
    const room = roomOf.get(id);
    if (!room) return;
    rooms.delete(room.id);
    for (const c of room.channels) {
      roomOf.delete(c.id ?? '');
      if (c !== channel) c.close().catch(() => undefined);
    }
  });
  if (!waiting) {
    waiting = channel;
    return;
  }
  const room: Room = {
    id: `r${nextRoom++}`,
    channels: [waiting, channel],
    buttons: [0, 0],
    state: createGame(nextRoom, Number.MAX_SAFE_INTEGER),
  };
  waiting = undefined;
  rooms.set(room.id, room);
  for (const c of room.channels) {
    c.join(room.id);
    roomOf.set(c.id ?? '', room);
  }
});

// One fixed-rate loop for every room, as geckos.io's examples run theirs.
let tick = 0;
setInterval(() => {
  tick++;
  const snapshot = tick % (TICK_RATE / SNAPSHOT_RATE) === 0;
  for (const room of rooms.values()) {
    room.state = step(room.state, room.buttons);
    if (!snapshot) continue;
    // The byte count is sampled (1 snapshot in 30), not to add a stringify to every send.
    if (tick % TICK_RATE === 0) bytesSent += JSON.stringify({ state: room.state }).length * 60;
    io.room(room.id).emit('state', room.state);
  }
}, 1000 / TICK_RATE);

setInterval(() => {
  const players = rooms.size * 2;
  process.stdout.write(
    `${JSON.stringify({ players, rooms: rooms.size, snapshotBytesPerPlayerPerSec: players ? Math.round(bytesSent / players) : 0 })}\n`,
  );
  bytesSent = 0;
}, 1000);

io.listen(port);
process.stdout.write(`${JSON.stringify({ listening: port })}\n`);
process.on('SIGTERM', () => process.exit(0));

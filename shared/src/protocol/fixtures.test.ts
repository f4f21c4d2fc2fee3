// Frames saved from protocol version 1 (test/fixtures/protocol-v1/*.hex). A decoder change
// that can no longer read them breaks deployed clients: bump a version instead.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeControl, encodeControl } from './control.js';
import { encodeInputs } from './inputs.js';
import { encodeSnapshot, type Snapshot } from './snapshot-codec.js';
import { decodeState } from './state.js';

const load = (name: string) => {
  const url = new URL(`../../../test/fixtures/protocol-v1/${name}.hex`, import.meta.url);
  return new Uint8Array(Buffer.from(readFileSync(url, 'utf8').replace(/\s/g, ''), 'hex'));
};

const full: Snapshot = {
  type: 'snapshot',
  baselineTick: 0,
  ackInputSeq: 57,
  view: {
    tick: 120,
    ships: [
      {
        id: 0,
        x: 6400,
        y: 7200,
        vx: 300,
        vy: -45,
        heading: 250,
        lives: 3,
        score: 270,
        invulnTicks: 0,
        respawnTicks: 0,
        fireCooldown: 4,
      },
      {
        id: 1,
        x: 19000,
        y: 7210,
        vx: 0,
        vy: 0,
        heading: 128,
        lives: 2,
        score: 50,
        invulnTicks: 30,
        respawnTicks: 0,
        fireCooldown: 0,
      },
    ],
    asteroids: [
      { id: 3, x: 1000, y: 2000, vx: 12, vy: -7, size: 2 },
      { id: 9, x: 25000, y: 100, vx: -30, vy: 5, size: 0 },
    ],
    projectiles: [{ id: 17, owner: 0, x: 8000, y: 7000, vx: 140, vy: -3, ttl: 42 }],
  },
};

const delta: Snapshot = {
  type: 'snapshot',
  baselineTick: 120,
  ackInputSeq: 61,
  view: {
    tick: 124,
    ships: [
      {
        id: 0,
        x: 6480,
        y: 7189,
        vx: 310,
        vy: -44,
        heading: 246,
        lives: 3,
        score: 370,
        invulnTicks: 0,
        respawnTicks: 0,
        fireCooldown: 6,
      },
      {
        id: 1,
        x: 19000,
        y: 7210,
        vx: 0,
        vy: 0,
        heading: 128,
        lives: 2,
        score: 50,
        invulnTicks: 26,
        respawnTicks: 0,
        fireCooldown: 0,
      },
    ],
    // Asteroid 9 went; asteroid 3 and projectile 17 flew on (not in the frame); 18 is new.
    asteroids: [{ id: 3, x: 1048, y: 1972, vx: 12, vy: -7, size: 2 }],
    projectiles: [
      { id: 17, owner: 0, x: 8560, y: 6988, vx: 140, vy: -3, ttl: 38 },
      { id: 18, owner: 1, x: 18800, y: 7210, vx: -128, vy: 0, ttl: 60 },
    ],
  },
};

const input = { type: 'input', ackSnapshotTick: 120, firstSeq: 55, buttons: [1, 9, 13] } as const;
const matchStart = {
  type: 'match_start',
  matchId: 'm-42',
  you: 1,
  opponent: 'bob',
  tickRate: 60,
  snapshotRate: 30,
  serverTick: 3,
} as const;
const matchEnd = { type: 'match_end', reason: 'ended', winnerSlot: 0 } as const;

describe('protocol v1 frames still decode', () => {
  const baselines = (tick: number) => (tick === 120 ? full.view : undefined);
  it('full snapshot', () => {
    expect(decodeState(load('snapshot-full'))).toEqual({ ok: true, msg: full });
  });
  it('delta snapshot (against the full one)', () => {
    expect(decodeState(load('snapshot-delta'), baselines)).toEqual({ ok: true, msg: delta });
  });
  it('input', () => {
    expect(decodeState(load('input'))).toEqual({ ok: true, msg: input });
  });
  it('control messages', () => {
    expect(decodeControl(load('control-match-start'))).toEqual({ ok: true, msg: matchStart });
    expect(decodeControl(load('control-match-end'))).toEqual({ ok: true, msg: matchEnd });
  });
  // While v1 is the newest version, the encoders must still write exactly these bytes.
  it('the encoders still write version 1', () => {
    expect(encodeSnapshot(full.view, undefined, full)).toEqual(load('snapshot-full'));
    expect(encodeSnapshot(delta.view, full.view, delta)).toEqual(load('snapshot-delta'));
    expect(encodeInputs(input)).toEqual(load('input'));
    expect(encodeControl(matchStart)).toEqual(load('control-match-start'));
  });
});

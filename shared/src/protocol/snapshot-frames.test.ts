// Hand-made snapshot frames: the decoder accepts only canonical frames of valid views.
import { describe, expect, it } from 'vitest';
import { AsteroidSize } from '../sim/constants.js';
import { decodeSnapshot } from './snapshot-codec.js';
import { EMPTY_VIEW, type SnapshotView } from './snapshot-view.js';

const bytes = (h: string) => new Uint8Array(Buffer.from(h.replace(/\s/g, ''), 'hex'));
const u16 = (v: number) => Buffer.from(Uint16Array.of(v).buffer).toString('hex');

/** code 65, flags, tick 5, baseline age, ackInputSeq 0, then the body. */
const frame = (flags: string, age: string, body: string) =>
  bytes('41' + flags + '05000000' + age + '00000000' + body);
const NO_SHIPS = '00 00';
// One asteroid added: id, x, y, vx, vy, size.
const added = (id: number, size = '02') => u16(id) + u16(100) + u16(200) + 'ff' + '01' + size;

/** The baseline at tick 1: one asteroid (id 7) standing still. */
const base: SnapshotView = {
  ...EMPTY_VIEW,
  tick: 1,
  asteroids: [{ id: 7, x: 10, y: 20, vx: 0, vy: 0, size: AsteroidSize.small }],
};
const withBase = (tick: number) => (tick === 1 ? base : undefined);
const delta = (body: string) => decodeSnapshot(frame('11', '04', NO_SHIPS + body), withBase);

describe('snapshot frames that decode', () => {
  it('the smallest full snapshot: zero ships, nothing else', () => {
    expect(decodeSnapshot(frame('01', '00', NO_SHIPS))).toEqual({
      ok: true,
      msg: {
        type: 'snapshot',
        view: { ...EMPTY_VIEW, tick: 5 },
        baselineTick: 0,
        ackInputSeq: 0,
      },
    });
  });
  it('a delta that changes every group of an asteroid', () => {
    const r = delta('00 01' + u16(7) + '07' + u16(100) + u16(200) + 'ff01' + '02' + '00');
    expect(r).toMatchObject({ ok: true, msg: { baselineTick: 1 } });
    if (r.ok)
      expect(r.msg.view.asteroids).toEqual([{ id: 7, x: 100, y: 200, vx: -1, vy: 1, size: 2 }]);
  });
  it('a full snapshot with one projectile', () => {
    const r = decodeSnapshot(
      frame('21', '00', NO_SHIPS + '00 00 01' + u16(1) + '0'.repeat(16) + '01 05'),
    );
    if (!r.ok) throw new Error(r.error);
    expect(r.msg.view.projectiles).toEqual([{ id: 1, owner: 1, x: 0, y: 0, vx: 0, vy: 0, ttl: 5 }]);
  });
  it('a delta that changes one group of an asteroid', () => {
    const r = delta('00' + '01' + u16(7) + '04' + '01' + '00');
    if (!r.ok) throw new Error(r.error);
    expect(r.msg.view.asteroids).toEqual([{ ...base.asteroids[0], size: 1 }]);
  });
});

describe('snapshot frames that are malformed', () => {
  const cases: [string, Uint8Array][] = [
    ['version 0', frame('00', '00', NO_SHIPS)],
    ['version 2', frame('02', '00', NO_SHIPS)],
    ['reserved flag bit', frame('41', '00', NO_SHIPS)],
    ['a list section with nothing in it', frame('11', '00', NO_SHIPS + '000000')],
    ['a ship group equal to what the client has', frame('01', '00', '04 00' + '00')],
    ['a ship mask bit for a group equal to the reference', frame('01', '00', '08 00' + '00')],
    ['lives above the start', frame('01', '00', '08 04' + '00')],
    ['x outside the arena', frame('01', '00', '01' + u16(25_600) + u16(0) + '00')],
    ['y outside the arena', frame('01', '00', '01' + u16(0) + u16(14_400) + '00')],
    ['asteroid size 3', frame('11', '00', NO_SHIPS + '00 00 01' + added(1, '03'))],
    ['added ids not ascending', frame('11', '00', NO_SHIPS + '00 00 02' + added(2) + added(1))],
    ['the same id added twice', frame('11', '00', NO_SHIPS + '00 00 02' + added(1) + added(1))],
    ['removal in a full snapshot', frame('11', '00', NO_SHIPS + '01' + u16(1) + '00 00')],
    [
      'more asteroids than the cap',
      frame(
        '11',
        '00',
        NO_SHIPS + '00 00 29' + Array.from({ length: 41 }, (_, i) => added(i)).join(''),
      ),
    ],
    // A projectile: id, x, y, vx, vy (all 0 here), owner, ttl.
    [
      'projectile ttl 0',
      frame('21', '00', NO_SHIPS + '00 00 01' + u16(1) + '0'.repeat(16) + '00 00'),
    ],
    [
      'projectile owner 2',
      frame('21', '00', NO_SHIPS + '00 00 01' + u16(1) + '0'.repeat(16) + '02 05'),
    ],
    ['a baseline before tick 1', frame('01', '05', NO_SHIPS)],
    ['truncated', frame('01', '00', '00')],
    ['extended', frame('01', '00', NO_SHIPS + '00')],
  ];
  for (const [what, f] of cases) {
    it(what, () => expect(decodeSnapshot(f)).toEqual({ ok: false, error: 'malformed' }));
  }
  const deltas: [string, string][] = [
    ['removing an id the baseline lacks', '01' + u16(8) + '00 00'],
    ['a change with an empty mask', '00 01' + u16(7) + '00' + '00'],
    ['a change with a reserved mask bit', '00 01' + u16(7) + '08' + '00'],
    ['a change to an id the baseline lacks', '00 01' + u16(9) + '04 01' + '00'],
    ['a change to a removed id', '01' + u16(7) + '01' + u16(7) + '04 01' + '00'],
    ['adding an id still present', '00 00 01' + added(7)],
    ['removing and adding back the same id (that is a change)', '01' + u16(7) + '00 01' + added(7)],
  ];
  for (const [what, body] of deltas) {
    it(what, () => expect(delta(body)).toEqual({ ok: false, error: 'malformed' }));
  }
  it('a state-channel code that is not a snapshot is unknown_code', () => {
    expect(decodeSnapshot(bytes('40'))).toEqual({ ok: false, error: 'unknown_code', code: 0x40 });
    expect(decodeSnapshot(new Uint8Array())).toEqual({ ok: false, error: 'malformed' });
  });
});

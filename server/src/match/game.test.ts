import { describe, expect, it } from 'vitest';
import { Button, decodeSnapshot } from '../../../shared/src/protocol/index.js';
import { ARENA, placeholderGame } from './game.js';

describe('placeholder game', () => {
  it('moves each player by their own buttons, without touching the old state', () => {
    const s0 = placeholderGame.init();
    const s1 = placeholderGame.step(s0, [Button.right, Button.left | Button.thrust]);
    expect(s1[0].x).toBeGreaterThan(s0[0].x);
    expect(s1[0].y).toBe(s0[0].y);
    expect(s1[1].x).toBeLessThan(s0[1].x);
    expect(s1[1].y).toBeLessThan(s0[1].y);
    expect(placeholderGame.init()).toEqual(s0);
  });
  it('keeps players inside the arena', () => {
    let s = placeholderGame.init();
    for (let i = 0; i < 1_000; i++)
      s = placeholderGame.step(s, [Button.left | Button.thrust, Button.right]);
    expect(s[0]).toEqual({ x: 0, y: 0 });
    expect(s[1].x).toBe(ARENA.width);
  });
  it('encodes the state as a snapshot frame', () => {
    const s = placeholderGame.init();
    expect(decodeSnapshot(placeholderGame.snapshot(s, 42))).toEqual({
      ok: true,
      msg: { type: 'snapshot', tick: 42, players: s },
    });
  });
});

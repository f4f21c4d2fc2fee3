// How a bot flies: it picks the nearest target (the opponent when in reach, else an asteroid),
// turns toward it, fires when lined up, and thrusts to close distance, with a little noise so
// two bots never mirror each other. Enough intent for realistic scenes in benchmarks.
import type { RenderFrame } from '../../../shared/src/net/game-view.js';
import { Button } from '../../../shared/src/protocol/index.js';
import { HEADINGS, HEIGHT, SUBUNITS, WIDTH } from '../../../shared/src/sim/constants.js';
import type { Ship } from '../../../shared/src/sim/types.js';

const TURN = (2 * Math.PI) / HEADINGS;
const OPPONENT_REACH = 500 * SUBUNITS;
const AIMED = 0.12; // radians

/** Shortest signed difference on a wrapping axis. */
function delta(from: number, to: number, size: number): number {
  let d = to - from;
  if (d > size / 2) d -= size;
  else if (d < -size / 2) d += size;
  return d;
}

function nearest(
  ship: Ship,
  frame: RenderFrame,
): { dx: number; dy: number; dist: number } | undefined {
  const opponent = frame.ships[frame.you === 0 ? 1 : 0];
  const targets =
    opponent.respawnTicks === 0 && opponent.lives > 0
      ? [opponent, ...frame.asteroids]
      : frame.asteroids;
  let best: { dx: number; dy: number; dist: number } | undefined;
  for (const t of targets) {
    const dx = delta(ship.x, t.x, WIDTH);
    const dy = delta(ship.y, t.y, HEIGHT);
    // The opponent counts as nearer than it is while in reach: it is worth more.
    const dist =
      Math.hypot(dx, dy) * (t === opponent && Math.hypot(dx, dy) < OPPONENT_REACH ? 0.5 : 1);
    if (!best || dist < best.dist) best = { dx, dy, dist };
  }
  return best;
}

export function pilot(frame: RenderFrame | undefined, random: () => number): number {
  const ship = frame?.ships[frame.you];
  if (!frame || !ship || ship.respawnTicks > 0) return 0;
  const target = nearest(ship, frame);
  if (!target) return random() < 0.3 ? Button.thrust : 0;
  let off = Math.atan2(target.dy, target.dx) - ship.heading * TURN;
  off = Math.atan2(Math.sin(off), Math.cos(off));
  let buttons = 0;
  if (off > AIMED / 2) buttons |= Button.right;
  else if (off < -AIMED / 2) buttons |= Button.left;
  if (Math.abs(off) < AIMED && random() < 0.8) buttons |= Button.fire;
  if (Math.abs(off) < 0.6 && target.dist > 250 * SUBUNITS && random() < 0.5)
    buttons |= Button.thrust;
  if (random() < 0.05) buttons ^= Button.left; // a twitch now and then
  return buttons;
}

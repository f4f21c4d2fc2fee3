// What changed between two drawn frames, turned into decoration: a rock that vanished blew
// up, a projectile that vanished early hit something, a ship whose respawn timer started
// exploded, and one whose timer ran out reappears. The remote ship's thrust is not on the
// wire, so it is inferred from its velocity: gaining speed along its nose means the engine
// is on.
import type { RenderFrame } from '../../../shared/src/net/game-view.js';
import {
  DRAG_DIVISOR,
  DRAG_KEEP,
  SPAWNS,
  SUBUNITS,
  THRUST,
} from '../../../shared/src/sim/constants.js';
import { cos, sin, TRIG_ONE } from '../../../shared/src/sim/trig.js';
import type { Ship } from '../../../shared/src/sim/types.js';
import type { Particles } from './particles.js';
import { SLOT_COLOURS } from './shapes.js';
import type { Sound } from './sound.js';

/** Rocks burst in a hot orange, with grey dust. */
const ROCK_FIRE = '#ffb070';
const ROCK_DUST = '#aab4d4';
/** Seconds the flame stays lit after the last sign of thrust (snapshots come at 30 Hz). */
const FLAME_HOLD = 0.15;

export class Effects {
  private prev: RenderFrame | undefined;
  private flameUntil = [0, 0];
  /** Seconds of screen shake left (the local ship was destroyed). */
  shake = 0;

  constructor(
    private readonly particles: Particles,
    private readonly sound?: Sound,
  ) {}

  /** Compares `frame` with the previous one; `t` is wall-clock seconds. */
  update(frame: RenderFrame, t: number, dt: number): void {
    this.shake = Math.max(0, this.shake - dt);
    const prev = this.prev;
    this.prev = frame;
    if (!prev) return;
    this.rocks(prev, frame);
    this.shots(prev, frame);
    frame.ships.forEach((ship, slot) => {
      const before = prev.ships[slot];
      if (before)
        this.ship(before, ship, frame.you === slot, frame.renderTick - prev.renderTick, t);
    });
  }

  /** Whether slot's engine is lit (the local one is known from the keys held). */
  thrusting(slot: number, t: number): boolean {
    return t < (this.flameUntil[slot] ?? 0);
  }

  private rocks(prev: RenderFrame, frame: RenderFrame): void {
    const now = new Set(frame.asteroids.map((a) => a.id * 4 + a.size));
    for (const a of prev.asteroids) {
      if (now.has(a.id * 4 + a.size)) continue;
      const n = 10 + a.size * 12;
      const x = a.x / SUBUNITS;
      const y = a.y / SUBUNITS;
      this.particles.explode(x, y, ROCK_FIRE, n, 70 + a.size * 55);
      this.particles.explode(x, y, ROCK_DUST, n / 2, 40 + a.size * 30);
      this.sound?.boom(a.size);
    }
  }

  private shots(prev: RenderFrame, frame: RenderFrame): void {
    const before = new Set(prev.projectiles.map((p) => p.id));
    for (const p of frame.projectiles)
      if (!before.has(p.id)) this.sound?.shot(p.owner === frame.you);
    const now = new Set(frame.projectiles.map((p) => p.id));
    for (const p of prev.projectiles) {
      // Expiring shots just fade; one that vanished with life left struck something.
      if (now.has(p.id) || p.ttl <= 3) continue;
      const colour = SLOT_COLOURS[p.owner].main;
      this.particles.explode(p.x / SUBUNITS, p.y / SUBUNITS, colour, 6, 90);
    }
  }

  private ship(before: Ship, ship: Ship, mine: boolean, ticks: number, t: number): void {
    const colour = SLOT_COLOURS[ship.id];
    if (before.respawnTicks === 0 && ship.respawnTicks > 0) {
      const x = before.x / SUBUNITS;
      const y = before.y / SUBUNITS;
      this.particles.explode(x, y, colour.main, 70, 220);
      this.particles.explode(x, y, '#ffffff', 20, 120);
      if (mine) this.shake = 0.4;
      this.sound?.boom(3);
    } else if (before.respawnTicks > 0 && ship.respawnTicks === 0 && ship.lives > 0) {
      const spawn = SPAWNS[ship.id];
      this.particles.ring(spawn.x / SUBUNITS, spawn.y / SUBUNITS, colour.main, 140, 0.6);
    }
    if (ticks > 0 && ship.respawnTicks === 0 && gainedThrust(before, ship, ticks)) {
      this.flameUntil[ship.id] = t + FLAME_HOLD;
    }
  }

  /** For the local ship: the keys say whether the engine burns. */
  setThrust(slot: number, on: boolean, t: number): void {
    if (on) this.flameUntil[slot] = t + 0.02;
    else this.flameUntil[slot] = 0;
  }
}

/** Did the ship speed up along its nose more than drag alone allows? */
function gainedThrust(before: Ship, ship: Ship, ticks: number): boolean {
  const keep = (DRAG_KEEP / DRAG_DIVISOR) ** ticks;
  const dx = ship.vx - before.vx * keep;
  const dy = ship.vy - before.vy * keep;
  const along = (dx * cos(ship.heading) + dy * sin(ship.heading)) / TRIG_ONE;
  return along > THRUST * ticks * 0.4;
}

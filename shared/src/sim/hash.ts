// A stable 32-bit fingerprint of a game state (FNV-1a over every integer field, in a fixed
// order). Golden tests pin it; a replay or a bench can compare it across engines.
import type { GameState } from './types.js';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function mix(hash: number, value: number): number {
  // Fields are integers within ±2^31; hash each as its 4 little-endian bytes.
  let h = hash;
  for (let i = 0; i < 4; i++) h = Math.imul(h ^ ((value >>> (8 * i)) & 0xff), FNV_PRIME);
  return h >>> 0;
}

export function hashState(state: GameState): number {
  let h = mix(mix(FNV_OFFSET, state.tick), state.rng);
  h = mix(mix(h, state.nextAsteroidId), state.nextProjectileId);
  for (const s of state.ships) {
    for (const v of [s.id, s.x, s.y, s.vx, s.vy, s.heading, s.lives, s.score]) h = mix(h, v);
    for (const v of [s.invulnTicks, s.respawnTicks, s.fireCooldown]) h = mix(h, v);
  }
  for (const s of state.stats)
    for (const v of [s.shotsFired, s.hits, s.asteroidsDestroyed]) h = mix(h, v);
  h = mix(h, state.asteroids.length);
  for (const a of state.asteroids)
    for (const v of [a.id, a.x, a.y, a.vx, a.vy, a.size]) h = mix(h, v);
  h = mix(h, state.projectiles.length);
  for (const p of state.projectiles) {
    for (const v of [p.id, p.owner, p.x, p.y, p.vx, p.vy, p.ttl]) h = mix(h, v);
  }
  return h;
}

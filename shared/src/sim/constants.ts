// Every tunable number of the game. The simulation works in integers only (see fixed.ts):
// positions in 1/16 world unit ("subunits"), ship velocities in 1/256 unit per tick,
// asteroid and projectile velocities in subunits per tick. Integers make every engine
// (Node, Chromium, the bot) compute bit-identical states, and they are what the wire carries.

/** Simulation ticks per second. The tick is the game's only clock. */
export const TICK_RATE = 60;
/** Snapshots per second sent to each client (one every TICK_RATE / SNAPSHOT_RATE ticks). */
export const SNAPSHOT_RATE = 30;
/** Match length: 3 minutes of ticks. */
export const MATCH_TICKS = 3 * 60 * TICK_RATE;

/** The arena in world units; it wraps on every edge. */
export const ARENA = { width: 1600, height: 900 } as const;
/** Subunits per world unit: positions are integers in 1/16 unit. */
export const SUBUNITS = 16;
/** The arena in subunits: x in [0, WIDTH), y in [0, HEIGHT). */
export const WIDTH = ARENA.width * SUBUNITS;
export const HEIGHT = ARENA.height * SUBUNITS;

/** Headings are integers 0–255 (a full turn); 0 points along +x, 64 along +y (screen down). */
export const HEADINGS = 256;

// Ships
export const START_LIVES = 3;
export const SHIP_RADIUS = 12 * SUBUNITS;
/** Ship velocity units per subunit: ship velocities are in 1/256 unit per tick. */
export const SHIP_VELOCITY_SCALE = 16;
/** Heading units turned per tick while left or right is held (about 1 s per full turn). */
export const TURN_RATE = 4;
/** Velocity gained per tick of thrust, in 1/256 unit per tick (about 0.09 unit/tick²). */
export const THRUST = 24;
/** Drag keeps DRAG_KEEP / DRAG_DIVISOR of the velocity each tick (top speed ≈ 6 units/tick). */
export const DRAG_KEEP = 63;
export const DRAG_DIVISOR = 64;
/** Ticks a destroyed ship waits before it reappears at its spawn point. */
export const RESPAWN_TICKS = 90;
/** Ticks of invulnerability after a respawn. */
export const INVULN_TICKS = 2 * TICK_RATE;
/** Spawn points (subunits) and headings, per slot: facing each other. */
export const SPAWNS = [
  { x: 400 * SUBUNITS, y: 450 * SUBUNITS, heading: 0 },
  { x: 1200 * SUBUNITS, y: 450 * SUBUNITS, heading: 128 },
] as const;

// Projectiles
/** Ticks between two shots of one ship while fire is held. */
export const FIRE_INTERVAL = 10;
/** A projectile lives this many ticks (1 s). */
export const PROJECTILE_TTL = TICK_RATE;
/** Muzzle speed in subunits per tick (8 units/tick), added to the ship's velocity. */
export const PROJECTILE_SPEED = 8 * SUBUNITS;
export const MAX_PROJECTILES_PER_SHIP = 8;
export const MAX_PROJECTILES = 2 * MAX_PROJECTILES_PER_SHIP;

// Asteroids
/** Asteroid sizes; a hit splits one into two of the next size down, a small one vanishes. */
export const AsteroidSize = { small: 0, medium: 1, large: 2 } as const;
export type AsteroidSize = (typeof AsteroidSize)[keyof typeof AsteroidSize];
/** Radius in subunits, per size. */
export const ASTEROID_RADIUS = [12 * SUBUNITS, 24 * SUBUNITS, 44 * SUBUNITS] as const;
/** Speed range in subunits per tick, per size: smaller pieces fly faster. */
export const ASTEROID_SPEED = [
  { min: 24, max: 36 },
  { min: 16, max: 24 },
  { min: 8, max: 16 },
] as const;
/** Points for destroying an asteroid, per size: small ones are hardest to hit. */
export const ASTEROID_POINTS = [100, 50, 20] as const;
/** Most asteroids alive at once: keeps every snapshot bounded. */
export const MAX_ASTEROIDS = 40;
/** The field at the start: 6 large, 8 medium and 10 small (the standard scene of 24). */
export const INITIAL_FIELD = [10, 8, 6] as const;
/** When fewer than this many asteroids remain, a new wave comes. */
export const WAVE_THRESHOLD = 8;
/** Large asteroids per wave (fewer if the cap is near). */
export const WAVE_SIZE = 6;
/** New asteroids appear at least this far from either ship and either spawn point. */
export const SAFE_DISTANCE = 250 * SUBUNITS;

// Scoring
export const HIT_POINTS = 250;

// In-process micro-benchmarks, run in the bench runner itself with nothing else going on:
// one match's simulation step + snapshot encode, one JWT verification with the local
// verifier, and the in-memory matchmaker's pairing rate.
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createLocalVerifier } from '../../server/src/auth/verifier.js';
import { pilot } from '../../server/src/bot/pilot.js';
import { asteroidsGame } from '../../server/src/match/game.js';
import { InMemoryMatchmaker } from '../../server/src/matchmaking/in-memory.js';
import type { MatchedPair, Ticket } from '../../server/src/matchmaking/matchmaker.js';
import { PackedViews, SeatViews } from '../../server/src/match/packed-views.js';
import { historyViews } from '../../server/src/match/seat.js';
import { MATCH_TICKS } from '../../shared/src/sim/constants.js';
import type { GameState } from '../../shared/src/sim/rules.js';
import { seededRandom } from './impair.js';
import { mean, round } from './stats.js';

export interface SimFigures {
  readonly ticks: number;
  /** Step every tick, plus both seats' snapshot every other tick (30 Hz), per tick. */
  readonly usPerTick: number;
  readonly stepUsPerTick: number;
  /** viewOf + encodeSnapshot (delta against the acked view) for one seat. */
  readonly encodeUsPerSnapshot: number;
  readonly payloadBytesPerSnapshot: number;
  /** Payload per client at 30 snapshots per second. */
  readonly payloadBytesPerSecond: number;
  readonly scene: { readonly asteroids: number; readonly projectiles: number };
}

const TICKS_PER_SNAPSHOT = 2;
const SNAPSHOT_HZ = 30;

function frameFor(state: GameState, you: 0 | 1) {
  return {
    renderTick: state.tick,
    you,
    ships: state.ships,
    asteroids: state.asteroids,
    projectiles: state.projectiles,
    ticksLeft: 0,
  };
}

/** Bots playing (the pilot) in a standard match; a new match when one ends. */
export function simBench(ticks: number, warmup = 2_000): SimFigures {
  const random = seededRandom(7);
  let seed = 1;
  let state = asteroidsGame.init(seed, MATCH_TICKS);
  let seats: { history: SeatViews; ackTick: number; ackInputSeq: number }[] = [];
  const fresh = () => {
    state = asteroidsGame.init(seed++, MATCH_TICKS);
    const views = new PackedViews(historyViews(TICKS_PER_SNAPSHOT)); // one per match, as a room
    seats = [0, 1].map(() => ({
      history: new SeatViews(views),
      ackTick: 0,
      ackInputSeq: 0,
    }));
  };
  fresh();
  let stepMs = 0;
  let encodeMs = 0;
  let encodes = 0;
  let bytes = 0;
  const asteroids: number[] = [];
  const projectiles: number[] = [];
  for (let i = 0; i < warmup + ticks; i++) {
    if (i === warmup) [stepMs, encodeMs, encodes, bytes] = [0, 0, 0, 0];
    const buttons = [pilot(frameFor(state, 0), random), pilot(frameFor(state, 1), random)] as const;
    const t0 = performance.now();
    state = asteroidsGame.step(state, buttons);
    const t1 = performance.now();
    stepMs += t1 - t0;
    if (state.tick % TICKS_PER_SNAPSHOT === 0) {
      for (const seat of seats) {
        const frame = asteroidsGame.snapshot(state, seat);
        bytes += frame.length;
        encodes++;
      }
      encodeMs += performance.now() - t1;
      // On loopback each client acks a snapshot before the next one goes out.
      for (const seat of seats) seat.ackTick = state.tick;
      asteroids.push(state.asteroids.length);
      projectiles.push(state.projectiles.length);
    }
    if (asteroidsGame.outcome(state)) fresh();
  }
  const perSnapshot = bytes / Math.max(1, encodes);
  return {
    ticks,
    usPerTick: round(((stepMs + encodeMs) * 1000) / ticks, 2),
    stepUsPerTick: round((stepMs * 1000) / ticks, 2),
    encodeUsPerSnapshot: round((encodeMs * 1000) / Math.max(1, encodes), 2),
    payloadBytesPerSnapshot: round(perSnapshot, 1),
    payloadBytesPerSecond: round(perSnapshot * SNAPSHOT_HZ, 0),
    scene: { asteroids: round(mean(asteroids), 1), projectiles: round(mean(projectiles), 1) },
  };
}

/**
 * The memory one match holds in a room: its state on the JS heap and both seats' packed view
 * histories (typed arrays) after 256 ticks of bots playing, measured over `matches` live
 * matches after a full GC.
 */
export function matchHeapBench(matches: number): { kbPerMatch: number; matches: number } {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const random = seededRandom(11);
  // The seats' views are packed in typed arrays, whose bytes are outside the JS heap.
  const used = () => {
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  gc();
  const before = used();
  const live = Array.from({ length: matches }, (_, m) => {
    let state = asteroidsGame.init(m + 1, MATCH_TICKS);
    const views = new PackedViews(historyViews(TICKS_PER_SNAPSHOT));
    const seats = [0, 1].map(() => ({
      history: new SeatViews(views),
      ackTick: 0,
      ackInputSeq: 0,
    }));
    for (let t = 0; t < 256; t++) {
      const buttons = [
        pilot(frameFor(state, 0), random),
        pilot(frameFor(state, 1), random),
      ] as const;
      state = asteroidsGame.step(state, buttons);
      if (state.tick % TICKS_PER_SNAPSHOT !== 0) continue;
      for (const seat of seats) asteroidsGame.snapshot(state, seat);
      for (const seat of seats) seat.ackTick = state.tick;
    }
    return { state, seats };
  });
  gc();
  const kb = (used() - before) / 1024 / live.length;
  return { kbPerMatch: round(kb, 1), matches };
}

const b64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

function signJwt(key: KeyObject, payload: Record<string, unknown>): string {
  const head = `${b64url(JSON.stringify({ alg: 'RS256', kid: 'bench', typ: 'JWT' }))}.${b64url(JSON.stringify(payload))}`;
  return `${head}.${b64url(sign('RSA-SHA256', Buffer.from(head), key))}`;
}

/**
 * µs per verification by the local verifier (server/src/auth/verifier.ts), fed its JWKS by a
 * tiny HTTP server here, as the emulator would: RS256 with a 2048-bit key, Cognito's claims.
 */
export async function jwtBench(n: number): Promise<{ usPerVerify: number; n: number }> {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'bench', alg: 'RS256', use: 'sig' };
  const server = createServer((_req, res) => res.end(JSON.stringify({ keys: [jwk] })));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const pool = 'local_bench';
    const verifier = await createLocalVerifier({
      endpoint,
      issuer: `${endpoint}/${pool}`,
      userPoolId: pool,
      clientId: 'benchclient',
    });
    const now = Math.floor(Date.now() / 1000);
    // A few distinct tokens, in case anything caches by token.
    const tokens = Array.from({ length: 8 }, (_, i) =>
      signJwt(privateKey, {
        sub: `sub-${i}`,
        username: `user${i}`,
        jti: `jti-${i}`,
        iss: `${endpoint}/${pool}`,
        token_use: 'access',
        client_id: 'benchclient',
        iat: now,
        auth_time: now,
        exp: now + 3600,
      }),
    );
    for (let i = 0; i < 500; i++) await verifier.verify(tokens[i % tokens.length]!);
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await verifier.verify(tokens[i % tokens.length]!);
    return { usPerVerify: round(((performance.now() - t0) * 1000) / n, 2), n };
  } finally {
    server.close();
  }
}

/** Pairs per second through InMemoryMatchmaker: `n` enqueues, each awaited as the route does. */
export async function matchmakerBench(
  n: number,
): Promise<{ enqueues: number; pairs: number; pairsPerSecond: number }> {
  const mm = new InMemoryMatchmaker({ now: () => performance.now() });
  let pairs = 0;
  mm.onMatched((_p: MatchedPair) => void pairs++);
  const tickets: Ticket[] = Array.from({ length: n }, (_, i) => ({
    ticketId: `t${i}`,
    userId: `u${i}`,
    username: `u${i}`,
    offerSdp: 'v=0',
    enqueuedAt: 0,
  }));
  const t0 = performance.now();
  for (const t of tickets) await mm.enqueue(t);
  const sec = (performance.now() - t0) / 1000;
  return { enqueues: n, pairs, pairsPerSecond: round(pairs / sec, 0) };
}

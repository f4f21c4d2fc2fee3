// One match result as it travels through the results queue: plain JSON, validated with zod at
// every consumer (SQS bodies and the local queue's entries are both outside input).
import { z } from 'zod';
import type { MatchEndedEvent } from '../match/worker-protocol.js';

const count = z.number().int().min(0).max(1_000_000_000);
const statsSchema = z.object({
  score: count,
  shotsFired: count,
  hits: count,
  asteroidsDestroyed: count,
});

export const matchResultSchema = z.object({
  /** Version of this message's shape, so a consumer can refuse what it cannot read. */
  v: z.literal(1),
  matchId: z.string().min(1).max(100),
  reason: z.string().min(1).max(50),
  durationSec: z.number().min(0).max(86_400),
  winnerSlot: z.number().int().min(-1).max(1),
  /** ISO time the match ended on the game server (not when the result was applied). */
  endedAt: z.iso.datetime(),
  players: z
    .array(
      z.object({
        userId: z.string().min(1).max(200),
        username: z.string().min(1).max(100),
        slot: z.number().int().min(0).max(1),
      }),
    )
    .length(2),
  /** Per slot; absent when the match never got to play. */
  stats: z.tuple([statsSchema, statsSchema]).optional(),
});

export type MatchResult = z.infer<typeof matchResultSchema>;
export type PlayerMatchStats = z.infer<typeof statsSchema>;

/** A body that is not a result of this version: retrying cannot help. */
export class InvalidResultError extends Error {
  override name = 'InvalidResultError';
}

export function parseResult(body: unknown): MatchResult {
  const parsed = matchResultSchema.safeParse(body);
  if (!parsed.success) throw new InvalidResultError(`not a match result: ${parsed.error.message}`);
  return parsed.data;
}

/**
 * The one place that knows the room worker's event shape (H1 may rename it): a finished
 * match as a queue message.
 */
export function resultFromMatchEnded(e: MatchEndedEvent, endedAt = new Date()): MatchResult {
  return {
    v: 1,
    matchId: e.matchId,
    reason: e.reason,
    durationSec: e.durationSec,
    winnerSlot: e.winnerSlot,
    endedAt: endedAt.toISOString(),
    players: e.players.map((p) => ({ userId: p.userId, username: p.username, slot: p.slot })),
    stats: [pickStats(e.stats[0]), pickStats(e.stats[1])],
  };
}

function pickStats(s: MatchEndedEvent['stats'][number]): PlayerMatchStats {
  return {
    score: s.score,
    shotsFired: s.shotsFired,
    hits: s.hits,
    asteroidsDestroyed: s.asteroidsDestroyed,
  };
}

// Applies one match result to DynamoDB: each player's record (time, stats, win/loss/draw, best
// score), then the `matches` item. The same code runs in the game server (local queue) and in
// the Lambda (SQS). Applying a result twice changes nothing, so every queue may redeliver.
import type { Logger } from 'pino';
import type { PlayerItem } from '../players/player.js';
import type { PlayerMatchResult, PlayerRepository } from '../players/repository.js';
import type { MatchItem, MatchRepository } from './repository.js';
import type { MatchResult, PlayerMatchStats } from './result.js';

const NO_STATS: PlayerMatchStats = { score: 0, shotsFired: 0, hits: 0, asteroidsDestroyed: 0 };
const DAY_SECONDS = 86_400;
/**
 * Items of matches without a result age out after this. It must outlive every redelivery:
 * the item is the "already applied" marker, and SQS keeps a message at most 4 + 14 days.
 */
export const VOLATILE_MATCH_DAYS = 30;

// Matches cut short from outside have no winner and no loser.
const INTERRUPTED = new Set(['server_stopping', 'admin_ended', 'server_error', 'connect_timeout']);

/** A player of the result has no item: only an operator can fix that, so it dead-letters. */
export class PlayerMissingError extends Error {
  override name = 'PlayerMissingError';
}

export type ApplyOutcome = 'applied' | 'duplicate' | 'skipped';

function outcomeOf(slot: number, m: MatchResult): PlayerMatchResult['outcome'] {
  if (INTERRUPTED.has(m.reason)) return 'none';
  if (m.winnerSlot < 0) return 'draw';
  return slot === m.winnerSlot ? 'win' : 'loss';
}

export function matchItemOf(m: MatchResult): MatchItem {
  const item: MatchItem = {
    matchId: m.matchId,
    endedAt: m.endedAt,
    durationSec: m.durationSec,
    reason: m.reason,
    winnerSlot: m.winnerSlot,
    winner: m.players.find((p) => p.slot === m.winnerSlot)?.username,
    players: m.players.map((p) => ({
      username: p.username,
      slot: p.slot,
      ...(m.stats?.[p.slot] ?? NO_STATS),
    })),
  };
  // Interrupted matches decide nothing and feed no leaderboard: history worth a month.
  if (INTERRUPTED.has(m.reason)) {
    const ended = Math.floor(Date.parse(m.endedAt) / 1000);
    item.expiresAt = ended + VOLATILE_MATCH_DAYS * DAY_SECONDS;
  }
  return item;
}

export class ResultConsumer {
  constructor(
    private readonly d: {
      players: PlayerRepository;
      matches: MatchRepository;
      logger: Logger;
      /** Told about each player whose record changed (leaderboards, caches). */
      onPlayerUpdated?: (item: PlayerItem) => Promise<void>;
    },
  ) {}

  /** Throws when the result could not be applied (yet); the queue retries it. */
  async apply(m: MatchResult): Promise<ApplyOutcome> {
    // A match that never started (a player never connected) is no result for anyone.
    if (m.durationSec <= 0) return 'skipped';
    // The matches item is written last, so its presence means the whole result is in.
    if (await this.d.matches.get(m.matchId)) return 'duplicate';
    const updated = await Promise.all(m.players.map((p) => this.applyToPlayer(m, p)));
    await this.d.matches.put(matchItemOf(m));
    for (const item of updated) if (item) await this.tell(item);
    return 'applied';
  }

  /** The player's new item, or null when this match was already counted for them. */
  private async applyToPlayer(
    m: MatchResult,
    p: MatchResult['players'][number],
  ): Promise<PlayerItem | null> {
    const result = {
      seconds: m.durationSec,
      outcome: outcomeOf(p.slot, m),
      ...(m.stats?.[p.slot] ?? NO_STATS),
    };
    const item = await this.d.players.recordMatch(p.username, m.matchId, result);
    // A refused write is either "already counted" (lastCountedMatch) or a missing player.
    if (!item && !(await this.d.players.get(p.username)))
      throw new PlayerMissingError(`player ${p.username} has no item in the players table`);
    return item;
  }

  // Caches are a view: a failure to refresh one must not replay the result.
  private async tell(item: PlayerItem): Promise<void> {
    try {
      await this.d.onPlayerUpdated?.(item);
    } catch (err) {
      this.d.logger.warn({ err, username: item.username }, 'player update hook failed');
    }
  }
}

// What happens to a finished match's result: the match item, then each player's record (time,
// stats, win/loss/draw, best score), each written once however often it is retried.
import type { Logger } from 'pino';
import type { PlayerItem } from '../players/player.js';
import type { PlayerMatchResult, PlayerRepository } from '../players/repository.js';
import type { EndReasonName } from '../../../shared/src/protocol/index.js';
import { NO_STATS, type MatchEndedEvent } from '../match/worker-protocol.js';
import type { MatchItem, MatchRepository } from './repository.js';

const ATTEMPTS = 3;

// Matches cut short from outside have no winner and no loser.
const INTERRUPTED: ReadonlySet<EndReasonName> = new Set([
  'server_stopping',
  'admin_ended',
  'server_error',
  'connect_timeout',
]);

function outcomeOf(slot: number, m: MatchEndedEvent): PlayerMatchResult['outcome'] {
  if (INTERRUPTED.has(m.reason)) return 'none';
  const winnerSlot = m.winnerSlot;
  if (winnerSlot < 0) return 'draw';
  return slot === winnerSlot ? 'win' : 'loss';
}

export class MatchRecorder {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly d: {
      players: PlayerRepository;
      matches: MatchRepository;
      logger: Logger;
      /** Told about each player whose record changed (leaderboards, caches). */
      onPlayerUpdated?: (item: PlayerItem) => Promise<void>;
    },
  ) {}

  /** Records the match in the background; drain() waits for every record in flight. */
  record(m: MatchEndedEvent): Promise<void> {
    const done: Promise<void> = this.write(m).finally(() => this.pending.delete(done));
    this.pending.add(done);
    return done;
  }

  async drain(): Promise<void> {
    while (this.pending.size) await Promise.all(this.pending);
  }

  private async write(m: MatchEndedEvent): Promise<void> {
    // A match that never started (a player never connected) is no result for anyone.
    if (m.durationSec <= 0) return;
    const stats = m.players.map((p) => m.stats[p.slot] ?? NO_STATS);
    const item: MatchItem = {
      matchId: m.matchId,
      endedAt: new Date().toISOString(),
      durationSec: m.durationSec,
      reason: m.reason,
      winnerSlot: m.winnerSlot,
      winner: m.players.find((p) => p.slot === m.winnerSlot)?.username,
      players: m.players.map((p, i) => ({
        username: p.username,
        slot: p.slot,
        ...(stats[i] ?? NO_STATS),
      })),
    };
    await this.retry(`match ${m.matchId}`, () => this.d.matches.put(item));
    await Promise.all(
      m.players.map((p, i) =>
        this.retry(`player ${p.username}`, async () => {
          const result = {
            seconds: m.durationSec,
            outcome: outcomeOf(p.slot, m),
            ...(stats[i] ?? NO_STATS),
          };
          const updated = await this.d.players.recordMatch(p.username, m.matchId, result);
          if (updated) await this.d.onPlayerUpdated?.(updated);
        }),
      ),
    );
  }

  /** Every write is idempotent, so a failed one is simply tried again. */
  private async retry(what: string, write: () => Promise<unknown>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await write();
        return;
      } catch (err) {
        if (attempt >= ATTEMPTS) {
          this.d.logger.error({ err, what }, 'could not record match result');
          return;
        }
        this.d.logger.warn({ err, what, attempt }, 'retrying match result write');
      }
    }
  }
}

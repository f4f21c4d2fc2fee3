// Leaderboards: numbered pages and a player's neighbourhood, read from the leaderboard index
// through the cache, and the one write that keeps a player's rank key in step with their stats.
import type { Logger } from 'pino';
import type { LeaderboardEntry, LeaderboardPage } from '../../../shared/src/net/api-client.js';
import type { VersionedCache } from '../cache/versioned.js';
import type { PlayerItem } from '../players/player.js';
import { parseRankKey, rankKey, shardOf } from './rank-key.js';
import type { LeaderboardRepository, RankedItem } from './repository.js';

export type { LeaderboardEntry, LeaderboardPage };

export interface Neighbourhood {
  /** Null until the player has a result. */
  rank: number | null;
  entries: LeaderboardEntry[];
}

// A conditional write that keeps losing to newer stats gives up after this many reads.
const MAX_ATTEMPTS = 5;

const entry = (key: string, rank: number): LeaderboardEntry => ({ rank, ...parseRankKey(key) });

export class LeaderboardService {
  constructor(
    private readonly d: {
      repo: LeaderboardRepository;
      cache: VersionedCache;
      logger: Logger;
    },
  ) {}

  /** Page `page` (1-based) of `size` entries. */
  page(page: number, size: number): Promise<LeaderboardPage> {
    return this.d.cache.read(`lb:page:${page}:${size}`, async () => {
      const offset = (page - 1) * size;
      const keys = await this.d.repo.range(offset, size + 1);
      return {
        page,
        size,
        entries: keys.slice(0, size).map((k, i) => entry(k, offset + i + 1)),
        hasMore: keys.length > size,
      };
    });
  }

  /** The player's rank with up to `radius` neighbours on each side. */
  aroundMe(player: PlayerItem, radius: number): Promise<Neighbourhood> {
    const key = (player as RankedItem).rankKey;
    if (key === undefined) return Promise.resolve({ rank: null, entries: [] });
    return this.d.cache.read(`lb:around:${key}:${radius}`, async () => {
      const [before, { above, below }] = await Promise.all([
        this.d.repo.countBefore(key),
        this.d.repo.neighbours(key, radius),
      ]);
      const rank = before + 1;
      return {
        rank,
        entries: [
          ...above.map((k, i) => entry(k, rank - above.length + i)),
          entry(key, rank),
          ...below.map((k, i) => entry(k, rank + 1 + i)),
        ],
      };
    });
  }

  /**
   * A player's stats changed (the match-result writer calls this for both players): brings
   * their rank key up to date and invalidates the cached views. Pass the fresh item when at
   * hand, else the username and it is read.
   */
  async playerUpdated(player: string | PlayerItem): Promise<void> {
    try {
      await this.updateRankKey(typeof player === 'string' ? await this.d.repo.get(player) : player);
    } finally {
      // Even if the key could not be written, the stats changed: cached profiles must go.
      await this.d.cache.invalidateAll();
    }
  }

  private async updateRankKey(fresh: RankedItem | undefined): Promise<void> {
    let item = fresh;
    for (let attempt = 1; item; attempt++) {
      const key = rankKey(item);
      const shard = shardOf(item.username);
      if (item.rankKey === key && item.lbShard === shard) return;
      if (await this.d.repo.setRankKey(item, key, shard)) return;
      if (attempt >= MAX_ATTEMPTS) {
        this.d.logger.warn(
          { username: item.username },
          'rank key not updated: stats kept changing',
        );
        return;
      }
      // Someone changed the stats in between: rank what they are now.
      item = await this.d.repo.get(item.username);
    }
  }
}

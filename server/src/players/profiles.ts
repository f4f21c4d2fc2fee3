// Public profiles, through the cache: anyone may read a player's public stats.
import type { VersionedCache } from '../cache/versioned.js';
import { publicView, type PlayerItem, type PublicProfile } from './player.js';

export interface PlayerReader {
  get(username: string): Promise<PlayerItem | undefined>;
}

export class ProfileService {
  constructor(
    private readonly d: {
      players: PlayerReader;
      /** Shared with the leaderboard: a match result invalidates both. */
      cache: VersionedCache;
    },
  ) {}

  /** The public profile, or undefined when no such player exists (a miss is not cached). */
  get(username: string): Promise<PublicProfile | undefined> {
    return this.d.cache.read(`profile:${username}`, async () => {
      const item = await this.d.players.get(username);
      return item && publicView(item);
    });
  }
}

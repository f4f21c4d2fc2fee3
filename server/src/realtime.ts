// The realtime part of a node: matchmaking, signalling and the rooms, and how they stop.
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { InMemoryMatchmaker } from './matchmaking/in-memory.js';
import type { Matchmaker } from './matchmaking/matchmaker.js';
import { RedisMatchmaker } from './matchmaking/redis.js';
import type { RoomHost } from './match/room-host.js';
import { playStateIn } from './players/play-state.js';
import type { PlayerRepository } from './players/repository.js';
import type { Results } from './results/index.js';
import { RedisTicketStore } from './signalling/redis-ticket-store.js';
import { SignallingService, type MatchHost } from './signalling/service.js';
import { MemoryTicketStore, type TicketStore } from './signalling/ticket-store.js';

const RESULTS_DRAIN_MS = 2000;

export interface Realtime {
  signalling: SignallingService;
  /**
   * Server stop: waiting players are told, every match tells its players `server_stopping`
   * and is recorded, then the affected players' sessions end (in local mode, every session:
   * the node is the whole platform). Resolves with how many players were marked inactive.
   */
  stop(): Promise<number>;
  /** Lets go of the matchmaking connections (after stop). */
  close(): Promise<void>;
}

// A matched ticket outlives the longest match by this much unless its match's end releases it
// first (a host that died without releasing frees its players after at most this).
const MATCHED_GRACE_MS = 60_000;

/**
 * With REDIS_URL, the queue and the tickets live in Redis, shared by every node (under
 * CACHE_KEY_PREFIX); without it, in this process (one node).
 */
export function matchmakingFor(o: {
  config: Config;
  logger: Logger;
  now: () => number;
  nodeId: string;
}): { matchmaker: Matchmaker; tickets: TicketStore } {
  const { config, logger, now, nodeId } = o;
  if (!config.REDIS_URL)
    return { matchmaker: new InMemoryMatchmaker({ now }), tickets: new MemoryTicketStore() };
  const common = { url: config.REDIS_URL, keyPrefix: config.CACHE_KEY_PREFIX, logger };
  return {
    matchmaker: new RedisMatchmaker({
      ...common,
      nodeId,
      now,
      matchedTtlMs: config.MATCH_SECONDS * 1000 + MATCHED_GRACE_MS,
    }),
    tickets: new RedisTicketStore(common),
  };
}

export function createRealtime(o: {
  config: Config;
  logger: Logger;
  host: RoomHost;
  players: PlayerRepository;
  /** Where finished matches go: the results queue. */
  results: Results;
  now: () => number;
  /** Starts the matches this node pairs; the local room host unless given (placement). */
  matchHost?: MatchHost;
  /** This process in the node registry; host name and pid unless given. */
  nodeId?: string;
}): Realtime {
  const { matchmaker, tickets } = matchmakingFor({
    config: o.config,
    logger: o.logger,
    now: o.now,
    nodeId: o.nodeId ?? `${hostname()}:${process.pid}`,
  });
  const signalling = new SignallingService({
    matchmaker,
    tickets,
    host: o.matchHost ?? o.host,
    logger: o.logger,
    now: o.now,
    // Queued and in-match sessions are busy in the player item: a login cannot take them over.
    playState: playStateIn(o.players, o.now),
  });
  const stoppedInMatch: string[] = [];
  o.host.on('matchEnded', (e) => {
    if (e.reason === 'server_stopping') stoppedInMatch.push(...e.players.map((p) => p.username));
    o.logger.info(
      { matchId: e.matchId, reason: e.reason, durationSec: e.durationSec },
      'match ended',
    );
    o.results
      .record(e)
      .catch((err: unknown) => o.logger.error({ err }, 'could not record a match'));
    signalling
      .matchEnded(e)
      .catch((err: unknown) => o.logger.error({ err }, 'could not release the players of a match'));
  });
  return {
    signalling,
    async stop() {
      await signalling.stop();
      await o.host.stopAll();
      // Queued results are durable; applying them now is a courtesy bounded by the stop deadline.
      await o.results.drain(RESULTS_DRAIN_MS);
      const names =
        o.config.mode.kind === 'local'
          ? await o.players.onlineUsernames()
          : [...new Set([...signalling.stoppedWaiting, ...stoppedInMatch])];
      const ended = await Promise.all(names.map((n) => o.players.endAnySession(n)));
      return ended.filter(Boolean).length;
    },
    close: () => signalling.close(),
  };
}

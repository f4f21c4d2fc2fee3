// The realtime part of a node: matchmaking, signalling and the rooms, and how they stop.
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { InMemoryMatchmaker } from './matchmaking/in-memory.js';
import type { RoomHost } from './match/room-host.js';
import { playStateIn } from './players/play-state.js';
import type { PlayerRepository } from './players/repository.js';
import type { Results } from './results/index.js';
import { SignallingService } from './signalling/service.js';

const RESULTS_DRAIN_MS = 2000;

export interface Realtime {
  signalling: SignallingService;
  /**
   * Server stop: waiting players are told, every match tells its players `server_stopping`
   * and is recorded, then the affected players' sessions end (in local mode, every session:
   * the node is the whole platform). Resolves with how many players were marked inactive.
   */
  stop(): Promise<number>;
}

export function createRealtime(o: {
  config: Config;
  logger: Logger;
  host: RoomHost;
  players: PlayerRepository;
  /** Where finished matches go: the results queue. */
  results: Results;
  now: () => number;
}): Realtime {
  const matchmaker = new InMemoryMatchmaker({ now: o.now });
  const signalling = new SignallingService({
    matchmaker,
    host: o.host,
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
      signalling.stop();
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
  };
}

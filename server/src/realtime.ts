// The realtime part of a node: matchmaking, signalling and the rooms, and how they stop.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { InMemoryMatchmaker } from './matchmaking/in-memory.js';
import type { RoomHost } from './match/room-host.js';
import type { PlayerItem } from './players/player.js';
import type { PlayerRepository } from './players/repository.js';
import { MatchRecorder } from './results/recorder.js';
import { MatchRepository } from './results/repository.js';
import { SignallingService } from './signalling/service.js';

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
  dynamo: DynamoDBClient;
  now: () => number;
  /** Told about each player whose record a match result changed. */
  onPlayerUpdated?: (item: PlayerItem) => Promise<void>;
}): Realtime {
  const matchmaker = new InMemoryMatchmaker({ now: o.now });
  const signalling = new SignallingService({
    matchmaker,
    host: o.host,
    logger: o.logger,
    now: o.now,
  });
  const recorder = new MatchRecorder({
    players: o.players,
    matches: new MatchRepository(o.dynamo, o.config.MATCHES_TABLE),
    logger: o.logger,
    ...(o.onPlayerUpdated ? { onPlayerUpdated: o.onPlayerUpdated } : {}),
  });
  const stoppedInMatch: string[] = [];
  o.host.on('matchEnded', (e) => {
    if (e.reason === 'server_stopping') stoppedInMatch.push(...e.players.map((p) => p.username));
    o.logger.info(
      { matchId: e.matchId, reason: e.reason, durationSec: e.durationSec },
      'match ended',
    );
    recorder.record(e).catch((err: unknown) => o.logger.error({ err }, 'could not record a match'));
    signalling
      .matchEnded(e)
      .catch((err: unknown) => o.logger.error({ err }, 'could not release the players of a match'));
  });
  return {
    signalling,
    async stop() {
      signalling.stop();
      await o.host.stopAll();
      await recorder.drain();
      const names =
        o.config.mode.kind === 'local'
          ? await o.players.onlineUsernames()
          : [...new Set([...signalling.stoppedWaiting, ...stoppedInMatch])];
      const ended = await Promise.all(names.map((n) => o.players.endAnySession(n)));
      return ended.filter(Boolean).length;
    },
  };
}

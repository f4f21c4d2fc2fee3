// Wires the services of one server node from its settings and backends. main.ts runs it as a
// process; integration tests build it in-process against emulators on free ports.
import type { Express } from 'express';
import type { Logger } from 'pino';
import { createApp } from './app.js';
import { AuthService } from './auth/service.js';
import type { Backends } from './backends.js';
import type { Config } from './config.js';
import { startReaper, type Reaper } from './players/reaper.js';
import { PlayerRepository } from './players/repository.js';
import type { RoomHost } from './match/room-host.js';
import { createRealtime, type Realtime } from './realtime.js';

export interface PlatformOptions {
  config: Config;
  logger: Logger;
  backends: Backends;
  /** The clock of every lease decision; tests drive it by hand. */
  now?: () => number;
  webRoot?: string;
  /** The match rooms; without them the node serves accounts only. */
  host?: RoomHost;
}

export interface Platform {
  app: Express;
  auth: AuthService;
  players: PlayerRepository;
  reaper: Reaper;
  realtime?: Realtime;
  close(): Promise<void>;
}

export function createPlatform(o: PlatformOptions): Platform {
  const { config, logger, backends } = o;
  const now = o.now ?? Date.now;
  const leaseMs = config.LEASE_SECONDS * 1000;
  const players = new PlayerRepository(backends.dynamo, config.PLAYERS_TABLE);
  const auth = new AuthService({
    idp: backends.idp,
    verifier: backends.verifier,
    players,
    leaseMs,
    mergeLoginErrors: config.AUTH_MERGE_LOGIN_ERRORS,
    now,
    logger,
  });
  // A quarter of the lease: an abandoned session reads inactive at most 1.25 leases after its last call.
  const reaper = startReaper(players, { intervalMs: Math.max(1000, leaseMs / 4), now, logger });
  const realtime = o.host
    ? createRealtime({ config, logger, host: o.host, players, dynamo: backends.dynamo, now })
    : undefined;
  const app = createApp({
    config,
    logger,
    auth,
    probes: [
      { name: 'cognito', check: () => backends.idp.ping() },
      { name: 'dynamodb', check: () => players.ping() },
    ],
    ...(o.webRoot ? { webRoot: o.webRoot } : {}),
    ...(realtime ? { signalling: realtime.signalling } : {}),
  });
  return {
    app,
    auth,
    players,
    reaper,
    ...(realtime ? { realtime } : {}),
    close: async () => {
      reaper.stop();
    },
  };
}

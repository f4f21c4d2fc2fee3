// Wires the services of one server node from its settings and backends. main.ts runs it as a
// process; integration tests build it in-process against emulators on free ports.
import type { Express } from 'express';
import type { Logger } from 'pino';
import { AdminRepository } from './admin/repository.js';
import { AdminService } from './admin/service.js';
import { createApp } from './app.js';
import { userRequestLimit } from './auth/request-limit.js';
import { AuthService } from './auth/service.js';
import { SessionCache } from './auth/session-cache.js';
import { rememberVerified } from './auth/verifier.js';
import {
  LocalSessionInvalidations,
  RedisSessionInvalidations,
  type SessionInvalidations,
} from './auth/session-invalidations.js';
import type { Backends } from './backends.js';
import type { Cache } from './cache/cache.js';
import { MemoryCache } from './cache/memory.js';
import { RedisCache } from './cache/redis.js';
import { ResilientCache } from './cache/resilient.js';
import { VersionedCache } from './cache/versioned.js';
import type { Config } from './config.js';
import { LeaderboardRepository } from './leaderboard/repository.js';
import { LeaderboardService } from './leaderboard/service.js';
import { memoryLimitStores, redisLimitStores } from './http/limit-store.js';
import { PlatformMetrics } from './metrics/metrics.js';
import { ProfileService } from './players/profiles.js';
import { startReaper, type Reaper } from './players/reaper.js';
import { PlayerRepository } from './players/repository.js';
import type { MatchEndedEvent, RoomHost } from './match/room-host.js';
import { createCluster, nodeUdpPort, type Cluster } from './cluster/index.js';
import { createRealtime, type Realtime } from './realtime.js';
import { createResults, type Results } from './results/index.js';
import type { LocalQueueEvents } from './results/local-queue.js';

// Longer than a GSI usually takes to catch up with a write, so the second invalidation after
// a result clears any page read from the index before it had caught up.
const INDEX_SETTLE_MS = 2000;

export interface PlatformOptions {
  config: Config;
  logger: Logger;
  backends: Backends;
  /** The clock of every lease decision (and of the in-memory cache); tests drive it by hand. */
  now?: () => number;
  webRoot?: string;
  /** The match rooms; without them the node serves accounts only. */
  host?: RoomHost;
  /** Told when the local results queue applies or dead-letters a result (tests, bench). */
  resultEvents?: LocalQueueEvents;
  /** This process's id in the registry (default `${hostname}-${pid}`). */
  nodeId?: string;
  /** The UDP port `host` listens on (default RTC_UDP_PORT + NODE_INDEX). */
  udpPort?: number;
}

export interface Platform {
  app: Express;
  auth: AuthService;
  players: PlayerRepository;
  leaderboard: LeaderboardService;
  metrics: PlatformMetrics;
  reaper: Reaper;
  realtime?: Realtime;
  /** The results queue, on nodes that host matches. */
  results?: Results;
  /** This process as a member of the platform (registry, bus, placement), where matches run. */
  cluster?: Cluster;
  close(): Promise<void>;
}

/** Every node that shares a Redis hears every session change; one process hears its own. */
function invalidationsFor(
  config: Config,
  logger: Logger,
  renewEveryMs: number,
): SessionInvalidations {
  if (!config.REDIS_URL) return new LocalSessionInvalidations();
  return new RedisSessionInvalidations({
    url: config.REDIS_URL,
    channel: `${config.CACHE_KEY_PREFIX}session-changed`,
    logger,
    retryForMs: renewEveryMs,
  });
}

function cacheFor(config: Config, logger: Logger, now: () => number): Cache {
  if (!config.REDIS_URL) return new MemoryCache({ now });
  return new RedisCache({ url: config.REDIS_URL, keyPrefix: config.CACHE_KEY_PREFIX, logger });
}

export function createPlatform(o: PlatformOptions): Platform {
  const { config, logger, backends } = o;
  const now = o.now ?? Date.now;
  const leaseMs = config.LEASE_SECONDS * 1000;
  const metrics = new PlatformMetrics();
  // A lease renewal stands for a quarter of the lease (the reaper's pass is as often).
  const renewEveryMs = leaseMs / 4;
  const invalidations = invalidationsFor(config, logger, renewEveryMs);
  // Every session write, on any node, drops the session's entry from every node's cache.
  const players = new PlayerRepository(backends.dynamo, config.PLAYERS_TABLE, {
    onSessionChange: (username) => invalidations.publish(username),
  });
  const sessions = config.SESSION_CACHE
    ? new SessionCache({ invalidations, renewEveryMs, now })
    : undefined;
  // Rate limits are shared by every node that shares a Redis.
  const limitStores = config.REDIS_URL
    ? redisLimitStores({ url: config.REDIS_URL, keyPrefix: config.CACHE_KEY_PREFIX, logger })
    : memoryLimitStores();
  // Every way a session ends (logout, kick, lease expiry) cancels its waiting ticket. Bound late:
  // the signalling service is built below, and only on nodes that host matches.
  const onSessionEnd = (username: string): Promise<boolean> =>
    realtime ? realtime.signalling.cancelWaiting(username) : Promise.resolve(false);
  const auth = new AuthService({
    idp: backends.idp,
    verifier: rememberVerified(backends.verifier, { now }),
    players,
    leaseMs,
    mergeLoginErrors: config.AUTH_MERGE_LOGIN_ERRORS,
    now,
    logger,
    onSessionEnd,
    ...(sessions ? { sessions } : {}),
    onSessionCheck: (served) => metrics.sessionChecks.inc({ served }),
    requestLimit: userRequestLimit({
      perMinute: config.RATE_LIMIT_AUTHED_PER_MINUTE,
      store: limitStores.storeFor('authed-user'),
      logger,
    }),
  });
  // A quarter of the lease: an abandoned session reads inactive at most 1.25 leases after its last call.
  const reaper = startReaper(players, {
    intervalMs: Math.max(1000, leaseMs / 4),
    now,
    logger,
    onSessionEnd,
  });
  const cache = new ResilientCache(cacheFor(config, logger, now), {
    logger,
    observer: metrics.cacheObserver,
  });
  const views = new VersionedCache(cache, {
    ttlMs: config.CACHE_TTL_SECONDS * 1000,
    settleMs: INDEX_SETTLE_MS,
  });
  const leaderboard = new LeaderboardService({
    repo: new LeaderboardRepository(backends.dynamo, config.PLAYERS_TABLE),
    cache: views,
    logger,
  });
  // Only nodes that host matches produce (and, locally, consume) results.
  const results = o.host
    ? createResults({
        config,
        dynamo: backends.dynamo,
        players,
        logger,
        onPlayerUpdated: (item) => leaderboard.playerUpdated(item),
        ...(o.resultEvents ? { events: o.resultEvents } : {}),
      })
    : undefined;
  // Bound late: placement needs the cluster, whose handlers need the signalling service.
  const cluster = o.host
    ? createCluster({
        config,
        logger,
        rooms: o.host,
        ...(o.nodeId ? { nodeId: o.nodeId } : {}),
        udpPort: o.udpPort ?? nodeUdpPort(config),
        cancelWaiting: (username) => onSessionEnd(username),
        // The players of a process that died: nobody will say their match ended.
        releasePlayers: async (gone) => {
          const players = gone as unknown as MatchEndedEvent['players'];
          await realtime?.signalling.matchEnded({ players });
        },
      })
    : undefined;
  const realtime =
    o.host && results
      ? createRealtime({
          config,
          logger,
          host: o.host,
          ...(cluster ? { matchHost: cluster.matchHost, nodeId: cluster.nodeId } : {}),
          players,
          results,
          now,
        })
      : undefined;
  if (o.host && realtime) {
    metrics.observeQueue(realtime.signalling);
    metrics.observeRooms(o.host, logger);
  }
  const admin = new AdminService({
    directory: new AdminRepository(backends.dynamo, config.PLAYERS_TABLE),
    players,
    idp: backends.idp,
    ...(o.host ? { rooms: o.host } : {}),
    ...(cluster ? { cluster: cluster.admin } : {}),
    ...(realtime
      ? {
          cancelWaiting: onSessionEnd,
          queueLength: () => realtime.signalling.queueLength(),
        }
      : {}),
    logger,
    now,
  });
  // Ready only while a room worker answers: the load balancer then sends players elsewhere.
  const rooms = o.host;
  const app = createApp({
    config,
    logger,
    auth,
    probes: [
      { name: 'cognito', check: () => backends.idp.ping() },
      { name: 'dynamodb', check: () => players.ping() },
      ...(rooms ? [{ name: 'rooms', check: () => rooms.checkReady() }] : []),
    ],
    ...(o.webRoot ? { webRoot: o.webRoot } : {}),
    ...(realtime ? { signalling: realtime.signalling } : {}),
    leaderboard,
    profiles: new ProfileService({ players, cache: views }),
    admin: {
      service: admin,
      matches: o.host !== undefined,
      ...(results?.deadLetters ? { deadLetters: results.deadLetters } : {}),
    },
    metrics,
    limitStores,
  });
  return {
    app,
    auth,
    players,
    leaderboard,
    metrics,
    reaper,
    ...(realtime ? { realtime } : {}),
    ...(results ? { results } : {}),
    ...(cluster ? { cluster } : {}),
    close: async () => {
      reaper.stop();
      await cluster?.close();
      await realtime?.close();
      await results?.close();
      views.close();
      await cache.close();
      await limitStores.close();
      await invalidations.close();
    },
  };
}

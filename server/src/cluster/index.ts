// One server process as a member of the platform: its id, the registry entry it heartbeats,
// the bus it answers on, match placement across processes, and the admin operations that
// reach every process. With REDIS_URL these go through Redis; without, the platform is this
// process and the same code runs over the in-process bus and registry.
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { z } from 'zod';
import {
  localMatches,
  type ClusterAdmin,
  type MatchControl,
  type MatchView,
} from '../admin/service.js';
import type { Config } from '../config.js';
import type { MatchPlayer } from '../match/worker-protocol.js';
import type { MatchHost } from '../signalling/service.js';
import { LocalBus, RedisBus, type Bus } from './bus.js';
import { ClusterMatchHost, servePlacement } from './placement.js';
import { LocalRegistry, RedisRegistry, type NodeLoad, type NodeRegistry } from './registry.js';

export type { NodeEntry, NodeRegistry } from './registry.js';

const BROADCAST_TIMEOUT_MS = 2_000;

let made = 0;
/** `${hostname}-${pid}`; a second process-member in one process (tests) gets a suffix. */
export function newNodeId(): string {
  made += 1;
  return made === 1 ? `${hostname()}-${process.pid}` : `${hostname()}-${process.pid}-${made}`;
}

/** The UDP port of this process: RTC_UDP_PORT + its cluster index. */
export const nodeUdpPort = (config: Config): number =>
  config.RTC_UDP_PORT + (config.NODE_INDEX ?? 0);

export interface Cluster {
  readonly nodeId: string;
  readonly bus: Bus;
  readonly registry: NodeRegistry;
  /** Placement: what signalling asks to answer a new pair's offers. */
  readonly matchHost: MatchHost;
  readonly admin: ClusterAdmin;
  /** Resolves once this process is registered and answers on the bus. */
  readonly ready: Promise<void>;
  /** SIGUSR2 / lifecycle hook: no new matches here; current ones finish. */
  drain(): Promise<void>;
  /** Server stop, first step: nobody places a match here any more. */
  leave(): Promise<void>;
  close(): Promise<void>;
}

export interface ClusterOptions {
  config: Config;
  logger: Logger;
  /** This process's rooms. */
  rooms: MatchControl &
    MatchHost & { load(): Promise<{ matches: number; players: number; tickLagP99Ms: number }> };
  nodeId?: string;
  udpPort: number;
  /** Cancels a player's waiting ticket, wherever it was queued. */
  cancelWaiting: (username: string) => Promise<boolean>;
  /** A dead process's players: their match is gone; they may queue again. */
  releasePlayers: (players: readonly MatchPlayer[]) => Promise<void>;
}

const usernameBody = z.object({ username: z.string().min(1).max(64) });
const matchBody = z.object({ matchId: z.string().min(1).max(200) });

export function createCluster(o: ClusterOptions): Cluster {
  const { config, logger, rooms } = o;
  const nodeId = o.nodeId ?? newNodeId();
  const load = async (): Promise<NodeLoad> => {
    const now = await rooms.load();
    return {
      matches: now.matches,
      players: now.players,
      tickLagP99Ms: now.tickLagP99Ms,
      hosted: rooms.liveMatches().flatMap((m) => m.players),
    };
  };
  const registryOptions = {
    nodeId,
    udpPort: o.udpPort,
    ...(config.PUBLIC_IP ? { host: config.PUBLIC_IP } : {}),
    index: config.NODE_INDEX ?? null,
    load,
    logger,
    onNodeLost: (_id: string, players: readonly MatchPlayer[]) => o.releasePlayers(players),
  };
  let bus: Bus;
  let registry: NodeRegistry;
  let ready: Promise<void>;
  if (config.REDIS_URL) {
    const redisBus = new RedisBus({
      url: config.REDIS_URL,
      prefix: config.CACHE_KEY_PREFIX,
      nodeId,
      logger,
    });
    const redisRegistry = new RedisRegistry({
      ...registryOptions,
      url: config.REDIS_URL,
      prefix: config.CACHE_KEY_PREFIX,
    });
    bus = redisBus;
    registry = redisRegistry;
    // Registered only once it answers on the bus: a listed process can always be asked.
    ready = redisBus.ready.then(() => redisRegistry.start());
  } else {
    bus = new LocalBus(nodeId);
    registry = new LocalRegistry(registryOptions);
    ready = Promise.resolve();
  }
  ready.catch((err: unknown) => logger.error({ err }, 'cluster: could not join'));

  servePlacement(bus, registry, rooms);
  bus.handle('admin.matches', () => localMatches(rooms, nodeId));
  bus.handle('admin.end', async (p) => rooms.endMatch(matchBody.parse(p).matchId));
  bus.handle('admin.matchOf', async (p) => rooms.matchOf(usernameBody.parse(p).username) ?? null);
  bus.handle('admin.cancelWaiting', async (p) => o.cancelWaiting(usernameBody.parse(p).username));
  bus.handle('admin.endPlayer', async (p) => {
    const matchId = rooms.matchOf(usernameBody.parse(p).username);
    return matchId !== undefined && (await rooms.endMatch(matchId)) ? matchId : null;
  });

  /** Asks every live process; one that fails to answer is logged and left out. */
  const broadcast = async (kind: string, payload: unknown): Promise<unknown[]> => {
    const nodes = await registry.live();
    const ids = nodes.some((n) => n.nodeId === nodeId)
      ? nodes.map((n) => n.nodeId)
      : [nodeId, ...nodes.map((n) => n.nodeId)];
    const replies = await Promise.allSettled(
      ids.map((id) => bus.request(id, kind, payload, BROADCAST_TIMEOUT_MS)),
    );
    return replies.flatMap((r, i) => {
      if (r.status === 'fulfilled') return [r.value];
      logger.warn({ err: r.reason, node: ids[i], kind }, 'cluster: a process did not answer');
      return [];
    });
  };
  const firstString = (values: unknown[]) => values.find((v): v is string => typeof v === 'string');

  const admin: ClusterAdmin = {
    nodes: () => registry.live(),
    matches: async () => (await broadcast('admin.matches', null)).flat() as MatchView[],
    endMatch: async (matchId) => (await broadcast('admin.end', { matchId })).includes(true),
    matchOf: async (username) => firstString(await broadcast('admin.matchOf', { username })),
    endMatchOf: async (username) =>
      firstString(await broadcast('admin.endPlayer', { username })) ?? null,
    // The tickets live where every process reaches them (Redis, or this process alone).
    cancelWaiting: (username) => o.cancelWaiting(username),
  };

  return {
    nodeId,
    bus,
    registry,
    matchHost: new ClusterMatchHost({ bus, registry, local: rooms, logger }),
    admin,
    ready,
    drain: async () => {
      await registry.setDraining(true);
      logger.info({ nodeId }, 'draining: no new matches here; current ones finish');
    },
    leave: () => registry.leave(),
    close: async () => {
      await registry.close();
      await bus.close();
    },
  };
}

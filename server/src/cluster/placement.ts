// Where a new pair plays: the least-loaded live process that is not draining. The process that
// made the pair asks the host over the bus to answer both offers (a local call when it is the
// host). The answers carry the host's UDP port and PUBLIC_IP, so the players reach it directly.
import type { Logger } from 'pino';
import { z } from 'zod';
import { RoomError } from '../match/worker-protocol.js';
import type { MatchHost } from '../signalling/service.js';
import { BusError, type Bus } from './bus.js';
import type { NodeEntry, NodeRegistry } from './registry.js';

export const CREATE_MATCH = 'match.create';
export const REJOIN_MATCH = 'match.rejoin';
/** Longer than a room worker's own ICE gathering bound, shorter than a client's patience. */
export const PLACEMENT_TIMEOUT_MS = 12_000;
// A placement counts on its host until the host's own heartbeats include it.
const RECENT_MS = 2_000;
/** Candidates tried when a host refuses (draining, no worker) or cannot be reached. */
const ATTEMPTS = 2;

export type CreateMatchRequest = Parameters<MatchHost['createMatch']>[0];

const id = z.string().min(1).max(200);
const offerSdp = z
  .string()
  .min(1)
  .max(64 * 1024);
const offerPlayer = z.object({ userId: id, username: id, offerSdp });
export const createMatchSchema = z.object({
  matchId: id,
  players: z.tuple([offerPlayer, offerPlayer]),
});
const answersSchema = z.object({ answers: z.tuple([z.string(), z.string()]) });
export const rejoinSchema = z.object({ matchId: id, userId: id, offerSdp });
const answerSchema = z.object({ answer: z.string() });
export type RejoinRequest = z.infer<typeof rejoinSchema>;

/** Serves this process's share of placement: answer offers here unless draining. */
export function servePlacement(bus: Bus, registry: NodeRegistry, local: MatchHost): void {
  bus.handle(CREATE_MATCH, async (payload) => {
    if (registry.draining()) throw new RoomError('no_capacity', `${bus.nodeId} is draining`);
    return local.createMatch(createMatchSchema.parse(payload));
  });
  // A draining process still finishes its matches, rejoins included.
  bus.handle(REJOIN_MATCH, async (payload) => local.rejoinMatch(rejoinSchema.parse(payload)));
}

export class ClusterMatchHost implements MatchHost {
  private readonly recent: { nodeId: string; at: number }[] = [];

  constructor(
    private readonly d: {
      bus: Bus;
      registry: NodeRegistry;
      local: MatchHost;
      logger: Logger;
      timeoutMs?: number;
      now?: () => number;
      random?: () => number;
    },
  ) {}

  async createMatch(req: CreateMatchRequest): Promise<{ answers: [string, string] }> {
    const nodes = await this.d.registry.live();
    // This process knows it is alive even when its last beat was late (a loaded machine).
    if (!nodes.some((n) => n.nodeId === this.d.bus.nodeId)) {
      const self = await this.d.registry.self();
      if (self) nodes.push(self);
    }
    const candidates = this.rank(nodes);
    if (candidates.length === 0) throw new RoomError('no_capacity', 'no live node takes matches');
    let last: unknown;
    for (const node of candidates.slice(0, ATTEMPTS)) {
      this.placed(node.nodeId);
      try {
        if (node.nodeId === this.d.bus.nodeId) return await this.d.local.createMatch(req);
        const reply = await this.d.bus.request(
          node.nodeId,
          CREATE_MATCH,
          req,
          this.d.timeoutMs ?? PLACEMENT_TIMEOUT_MS,
        );
        return answersSchema.parse(reply);
      } catch (err) {
        last = err;
        // A refused offer is the player's, and a timed-out host may still be answering.
        const retry =
          (err instanceof RoomError && err.code === 'no_capacity') ||
          (err instanceof BusError && err.code === 'unreachable');
        this.d.logger.warn({ err, host: node.nodeId, matchId: req.matchId }, 'placement failed');
        if (!retry) break;
      }
    }
    if (last instanceof RoomError) throw last;
    throw new RoomError(
      'timeout',
      last instanceof Error ? last.message : 'no host answered the match offers',
    );
  }

  /**
   * The match may run on any process: this one first, then every other live one at once. Only
   * the host of the match has the seat; the others answer no_seat without touching the offer.
   */
  async rejoinMatch(req: RejoinRequest): Promise<{ answer: string }> {
    try {
      return await this.d.local.rejoinMatch(req);
    } catch (err) {
      if (!(err instanceof RoomError && err.code === 'no_seat')) throw err;
    }
    const others = (await this.d.registry.live()).filter((n) => n.nodeId !== this.d.bus.nodeId);
    const timeoutMs = this.d.timeoutMs ?? PLACEMENT_TIMEOUT_MS;
    const replies = await Promise.allSettled(
      others.map(async (n) =>
        answerSchema.parse(await this.d.bus.request(n.nodeId, REJOIN_MATCH, req, timeoutMs)),
      ),
    );
    const answered = replies.find((r) => r.status === 'fulfilled');
    if (answered?.status === 'fulfilled') return answered.value;
    const failure = replies.find(
      (r): r is PromiseRejectedResult =>
        r.status === 'rejected' && !(r.reason instanceof RoomError && r.reason.code === 'no_seat'),
    );
    if (failure) throw failure.reason;
    throw new RoomError('no_seat', `no process has a seat of ${req.userId} in ${req.matchId}`);
  }

  /** Live, not draining, least loaded first (ties broken at random, to spread a burst). */
  private rank(nodes: readonly NodeEntry[]): NodeEntry[] {
    const now = (this.d.now ?? Date.now)();
    while (this.recent.length > 0 && now - (this.recent[0]?.at ?? now) > RECENT_MS)
      this.recent.shift();
    const random = this.d.random ?? Math.random;
    const load = (n: NodeEntry) =>
      n.matches + this.recent.filter((r) => r.nodeId === n.nodeId).length;
    return (
      nodes
        .filter((n) => !n.draining)
        // Tick lag in 5 ms steps: a busier CPU counts, scheduling noise does not.
        .map((n) => ({ n, load: load(n), lag: Math.round(n.tickLagP99Ms / 5), tie: random() }))
        .sort((a, b) => a.load - b.load || a.lag - b.lag || a.tie - b.tie)
        .map((x) => x.n)
    );
  }

  private placed(nodeId: string): void {
    this.recent.push({ nodeId, at: (this.d.now ?? Date.now)() });
  }
}

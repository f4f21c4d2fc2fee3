// Matchmaking through Redis, in the bench runner's process against the real local Redis
// (127.0.0.1:6379, a key prefix of this run's own, removed after): several RedisMatchmaker
// instances stand for nodes. Throughput: tickets enqueued (and pairs made) per second with a
// bounded number in flight, as many HTTP requests at once would. Latency: a pair whose two
// tickets were queued on different nodes, from the second enqueue's call until the first
// ticket's stream, listening on the first node, hears `matched` (pairing + the pub/sub hop).
import { pino } from 'pino';
import { newTicketId, type Ticket } from '../../server/src/matchmaking/matchmaker.js';
import { RedisMatchmaker } from '../../server/src/matchmaking/redis.js';
import { RedisTicketStore } from '../../server/src/signalling/redis-ticket-store.js';
import { clearPrefix, redisAnswers, SHARED_REDIS_URL, uniquePrefix } from '../support/redis.js';
import { round, summarize, type Summary } from './stats.js';

const logger = pino({ level: 'silent' });

export interface RedisMatchmakingFigures {
  nodes: number;
  inFlight: number;
  tickets: number;
  pairs: number;
  ticketsPerSecond: number;
  pairsPerSecond: number;
  /** Cross-node pair to the first ticket's stream hearing `matched` (ms). */
  crossNodeMatchMs: Summary;
  where: string;
}

const ticket = (i: number, run: string): Ticket => ({
  ticketId: newTicketId(),
  userId: `${run}-u${i}`,
  username: `${run}u${i}`,
  offerSdp: 'v=0',
  enqueuedAt: 0,
});

export async function redisMatchmakingBench(o: {
  tickets: number;
  nodes: number;
  inFlight: number;
  latencyPairs: number;
}): Promise<RedisMatchmakingFigures | { skipped: string }> {
  if (!(await redisAnswers(SHARED_REDIS_URL)))
    return { skipped: `no Redis at ${SHARED_REDIS_URL}` };
  const keyPrefix = uniquePrefix();
  const now = () => performance.now();
  const nodes = Array.from(
    { length: o.nodes },
    (_, i) =>
      new RedisMatchmaker({ url: SHARED_REDIS_URL, keyPrefix, nodeId: `n${i}`, logger, now }),
  );
  const stores = nodes.map(
    () => new RedisTicketStore({ url: SHARED_REDIS_URL, keyPrefix, logger }),
  );
  try {
    let pairs = 0;
    for (const mm of nodes) mm.onMatched(() => void pairs++);
    // Warm-up: connections up, scripts loaded.
    for (let i = 0; i < 200; i++) await nodes[i % o.nodes]!.enqueue(ticket(i, 'w'));
    pairs = 0;

    const all = Array.from({ length: o.tickets }, (_, i) => ticket(i, 't'));
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: o.inFlight }, async (_, lane) => {
        for (let i = next++; i < all.length; i = next++)
          await nodes[(lane + i) % o.nodes]!.enqueue(all[i]!);
      }),
    );
    const sec = (performance.now() - t0) / 1000;
    const made = pairs;

    const samples: number[] = [];
    for (let i = 0; i < o.latencyPairs; i++) {
      const [a, b] = [ticket(i, 'la'), ticket(i, 'lb')];
      const [nodeA, nodeB] = [i % o.nodes, (i + 1) % o.nodes];
      const rec = { ownerId: a.userId, username: a.username };
      await stores[nodeA]!.create(a.ticketId, {
        ...rec,
        last: { type: 'waiting', ticketId: a.ticketId, waitingSince: 0 },
      });
      await nodes[nodeA]!.enqueue(a);
      const heard = new Promise<number>((resolve) =>
        stores[nodeA]!.listen(a.ticketId, () => resolve(performance.now())),
      );
      // The pairing node settles the first ticket, as SignallingService does once answered.
      const off = nodes[nodeB]!.onMatched((p) => {
        const first = p.tickets[0];
        stores[nodeB]!.settle(first.ticketId, {
          type: 'matched',
          ticketId: first.ticketId,
          matchId: 'bench',
          opponent: p.tickets[1].username,
          answer: 'v=0',
        }).catch(() => undefined);
      });
      const start = performance.now();
      await nodes[nodeB]!.enqueue(b);
      samples.push((await heard) - start);
      off();
    }
    return {
      nodes: o.nodes,
      inFlight: o.inFlight,
      tickets: o.tickets,
      pairs: made,
      ticketsPerSecond: round(o.tickets / sec, 0),
      pairsPerSecond: round(made / sec, 0),
      crossNodeMatchMs: summarize(samples),
      where: `bench runner, in-process: ${o.nodes} RedisMatchmaker instances against the local Redis`,
    };
  } finally {
    await Promise.all([...nodes, ...stores].map((x) => x.close()));
    await clearPrefix(SHARED_REDIS_URL, keyPrefix);
  }
}

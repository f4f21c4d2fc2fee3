// The one contract every Matchmaker keeps, run against the in-memory one (unit tier, clock by
// hand) and the Redis one (integration tier, real Redis with a per-run prefix). A harness may
// offer several nodes sharing one queue; the cross-node cases run only when it does.
import { describe, expect, it } from 'vitest';
import {
  newTicketId,
  type MatchedPair,
  type Matchmaker,
  type Ticket,
} from '../../server/src/matchmaking/matchmaker.js';
import { waitFor } from './wait.js';

export interface ContractHarness {
  /** A fresh, empty matchmaking world; `nodes` matchmakers sharing it (where supported). */
  world(o: { now: () => number; nodes?: number }): Promise<{
    nodes: Matchmaker[];
    /** Stops a node as if its process died: no cancel, no more refreshes. */
    kill?: (node: Matchmaker) => Promise<void>;
    close: () => Promise<void>;
  }>;
  /** How many nodes one world may hold (1 for a single-process matchmaker). */
  maxNodes: number;
  /** A waiting ticket's TTL past its node's last refresh (multi-node harnesses). */
  ticketTtlMs: number;
}

export function matchmakerContract(name: string, harness: ContractHarness): void {
  async function setup(nodeCount = 1) {
    let clock = 1_000;
    const w = await harness.world({ now: () => clock, nodes: nodeCount });
    const pairs: MatchedPair[] = [];
    const pairsByNode = w.nodes.map(() => [] as MatchedPair[]);
    w.nodes.forEach((mm, i) =>
      mm.onMatched((p) => {
        pairs.push(p);
        pairsByNode[i]?.push(p);
      }),
    );
    const ticket = (user: string): Ticket => ({
      ticketId: newTicketId(),
      userId: `id-${user}`,
      username: user,
      offerSdp: `offer-${user}`,
      enqueuedAt: clock,
    });
    const advance = (ms: number) => (clock += ms);
    const ids = (pair: MatchedPair | undefined) => pair?.tickets.map((t) => t.username);
    const mm = w.nodes[0]!;
    return { ...w, mm, pairs, pairsByNode, ticket, advance, ids };
  }

  describe(`${name}: the Matchmaker contract`, () => {
    it('pairs two players in arrival order, within enqueue', async () => {
      const { mm, pairs, ticket, advance, ids, close } = await setup();
      const a = ticket('alice');
      expect(await mm.enqueue(a)).toEqual({ ok: true });
      expect(pairs).toHaveLength(0);
      expect(await mm.queueLength()).toBe(1);
      advance(250);
      await mm.enqueue(ticket('bob'));
      expect(pairs).toHaveLength(1);
      expect(ids(pairs[0])).toEqual(['alice', 'bob']);
      expect(pairs[0]?.matchedAt).toBe(1_250);
      expect(pairs[0] && pairs[0].matchedAt - a.enqueuedAt).toBe(250);
      expect(pairs[0]?.tickets[0]).toEqual(a);
      expect(await mm.queueLength()).toBe(0);
      await close();
    });

    it('keeps a third player waiting for a fourth', async () => {
      const { mm, pairs, ticket, ids, close } = await setup();
      for (const n of ['a', 'b', 'c']) await mm.enqueue(ticket(n));
      expect(pairs).toHaveLength(1);
      expect(await mm.queueLength()).toBe(1);
      await mm.enqueue(ticket('d'));
      expect(pairs.map(ids)).toEqual([
        ['a', 'b'],
        ['c', 'd'],
      ]);
      await close();
    });

    it('allows one live ticket per user, queued or in a match, until release', async () => {
      const { mm, ticket, close } = await setup();
      await mm.enqueue(ticket('a'));
      expect(await mm.enqueue(ticket('a'))).toEqual({ ok: false, error: 'already_queued' });
      await mm.enqueue(ticket('b'));
      expect(await mm.enqueue(ticket('a'))).toEqual({ ok: false, error: 'already_queued' });
      await mm.release('id-a');
      expect(await mm.enqueue(ticket('a'))).toEqual({ ok: true });
      expect(await mm.enqueue(ticket('b'))).toEqual({ ok: false, error: 'already_queued' });
      await close();
    });

    it('refuses a ticket id that is already in use', async () => {
      const { mm, ticket, close } = await setup();
      const a = ticket('a');
      await mm.enqueue(a);
      expect(await mm.enqueue({ ...ticket('b'), ticketId: a.ticketId })).toEqual({
        ok: false,
        error: 'duplicate_ticket',
      });
      await close();
    });

    it('cancel removes only the owner’s queued ticket, and it is never paired', async () => {
      const { mm, pairs, ticket, ids, close } = await setup();
      const a = ticket('a');
      await mm.enqueue(a);
      expect(await mm.cancel(a.ticketId, 'id-mallory')).toBe(false);
      expect(await mm.cancel(newTicketId(), 'id-a')).toBe(false);
      expect(await mm.cancel(a.ticketId, 'id-a')).toBe(true);
      expect(await mm.cancel(a.ticketId, 'id-a')).toBe(false);
      expect(await mm.get(a.ticketId)).toBeUndefined();
      expect(await mm.queueLength()).toBe(0);
      await mm.enqueue(ticket('b'));
      await mm.enqueue(ticket('c'));
      expect(pairs.map(ids)).toEqual([['b', 'c']]);
      expect(await mm.enqueue(ticket('a'))).toEqual({ ok: true });
      await close();
    });

    it('a matched ticket cannot be cancelled', async () => {
      const { mm, ticket, close } = await setup();
      const a = ticket('a');
      await mm.enqueue(a);
      await mm.enqueue(ticket('b'));
      expect(await mm.cancel(a.ticketId, 'id-a')).toBe(false);
      await close();
    });

    it('get reports queued, then matched with the pair, then nothing after release', async () => {
      const { mm, ticket, close } = await setup();
      const a = ticket('a');
      await mm.enqueue(a);
      expect(await mm.get(a.ticketId)).toEqual({ state: 'queued', ticket: a });
      const b = ticket('b');
      await mm.enqueue(b);
      expect(await mm.get(a.ticketId)).toMatchObject({
        state: 'matched',
        pair: { tickets: [a, b] },
      });
      await mm.release('id-a');
      expect(await mm.get(a.ticketId)).toBeUndefined();
      expect(await mm.get(b.ticketId)).toMatchObject({ state: 'matched' });
      await close();
    });

    it('release does not remove a queued ticket', async () => {
      const { mm, ticket, close } = await setup();
      await mm.enqueue(ticket('a'));
      await mm.release('id-a');
      expect(await mm.queueLength()).toBe(1);
      expect(await mm.enqueue(ticket('a'))).toEqual({ ok: false, error: 'already_queued' });
      await close();
    });

    it('unsubscribed listeners hear nothing; a throwing listener rejects enqueue after pairing', async () => {
      const { mm, pairs, ticket, close } = await setup();
      let heard = 0;
      const off = mm.onMatched(() => heard++);
      off();
      mm.onMatched(() => {
        throw new Error('listener bug');
      });
      await mm.enqueue(ticket('a'));
      await expect(mm.enqueue(ticket('b'))).rejects.toThrow('listener bug');
      expect(heard).toBe(0);
      expect(pairs).toHaveLength(1);
      expect(await mm.queueLength()).toBe(0);
      await close();
    });
  });

  describe.skipIf(harness.maxNodes < 3)(`${name}: across nodes`, () => {
    it('a pair is made by, and announced on, the node whose enqueue completed it', async () => {
      const { nodes, pairsByNode, ticket, ids, close } = await setup(3);
      await nodes[0]!.enqueue(ticket('a'));
      await nodes[1]!.enqueue(ticket('b'));
      expect(pairsByNode.map((p) => p.map(ids))).toEqual([[], [['a', 'b']], []]);
      await nodes[2]!.enqueue(ticket('c'));
      await nodes[0]!.enqueue(ticket('d'));
      expect(pairsByNode.map((p) => p.map(ids))).toEqual([[['c', 'd']], [['a', 'b']], []]);
      await close();
    });

    it('one live ticket per user across nodes; cancel and release work from any node', async () => {
      const { nodes, pairs, ticket, close } = await setup(3);
      const a = ticket('a');
      await nodes[0]!.enqueue(a);
      expect(await nodes[1]!.enqueue(ticket('a'))).toEqual({ ok: false, error: 'already_queued' });
      expect(await nodes[2]!.get(a.ticketId)).toEqual({ state: 'queued', ticket: a });
      expect(await nodes[2]!.cancel(a.ticketId, 'id-a')).toBe(true);
      expect(await nodes[1]!.enqueue(ticket('a'))).toEqual({ ok: true });
      await nodes[0]!.enqueue(ticket('b'));
      expect(pairs).toHaveLength(1);
      await nodes[2]!.release('id-a');
      expect(await nodes[0]!.enqueue(ticket('a'))).toEqual({ ok: true });
      await close();
    });

    it('many concurrent enqueues on several nodes pair everyone exactly once', async () => {
      const { nodes, pairs, ticket, close } = await setup(4);
      const players = 400;
      const tickets = Array.from({ length: players }, (_, i) => ticket(`p${i}`));
      // Each user also tries a second ticket at once from another node: exactly one may live.
      const attempts = tickets.flatMap((t, i) => [
        nodes[i % nodes.length]!.enqueue(t),
        nodes[(i + 1) % nodes.length]!.enqueue({ ...t, ticketId: newTicketId() }),
      ]);
      const results = await Promise.all(attempts);
      for (let i = 0; i < players; i++) {
        const mine = [results[2 * i], results[2 * i + 1]];
        expect(mine.filter((r) => r?.ok)).toHaveLength(1);
      }
      expect(pairs).toHaveLength(players / 2);
      const seenUsers = new Set<string>();
      for (const {
        tickets: [x, y],
      } of pairs) {
        expect(x.userId).not.toBe(y.userId);
        for (const t of [x, y]) {
          expect(seenUsers.has(t.userId), `${t.username} paired twice`).toBe(false);
          seenUsers.add(t.userId);
        }
      }
      expect(seenUsers.size).toBe(players);
      expect(await nodes[0]!.queueLength()).toBe(0);
      await close();
    });
  });

  describe.skipIf(harness.maxNodes < 2)(`${name}: a node that dies`, () => {
    it('its waiting ticket expires instead of haunting the queue; a live node’s stays', async () => {
      const { nodes, kill, pairs, ticket, ids, close } = await setup(2);
      const [dying, alive] = [nodes[0]!, nodes[1]!];
      await dying.enqueue(ticket('ghost'));
      await kill?.(dying);
      await waitFor(async () => (await alive.queueLength()) === 0, { what: 'the ghost expires' });
      // A ticket on a live node outlives several TTLs, refreshed by its node. An invariant
      // polled over a bounded span, not a timing.
      await alive.enqueue(ticket('x'));
      const until = performance.now() + 3 * harness.ticketTtlMs;
      while (performance.now() < until) {
        expect(await alive.queueLength()).toBe(1);
        await new Promise((r) => setTimeout(r, 50));
      }
      await alive.enqueue(ticket('y'));
      expect(pairs.map(ids)).toEqual([['x', 'y']]);
      await close();
    });
  });
}

// The contract every TicketStore keeps, run against the in-memory one (unit tier) and the
// Redis one (integration tier, real Redis, several instances as nodes).
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { MatchEvent } from '../../shared/src/net/api-client.js';
import type { TicketStore } from '../../server/src/signalling/ticket-store.js';
import { waitFor } from './wait.js';

export interface TicketStoreHarness {
  /** `nodes` stores sharing one world (where supported), and a way to stop one as if it died. */
  world(nodes: number): Promise<{
    stores: TicketStore[];
    kill?: (store: TicketStore) => Promise<void>;
    close: () => Promise<void>;
  }>;
  maxNodes: number;
}

const waiting = (ticketId: string): MatchEvent => ({ type: 'waiting', ticketId, waitingSince: 1 });

export function ticketStoreContract(name: string, harness: TicketStoreHarness): void {
  const make = (username: string) => {
    const ticketId = randomUUID();
    return { ticketId, rec: { ownerId: `id-${username}`, username, last: waiting(ticketId) } };
  };

  describe(`${name}: the TicketStore contract`, () => {
    it('keeps a record; settles it once, telling its listeners once', async () => {
      const { stores, close } = await harness.world(1);
      const s = stores[0]!;
      const t = make(`u${randomUUID().slice(0, 8)}`);
      await s.create(t.ticketId, t.rec);
      expect(await s.get(t.ticketId)).toEqual(t.rec);
      expect(await s.get(randomUUID())).toBeUndefined();
      const heard: MatchEvent[] = [];
      s.listen(t.ticketId, (e) => heard.push(e));
      expect(s.waitingHere().map((w) => w.ticketId)).toContain(t.ticketId);
      expect(await s.settle(t.ticketId, { type: 'cancelled', ticketId: t.ticketId })).toBe(true);
      const failed: MatchEvent = { type: 'failed', ticketId: t.ticketId, code: 'x', message: 'y' };
      expect(await s.settle(t.ticketId, failed)).toBe(false);
      await waitFor(() => heard.length > 0, { what: 'the settling event' });
      expect(heard).toEqual([{ type: 'cancelled', ticketId: t.ticketId }]);
      expect((await s.get(t.ticketId))?.last).toEqual({ type: 'cancelled', ticketId: t.ticketId });
      expect(s.waitingHere().map((w) => w.ticketId)).not.toContain(t.ticketId);
      await close();
    });

    it('finds a user’s waiting ticket by name; a refused second ticket does not hide it', async () => {
      const { stores, close } = await harness.world(1);
      const s = stores[0]!;
      const username = `u${randomUUID().slice(0, 8)}`;
      const first = make(username);
      await s.create(first.ticketId, first.rec);
      const second = make(username);
      await s.create(second.ticketId, second.rec);
      await s.remove(second.ticketId); // the matchmaker refused it (already_queued)
      expect(await s.get(second.ticketId)).toBeUndefined();
      expect(await s.waitingOf(username)).toEqual({
        ticketId: first.ticketId,
        ownerId: first.rec.ownerId,
        username,
      });
      await s.settle(first.ticketId, { type: 'cancelled', ticketId: first.ticketId });
      expect(await s.waitingOf(username)).toBeUndefined();
      await close();
    });
  });

  describe.skipIf(harness.maxNodes < 2)(`${name}: across nodes`, () => {
    it('a ticket created on one node is found, heard and settled from another', async () => {
      const { stores, close } = await harness.world(2);
      const [a, b] = [stores[0]!, stores[1]!];
      const t = make(`u${randomUUID().slice(0, 8)}`);
      await a.create(t.ticketId, t.rec);
      expect(await b.get(t.ticketId)).toEqual(t.rec);
      expect(await b.waitingOf(t.rec.username)).toMatchObject({ ticketId: t.ticketId });
      const heardOnA: MatchEvent[] = [];
      a.listen(t.ticketId, (e) => heardOnA.push(e));
      const matched: MatchEvent = {
        type: 'matched',
        ticketId: t.ticketId,
        matchId: 'm',
        opponent: 'o',
        answer: 'v=0',
      };
      expect(await b.settle(t.ticketId, matched)).toBe(true);
      await waitFor(() => heardOnA.length > 0, { what: 'the event on the other node' });
      expect(heardOnA).toEqual([matched]);
      expect(b.waitingHere()).toEqual([]);
      await waitFor(() => a.waitingHere().length === 0, { what: 'a forgets the settled ticket' });
      await close();
    });

    it('a waiting ticket whose node died ends its stream on another node with failed', async () => {
      const { stores, kill, close } = await harness.world(2);
      const [dying, alive] = [stores[0]!, stores[1]!];
      const t = make(`u${randomUUID().slice(0, 8)}`);
      await dying.create(t.ticketId, t.rec);
      const heard: MatchEvent[] = [];
      alive.listen(t.ticketId, (e) => heard.push(e));
      await kill?.(dying);
      await waitFor(() => heard.length > 0, { what: 'the lost ticket is told' });
      expect(heard).toEqual([
        expect.objectContaining({
          type: 'failed',
          ticketId: t.ticketId,
          code: 'match_unavailable',
        }),
      ]);
      await close();
    });
  });
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchmakerContract } from '../../../test/support/matchmaker-contract.js';
import { InMemoryMatchmaker } from './in-memory.js';
import { newTicketId, type MatchedPair, type Ticket } from './matchmaker.js';

// The shared contract (the Redis matchmaker runs the same suite in the integration tier).
matchmakerContract('InMemoryMatchmaker', {
  maxNodes: 1,
  ticketTtlMs: 0,
  world: ({ now }) => {
    const mm = new InMemoryMatchmaker({ now });
    return Promise.resolve({ nodes: [mm], close: () => mm.close() });
  },
});

describe('InMemoryMatchmaker', () => {
  it('fires onMatched before enqueue resolves', async () => {
    const mm = new InMemoryMatchmaker({ now: () => 0 });
    const pairs: MatchedPair[] = [];
    mm.onMatched((p) => pairs.push(p));
    const t = (u: string): Ticket => ({
      ticketId: newTicketId(),
      userId: u,
      username: u,
      offerSdp: '',
      enqueuedAt: 0,
    });
    await mm.enqueue(t('a'));
    const pending = mm.enqueue(t('b'));
    expect(pairs).toHaveLength(1);
    await pending;
  });

  it('ticket ids are random UUIDs', () => {
    const ids = new Set(Array.from({ length: 1_000 }, newTicketId));
    expect(ids.size).toBe(1_000);
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

// Many users doing random things: compare with a plain FIFO model after every step.
type Op =
  | { kind: 'enqueue'; user: number }
  | { kind: 'cancel'; user: number; asUser: number }
  | { kind: 'release'; user: number }
  | { kind: 'tick'; ms: number };

const users = 12;
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('enqueue' as const), user: fc.nat(users - 1) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('cancel' as const),
      user: fc.nat(users - 1),
      asUser: fc.nat(users - 1),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('release' as const), user: fc.nat(users - 1) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('tick' as const), ms: fc.nat(5_000) }) },
);

describe('InMemoryMatchmaker (property, many users)', () => {
  it('never pairs anyone twice, with themselves, or after cancelling; pairs FIFO', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 200 }), async (ops) => {
        let clock = 0;
        const mm = new InMemoryMatchmaker({ now: () => clock });
        const pairs: MatchedPair[] = [];
        mm.onMatched((p) => pairs.push(p));
        const model: Ticket[] = []; // queued, oldest first
        const live = new Map<number, Ticket>(); // user → live ticket
        const cancelled = new Set<string>();
        const paired = new Set<string>();
        const expectedPairs: string[][] = [];

        for (const o of ops) {
          if (o.kind === 'tick') clock += o.ms;
          if (o.kind === 'enqueue') {
            const t: Ticket = {
              ticketId: newTicketId(),
              userId: `u${o.user}`,
              username: `u${o.user}`,
              offerSdp: '',
              enqueuedAt: clock,
            };
            const res = await mm.enqueue(t);
            expect(res.ok).toBe(!live.has(o.user));
            if (res.ok) {
              live.set(o.user, t);
              model.push(t);
              if (model.length === 2) expectedPairs.push(model.splice(0, 2).map((x) => x.ticketId));
            }
          }
          if (o.kind === 'cancel') {
            const t = live.get(o.user);
            const queued = t !== undefined && model.includes(t);
            const removed = await mm.cancel(t?.ticketId ?? 'none', `u${o.asUser}`);
            expect(removed).toBe(queued && o.user === o.asUser);
            if (removed && t) {
              cancelled.add(t.ticketId);
              model.splice(model.indexOf(t), 1);
              live.delete(o.user);
            }
          }
          if (o.kind === 'release') {
            await mm.release(`u${o.user}`);
            const t = live.get(o.user);
            if (t && !model.includes(t)) live.delete(o.user);
          }
          expect(await mm.queueLength()).toBe(model.length);
        }

        expect(pairs.map((p) => p.tickets.map((t) => t.ticketId))).toEqual(expectedPairs);
        for (const { tickets } of pairs) {
          expect(tickets[0].userId).not.toBe(tickets[1].userId);
          for (const t of tickets) {
            expect(paired.has(t.ticketId)).toBe(false);
            expect(cancelled.has(t.ticketId)).toBe(false);
            paired.add(t.ticketId);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

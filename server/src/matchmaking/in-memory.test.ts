import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InMemoryMatchmaker } from './in-memory.js';
import { newTicketId, type MatchedPair, type Ticket } from './matchmaker.js';

function setup() {
  let clock = 1_000;
  const mm = new InMemoryMatchmaker({ now: () => clock });
  const pairs: MatchedPair[] = [];
  mm.onMatched((pair) => pairs.push(pair));
  const ticket = (user: string): Ticket => ({
    ticketId: newTicketId(),
    userId: `id-${user}`,
    username: user,
    offerSdp: `offer-${user}`,
    enqueuedAt: clock,
  });
  const advance = (ms: number) => (clock += ms);
  const ids = (pair: MatchedPair | undefined) => pair?.tickets.map((t) => t.username);
  return { mm, pairs, ticket, advance, ids };
}

describe('InMemoryMatchmaker', () => {
  it('pairs two players in arrival order, synchronously within enqueue', async () => {
    const { mm, pairs, ticket, advance, ids } = setup();
    const a = ticket('alice');
    expect(await mm.enqueue(a)).toEqual({ ok: true });
    expect(pairs).toHaveLength(0);
    expect(await mm.queueLength()).toBe(1);
    advance(250);
    await mm.enqueue(ticket('bob'));
    expect(pairs).toHaveLength(1);
    expect(ids(pairs[0])).toEqual(['alice', 'bob']);
    expect(pairs[0]?.matchedAt).toBe(1_250);
    expect(pairs[0] && pairs[0].matchedAt - a.enqueuedAt).toBe(250); // time to match
    expect(await mm.queueLength()).toBe(0);
  });

  it('fires onMatched before enqueue resolves', async () => {
    const { mm, pairs, ticket } = setup();
    await mm.enqueue(ticket('a'));
    const pending = mm.enqueue(ticket('b'));
    expect(pairs).toHaveLength(1);
    await pending;
  });

  it('keeps a third player waiting for a fourth', async () => {
    const { mm, pairs, ticket, ids } = setup();
    for (const name of ['a', 'b', 'c']) await mm.enqueue(ticket(name));
    expect(pairs).toHaveLength(1);
    expect(await mm.queueLength()).toBe(1);
    await mm.enqueue(ticket('d'));
    expect(pairs.map(ids)).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });

  it('allows one live ticket per user, queued or in a match, until release', async () => {
    const { mm, ticket } = setup();
    await mm.enqueue(ticket('a'));
    expect(await mm.enqueue(ticket('a'))).toEqual({ ok: false, error: 'already_queued' });
    await mm.enqueue(ticket('b')); // a and b are now in a match
    expect(await mm.enqueue(ticket('a'))).toEqual({ ok: false, error: 'already_queued' });
    await mm.release('id-a');
    expect(await mm.enqueue(ticket('a'))).toEqual({ ok: true });
    expect(await mm.enqueue(ticket('b'))).toEqual({ ok: false, error: 'already_queued' });
  });

  it('refuses a ticket id that is already in use', async () => {
    const { mm, ticket } = setup();
    const a = ticket('a');
    await mm.enqueue(a);
    expect(await mm.enqueue({ ...ticket('b'), ticketId: a.ticketId })).toEqual({
      ok: false,
      error: 'duplicate_ticket',
    });
  });

  it('cancel removes only the owner’s queued ticket, and it is never paired', async () => {
    const { mm, pairs, ticket, ids } = setup();
    const a = ticket('a');
    await mm.enqueue(a);
    expect(await mm.cancel(a.ticketId, 'id-mallory')).toBe(false);
    expect(await mm.cancel('no-such-ticket', 'id-a')).toBe(false);
    expect(await mm.cancel(a.ticketId, 'id-a')).toBe(true);
    expect(await mm.cancel(a.ticketId, 'id-a')).toBe(false);
    expect(await mm.get(a.ticketId)).toBeUndefined();
    expect(await mm.queueLength()).toBe(0);
    await mm.enqueue(ticket('b'));
    await mm.enqueue(ticket('c'));
    expect(pairs.map(ids)).toEqual([['b', 'c']]);
    expect(await mm.enqueue(ticket('a'))).toEqual({ ok: true }); // free again after cancel
  });

  it('a matched ticket cannot be cancelled', async () => {
    const { mm, ticket } = setup();
    const a = ticket('a');
    await mm.enqueue(a);
    await mm.enqueue(ticket('b'));
    expect(await mm.cancel(a.ticketId, 'id-a')).toBe(false);
  });

  it('get reports queued, then matched with the pair, then nothing after release', async () => {
    const { mm, ticket } = setup();
    const a = ticket('a');
    await mm.enqueue(a);
    expect(await mm.get(a.ticketId)).toEqual({ state: 'queued', ticket: a });
    const b = ticket('b');
    await mm.enqueue(b);
    expect(await mm.get(a.ticketId)).toMatchObject({ state: 'matched', pair: { tickets: [a, b] } });
    await mm.release('id-a');
    expect(await mm.get(a.ticketId)).toBeUndefined();
    expect(await mm.get(b.ticketId)).toMatchObject({ state: 'matched' });
  });

  it('release does not remove a queued ticket', async () => {
    const { mm, ticket } = setup();
    await mm.enqueue(ticket('a'));
    await mm.release('id-a');
    expect(await mm.queueLength()).toBe(1);
    expect(await mm.enqueue(ticket('a'))).toEqual({ ok: false, error: 'already_queued' });
  });

  it('unsubscribed listeners hear nothing; a throwing listener rejects enqueue after pairing', async () => {
    const { mm, pairs, ticket } = setup();
    let heard = 0;
    const off = mm.onMatched(() => heard++);
    off();
    mm.onMatched(() => {
      throw new Error('listener bug');
    });
    await mm.enqueue(ticket('a'));
    await expect(mm.enqueue(ticket('b'))).rejects.toThrow('listener bug');
    expect(heard).toBe(0);
    expect(pairs).toHaveLength(1); // the other listener still ran
    expect(await mm.queueLength()).toBe(0);
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

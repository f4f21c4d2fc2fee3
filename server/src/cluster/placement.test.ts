import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { RoomError } from '../match/worker-protocol.js';
import type { MatchHost } from '../signalling/service.js';
import { BusError, LocalBus, type Bus } from './bus.js';
import {
  ClusterMatchHost,
  CREATE_MATCH,
  REJOIN_MATCH,
  type CreateMatchRequest,
} from './placement.js';
import type { NodeEntry, NodeRegistry } from './registry.js';

const logger = pino({ level: 'silent' });
const request: CreateMatchRequest = {
  matchId: 'm1',
  players: [
    { userId: 'u1', username: 'alice', offerSdp: 'offer-a' },
    { userId: 'u2', username: 'bob', offerSdp: 'offer-b' },
  ],
};

const entry = (nodeId: string, o: Partial<NodeEntry> = {}): NodeEntry => ({
  nodeId,
  host: 'h',
  udpPort: 10000,
  matches: 0,
  players: 0,
  tickLagP99Ms: 0,
  draining: false,
  pid: 1,
  index: 0,
  startedAt: '',
  ...o,
});

function registryOf(nodes: NodeEntry[]): NodeRegistry {
  return {
    nodeId: 'self',
    live: () => Promise.resolve(nodes.filter((n) => n.nodeId !== 'late')),
    self: () => Promise.resolve(nodes.find((n) => n.nodeId === 'self')),
    draining: () => false,
    setDraining: () => Promise.resolve(),
    forget: () => Promise.resolve(),
    leave: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}

/** A bus whose remote processes answer (or fail) as told; records whom it asked. */
function busOf(answers: Record<string, () => Promise<unknown>>, expected = CREATE_MATCH) {
  const asked: string[] = [];
  const bus: Bus = {
    nodeId: 'self',
    handle: () => undefined,
    request: (nodeId, kind) => {
      expect(kind).toBe(expected);
      asked.push(nodeId);
      const answer = answers[nodeId];
      return answer ? answer() : Promise.reject(new BusError('unreachable', nodeId));
    },
    close: () => Promise.resolve(),
  };
  return { bus, asked };
}

const noSeat = () => Promise.reject(new RoomError('no_seat', 'not here'));
const local: MatchHost = {
  createMatch: () => Promise.resolve({ answers: ['local-a', 'local-b'] }),
  rejoinMatch: noSeat,
};
const answered = (tag: string) => () => Promise.resolve({ answers: [`${tag}-a`, `${tag}-b`] });

describe('ClusterMatchHost', () => {
  it('places on the live node with the fewest matches and returns its answers', async () => {
    const { bus, asked } = busOf({ b: answered('b'), c: answered('c') });
    const host = new ClusterMatchHost({
      bus,
      registry: registryOf([
        entry('self', { matches: 3 }),
        entry('b', { matches: 1 }),
        entry('c', { matches: 2 }),
      ]),
      local,
      logger,
    });
    expect(await host.createMatch(request)).toEqual({ answers: ['b-a', 'b-b'] });
    expect(asked).toEqual(['b']);
  });

  it('answers locally, without the bus, when this process is the least loaded', async () => {
    const { bus, asked } = busOf({});
    const host = new ClusterMatchHost({
      bus,
      registry: registryOf([entry('self'), entry('b', { matches: 1 })]),
      local,
      logger,
    });
    expect(await host.createMatch(request)).toEqual({ answers: ['local-a', 'local-b'] });
    expect(asked).toEqual([]);
  });

  it('a process whose own beat is late still counts itself', async () => {
    const { bus, asked } = busOf({ b: answered('b') });
    const registry = registryOf([entry('b', { matches: 3 })]);
    registry.self = () => Promise.resolve(entry('self'));
    const host = new ClusterMatchHost({ bus, registry, local, logger });
    expect(await host.createMatch(request)).toEqual({ answers: ['local-a', 'local-b'] });
    expect(asked).toEqual([]);
  });

  it('never picks a draining node', async () => {
    const { bus, asked } = busOf({ b: answered('b') });
    const host = new ClusterMatchHost({
      bus,
      registry: registryOf([entry('self', { draining: true }), entry('b', { matches: 5 })]),
      local,
      logger,
    });
    expect(await host.createMatch(request)).toEqual({ answers: ['b-a', 'b-b'] });
    expect(asked).toEqual(['b']);
  });

  it('with no live node that takes matches, fails as no_capacity', async () => {
    const { bus } = busOf({});
    const host = new ClusterMatchHost({
      bus,
      registry: registryOf([entry('self', { draining: true })]),
      local,
      logger,
    });
    await expect(host.createMatch(request)).rejects.toMatchObject({ code: 'no_capacity' });
  });

  it('counts its own recent placements, so a burst spreads before heartbeats catch up', async () => {
    const { bus, asked } = busOf({ b: answered('b'), c: answered('c') });
    const host = new ClusterMatchHost({
      bus,
      registry: registryOf([entry('b'), entry('c')]),
      local,
      logger,
      now: () => 0,
    });
    for (let i = 0; i < 4; i++) await host.createMatch({ ...request, matchId: `m${i}` });
    expect(asked.filter((n) => n === 'b')).toHaveLength(2);
    expect(asked.filter((n) => n === 'c')).toHaveLength(2);
  });

  it('a host that refuses (draining since its last heartbeat) or is gone is skipped for the next', async () => {
    const { bus, asked } = busOf({
      b: () => Promise.reject(new RoomError('no_capacity', 'b is draining')),
      c: answered('c'),
    });
    const host = new ClusterMatchHost({
      bus,
      registry: registryOf([entry('b'), entry('c', { matches: 1 })]),
      local,
      logger,
    });
    expect(await host.createMatch(request)).toEqual({ answers: ['c-a', 'c-b'] });
    expect(asked).toEqual(['b', 'c']);
  });

  it('a refused offer is not retried elsewhere: the error reaches signalling as it is', async () => {
    const refused = new RoomError('bad_offer', 'offer refused', [1]);
    const { bus, asked } = busOf({ b: () => Promise.reject(refused), c: answered('c') });
    const host = new ClusterMatchHost({
      bus,
      registry: registryOf([entry('b'), entry('c', { matches: 1 })]),
      local,
      logger,
    });
    await expect(host.createMatch(request)).rejects.toBe(refused);
    expect(asked).toEqual(['b']);
  });

  it('a host that does not answer in time fails the match as a timeout', async () => {
    const { bus } = busOf({ b: () => Promise.reject(new BusError('timeout', 'slow')) });
    const host = new ClusterMatchHost({ bus, registry: registryOf([entry('b')]), local, logger });
    await expect(host.createMatch(request)).rejects.toMatchObject({
      name: 'RoomError',
      code: 'timeout',
    });
  });
});

describe('LocalBus', () => {
  it('serves its own handlers and passes RoomError through as itself', async () => {
    const bus = new LocalBus('self');
    bus.handle('echo', (p) => Promise.resolve(p));
    bus.handle('refuse', () => Promise.reject(new RoomError('bad_offer', 'no', [0])));
    expect(await bus.request('self', 'echo', { a: 1 })).toEqual({ a: 1 });
    const err: unknown = await bus.request('self', 'refuse', null).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RoomError);
    expect(err).toMatchObject({ code: 'bad_offer', badSlots: [0] });
    await expect(bus.request('other', 'echo', null)).rejects.toMatchObject({
      code: 'unreachable',
    });
  });
});

describe('ClusterMatchHost.rejoinMatch', () => {
  const rejoin = { matchId: 'm1', userId: 'u1', offerSdp: 'offer-again' };
  const nodes = [entry('self'), entry('b'), entry('c')];

  it('asks the other live processes when the match is not here; the host answers', async () => {
    const { bus, asked } = busOf(
      { b: noSeat, c: () => Promise.resolve({ answer: 'from-c' }) },
      REJOIN_MATCH,
    );
    const host = new ClusterMatchHost({ bus, registry: registryOf(nodes), local, logger });
    await expect(host.rejoinMatch(rejoin)).resolves.toEqual({ answer: 'from-c' });
    expect(asked.sort()).toEqual(['b', 'c']);
  });

  it('answers here without asking anyone when this process hosts the match', async () => {
    const { bus, asked } = busOf({}, REJOIN_MATCH);
    const here: MatchHost = { ...local, rejoinMatch: () => Promise.resolve({ answer: 'here' }) };
    const host = new ClusterMatchHost({ bus, registry: registryOf(nodes), local: here, logger });
    await expect(host.rejoinMatch(rejoin)).resolves.toEqual({ answer: 'here' });
    expect(asked).toEqual([]);
  });

  it('no_seat when no process has the seat; a host failure is not hidden as no_seat', async () => {
    const none = busOf({ b: noSeat, c: noSeat }, REJOIN_MATCH);
    const host = new ClusterMatchHost({
      bus: none.bus,
      registry: registryOf(nodes),
      local,
      logger,
    });
    await expect(host.rejoinMatch(rejoin)).rejects.toMatchObject({ code: 'no_seat' });
    const failing = busOf(
      { b: noSeat, c: () => Promise.reject(new RoomError('timeout', 'ice')) },
      REJOIN_MATCH,
    );
    const host2 = new ClusterMatchHost({
      bus: failing.bus,
      registry: registryOf(nodes),
      local,
      logger,
    });
    await expect(host2.rejoinMatch(rejoin)).rejects.toMatchObject({ code: 'timeout' });
  });
});

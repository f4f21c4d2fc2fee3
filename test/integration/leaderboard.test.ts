// Leaderboards against the real DynamoDB emulator: the order and its tie-breaks over several
// hundred players, numbered pages that tile exactly, the neighbourhood of a player, and the
// limits on what a request may ask for.
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeaderboardEntry } from '../../server/src/leaderboard/service.js';
import type { Platform } from '../../server/src/platform.js';
import { account } from '../support/accounts.js';
import { startLocalStack, uniqueName, type LocalStack } from '../support/local-stack.js';

let stack: LocalStack;
let platform: Platform;
let app: Parameters<typeof request>[0];
let doc: DynamoDBDocumentClient;

/** Every ranked player this file made, by name: the expected leaderboard is computed from it. */
const ranked = new Map<string, Omit<LeaderboardEntry, 'rank'>>();

function expectedOrder(): Omit<LeaderboardEntry, 'rank'>[] {
  return [...ranked.values()].sort(
    (a, b) =>
      b.wins - a.wins ||
      b.bestScore - a.bestScore ||
      b.timePlayed - a.timePlayed ||
      (a.username < b.username ? -1 : 1),
  );
}

/** Writes a player's stats straight to DynamoDB, as the match-result writer does, and tells the leaderboard. */
async function putPlayer(username: string, wins: number, bestScore: number, timePlayed: number) {
  await doc.send(
    new PutCommand({
      TableName: 'players',
      Item: {
        username,
        active: false,
        createdAt: new Date().toISOString(),
        timePlayed,
        shotsFired: 10,
        hits: 1,
        asteroidsDestroyed: 2,
        wins,
        losses: 1,
        draws: 0,
        matchesPlayed: wins + 1,
        bestScore,
        lastCountedMatch: `m-${username}-${wins}`,
      },
    }),
  );
  await platform.leaderboard.playerUpdated(username);
  ranked.set(username, { username, wins, bestScore, timePlayed });
}

async function allPages(size: number): Promise<LeaderboardEntry[]> {
  const out: LeaderboardEntry[] = [];
  for (let page = 1; ; page++) {
    const res = await request(app).get(`/api/leaderboard?page=${page}&size=${size}`).expect(200);
    expect(res.body).toMatchObject({ page, size });
    expect(res.body.entries.length).toBeLessThanOrEqual(size);
    out.push(...(res.body.entries as LeaderboardEntry[]));
    if (!res.body.hasMore) return out;
    expect(res.body.entries).toHaveLength(size);
  }
}

beforeAll(async () => {
  stack = await startLocalStack();
  platform = stack.platform().platform;
  app = platform.app;
  doc = DynamoDBDocumentClient.from(stack.backends.dynamo);
  // 320 players in a few bands, so that wins, best score and time played all tie often and
  // the later keys (down to the username) must decide.
  const writes: Promise<void>[] = [];
  for (let i = 0; i < 320; i++) {
    const name = `lb${String(i).padStart(3, '0')}${uniqueName('')}`.slice(0, 20);
    writes.push(putPlayer(name, i % 7, (i % 5) * 100, (i % 3) * 60.5));
    if (writes.length === 20) await Promise.all(writes.splice(0));
  }
  await Promise.all(writes);
});
afterAll(() => stack.close());

describe('GET /api/leaderboard', () => {
  it('orders by wins, best score, time played (all desc), then username, with ranks 1..N', async () => {
    const entries = await allPages(10);
    expect(entries).toEqual(expectedOrder().map((e, i) => ({ rank: i + 1, ...e })));
  });

  it('gives the same order whatever the page size, and pages tile without gaps or repeats', async () => {
    const by10 = await allPages(10);
    const by50 = await allPages(50);
    const by7 = await allPages(7);
    expect(by50).toEqual(by10);
    expect(by7).toEqual(by10);
    expect(new Set(by10.map((e) => e.username)).size).toBe(by10.length);
  });

  it('defaults to page 1 of 10 and answers an empty page past the end', async () => {
    const first = await request(app).get('/api/leaderboard').expect(200);
    expect(first.body).toMatchObject({ page: 1, size: 10, hasMore: true });
    expect(first.body.entries).toHaveLength(10);
    const past = await request(app).get('/api/leaderboard?page=900&size=10').expect(200);
    expect(past.body).toEqual({ page: 900, size: 10, entries: [], hasMore: false });
  });

  it.each([
    ['page=0', 'page'],
    ['size=0', 'size'],
    ['size=51', 'size'],
    ['page=abc', 'page'],
    ['page=1.5', 'page'],
    ['page=1001&size=10', 'page'],
  ])('refuses %s with 400 invalid_input naming %s', async (query, field) => {
    const res = await request(app).get(`/api/leaderboard?${query}`).expect(400);
    expect(res.body.error.code).toBe('invalid_input');
    expect(res.body.error.message).toContain(field);
  });

  it('shows only ranked players: one with no result yet is not on it', async () => {
    const fresh = await account(app);
    const entries = await allPages(50);
    expect(entries.map((e) => e.username)).not.toContain(fresh.name);
  });
});

describe('GET /api/leaderboard/around-me', () => {
  it('gives the caller’s rank with up to `radius` neighbours each side', async () => {
    const me = await account(app);
    // Place the caller mid-table.
    await doc.send(
      new UpdateCommand({
        TableName: 'players',
        Key: { username: me.name },
        UpdateExpression: 'SET wins = :w, bestScore = :b, timePlayed = :t',
        ExpressionAttributeValues: { ':w': 3, ':b': 250, ':t': 30 },
      }),
    );
    await platform.leaderboard.playerUpdated(me.name);
    ranked.set(me.name, { username: me.name, wins: 3, bestScore: 250, timePlayed: 30 });
    const order = expectedOrder();
    const at = order.findIndex((e) => e.username === me.name);
    const res = await request(app).get('/api/leaderboard/around-me?radius=2').set(me.auth);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      rank: at + 1,
      entries: order.slice(at - 2, at + 3).map((e, i) => ({ rank: at - 1 + i, ...e })),
    });
  });

  it('has fewer neighbours at the top of the table', async () => {
    const top = await account(app);
    await doc.send(
      new UpdateCommand({
        TableName: 'players',
        Key: { username: top.name },
        UpdateExpression: 'SET wins = :w',
        ExpressionAttributeValues: { ':w': 1000 },
      }),
    );
    await platform.leaderboard.playerUpdated(top.name);
    ranked.set(top.name, { username: top.name, wins: 1000, bestScore: 0, timePlayed: 0 });
    const res = await request(app).get('/api/leaderboard/around-me').set(top.auth).expect(200);
    expect(res.body.rank).toBe(1);
    expect(res.body.entries.map((e: LeaderboardEntry) => e.rank)).toEqual([1, 2, 3, 4]);
  });

  it('answers rank null for a player without a result', async () => {
    const fresh = await account(app);
    const res = await request(app).get('/api/leaderboard/around-me').set(fresh.auth).expect(200);
    expect(res.body).toEqual({ rank: null, entries: [] });
  });

  it('needs a token, and refuses a bad radius', async () => {
    expect((await request(app).get('/api/leaderboard/around-me')).status).toBe(401);
    const me = await account(app);
    const res = await request(app).get('/api/leaderboard/around-me?radius=11').set(me.auth);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_input');
  });
});

describe('playerUpdated', () => {
  it('keeps the rank key in step when stats change, and a stale item cannot roll it back', async () => {
    const name = uniqueName('st');
    await putPlayer(name, 0, 0, 1);
    const stale = (
      await doc.send(
        new UpdateCommand({
          TableName: 'players',
          Key: { username: name },
          UpdateExpression: 'SET bestScore = :b',
          ExpressionAttributeValues: { ':b': 5 },
          ReturnValues: 'ALL_NEW',
        }),
      )
    ).Attributes as Parameters<Platform['leaderboard']['playerUpdated']>[0];
    // Newer stats land before the stale item is handed over.
    await doc.send(
      new UpdateCommand({
        TableName: 'players',
        Key: { username: name },
        UpdateExpression: 'SET wins = :w, lastCountedMatch = :m',
        ExpressionAttributeValues: { ':w': 2000, ':m': 'm-newer' },
      }),
    );
    await platform.leaderboard.playerUpdated(stale);
    ranked.set(name, { username: name, wins: 2000, bestScore: 5, timePlayed: 1 });
    const top = await request(app).get('/api/leaderboard?size=1').expect(200);
    expect(top.body.entries[0]).toEqual({ rank: 1, ...ranked.get(name) });
  });
});

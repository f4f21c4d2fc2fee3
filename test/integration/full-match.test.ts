// Two bots play a whole match to its end on a real server, and the records add up.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { SNAPSHOT_RATE } from '../../shared/src/sim/constants.js';
import { botCli } from '../support/bots.js';
import { uniqueName } from '../support/local-stack.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { waitFor } from '../support/wait.js';

let server: ServerProcess | undefined;
const MATCH_SECONDS = 10;
afterAll(() => server?.stop());

describe('a whole match', () => {
  it('two bots play to the end; time, shots, scores and the result add up in DynamoDB', async () => {
    // A 10-second match: 600 ticks. The bots would play for 60 s; only the server ends it.
    server = await startServer({ MATCH_SECONDS: String(MATCH_SECONDS) });
    const name = uniqueName('full');
    const { code, results, stderr } = await botCli([
      '--url',
      server.url,
      '--username',
      name,
      '--password',
      'bot password',
      '--signup',
      '--count',
      '2',
      '--seconds',
      '60',
      '--json',
    ]);
    expect(code, stderr).toBe(0);
    expect(results.map((r) => r.result)).toEqual(['ended', 'ended']);
    const outcomes = results.map((r) => r.outcome).sort();
    expect([
      ['loss', 'win'],
      ['draw', 'draw'],
    ]).toContainEqual(outcomes);
    const matchId = results[0]?.matchId ?? '';
    expect(results[1]?.matchId).toBe(matchId);
    // The time limit counts ticks, not seconds: a snapshot every 2nd tick, so no client can
    // have seen more than the limit's worth, give or take one at each edge (60 s of play
    // would have brought ~1,800). The length in ticks is unit-tested in room.test.ts.
    for (const r of results) {
      expect(r.snapshots).toBeGreaterThan(0);
      expect(r.snapshots).toBeLessThanOrEqual(MATCH_SECONDS * SNAPSHOT_RATE + 2);
    }

    const client = new DynamoDBClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${server.env.LOCAL_DYNAMODB_PORT}`,
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    const doc = DynamoDBDocumentClient.from(client);
    const get = async (TableName: string, Key: Record<string, string>) =>
      (await doc.send(new GetCommand({ TableName, Key, ConsistentRead: true }))).Item;
    // One match item, ended by its own limit; each player's time is that match's length.
    // The result is written in the background: wait until it has landed.
    const match = await waitFor(() => get('matches', { matchId }), { what: 'the match item' });
    expect(match).toMatchObject({ reason: 'ended', durationSec: expect.any(Number) });
    const durationSec = match.durationSec as number;
    expect(durationSec).toBeGreaterThan(0);
    for (const r of results) {
      const item = await waitFor(
        async () => {
          const record = await get('players', { username: r.username });
          return record?.matchesPlayed === 1 && record;
        },
        { what: `${r.username}'s record` },
      );
      const mine = (
        match.players as {
          username: string;
          score: number;
          shotsFired: number;
          hits: number;
          asteroidsDestroyed: number;
        }[]
      ).find((p) => p.username === r.username);
      expect(item).toMatchObject({
        timePlayed: durationSec,
        shotsFired: mine?.shotsFired,
        hits: mine?.hits,
        asteroidsDestroyed: mine?.asteroidsDestroyed,
        bestScore: mine?.score,
        matchesPlayed: 1,
        wins: r.outcome === 'win' ? 1 : 0,
        losses: r.outcome === 'loss' ? 1 : 0,
        draws: r.outcome === 'draw' ? 1 : 0,
      });
      // Bots fire with intent: a 10-second match has shots in it.
      expect(item?.shotsFired).toBeGreaterThan(0);
    }
    client.destroy();
  });
});

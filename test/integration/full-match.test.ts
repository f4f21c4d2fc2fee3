// Two bots play a whole match to its end on a real server, and the records add up.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { botCli } from '../support/bots.js';
import { uniqueName } from '../support/local-stack.js';
import { startServer, type ServerProcess } from '../support/server-process.js';

let server: ServerProcess | undefined;
afterAll(() => server?.stop());

describe('a whole match', () => {
  it('two bots play to the end; time, shots, scores and the result add up in DynamoDB', async () => {
    // A 10-second match, logged at info so the server's own duration can be read back.
    server = await startServer({ MATCH_SECONDS: '10', LOG_LEVEL: 'info' });
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

    const ended = server
      .output()
      .split('\n')
      .filter((l) => l.includes('"msg":"match ended"') && !l.includes('"worker"'))
      .map((l) => JSON.parse(l) as { matchId: string; durationSec: number; reason: string });
    expect(ended).toHaveLength(1);
    expect(ended[0]?.reason).toBe('ended');
    // The time limit or the last life: never longer than the 10 s limit (plus a tick of slack).
    expect(ended[0]?.durationSec).toBeLessThanOrEqual(10 + 1 / 60 + 0.1);

    const client = new DynamoDBClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${server.env.LOCAL_DYNAMODB_PORT}`,
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    const doc = DynamoDBDocumentClient.from(client);
    const get = async (TableName: string, Key: Record<string, string>) =>
      (await doc.send(new GetCommand({ TableName, Key, ConsistentRead: true }))).Item;
    const match = await get('matches', { matchId: ended[0]?.matchId ?? '' });
    expect(match).toMatchObject({ reason: 'ended', durationSec: ended[0]?.durationSec });
    for (const r of results) {
      const item = await get('players', { username: r.username });
      const mine = (
        match?.players as {
          username: string;
          score: number;
          shotsFired: number;
          hits: number;
          asteroidsDestroyed: number;
        }[]
      ).find((p) => p.username === r.username);
      expect(item).toMatchObject({
        timePlayed: ended[0]?.durationSec,
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

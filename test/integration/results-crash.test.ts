// kill -9 of the server right after a match ends, before its result is written: the result
// waits in the local queue under DATA_DIR, and a restart on the same DATA_DIR applies it once.
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { rm } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { bot } from '../support/bots.js';
import { uniqueName } from '../support/local-stack.js';
import { waitFor } from '../support/wait.js';
import { startServer, type ServerProcess } from '../support/server-process.js';

const servers: ServerProcess[] = [];
afterAll(async () => {
  for (const s of servers) if (s.child.exitCode === null) s.child.kill('SIGTERM');
  await Promise.all(servers.map((s) => s.exited));
  const dirs = new Set(servers.flatMap((s) => [s.dataDir, s.env.DATA_DIR ?? s.dataDir]));
  await Promise.all([...dirs].map((d) => rm(d, { recursive: true, force: true })));
});

function dynamoOf(server: ServerProcess) {
  const client = new DynamoDBClient({
    region: 'us-east-1',
    endpoint: `http://127.0.0.1:${server.env.LOCAL_DYNAMODB_PORT}`,
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  const doc = DynamoDBDocumentClient.from(client);
  const get = async (TableName: string, Key: Record<string, string>) =>
    (await doc.send(new GetCommand({ TableName, Key, ConsistentRead: true }))).Item;
  return { client, get };
}

describe('kill -9 right after a match ends', () => {
  it('the result survives in DATA_DIR and is applied once after a restart', async () => {
    const env = { MATCH_SECONDS: '10', RESULTS_RETRY_MAX_MS: '500' };
    const first = await startServer(env);
    servers.push(first);
    const name = uniqueName('crash');
    const bots = [bot(first.url, `${name}-1`, 60), bot(first.url, `${name}-2`, 60)];
    await Promise.all(bots.map((b) => b.started));
    // No result can be written on this server: the match end must reach the disk and nothing
    // else before the kill (the restart recreates the table).
    const before = dynamoOf(first);
    await before.client.send(new DeleteTableCommand({ TableName: 'matches' }));
    before.client.destroy();
    // The match runs to its 10 s limit; the first bot to hear its end triggers the kill.
    const report = await Promise.race(bots.map((b) => b.result));
    first.child.kill('SIGKILL');
    expect(await first.exited).toBeNull();
    expect(report.result).toBe('ended');
    const reports = await Promise.all(bots.map((b) => b.result));

    const second = await startServer({ ...env, DATA_DIR: first.env.DATA_DIR ?? '' });
    servers.push(second);
    const after = dynamoOf(second);
    const match = await waitFor(() => after.get('matches', { matchId: report.matchId ?? '' }), {
      what: 'the matches item after the restart',
    });
    const players = match.players as {
      username: string;
      score: number;
      shotsFired: number;
      hits: number;
      asteroidsDestroyed: number;
    }[];
    for (const r of reports) {
      const mine = players.find((p) => p.username === r.username);
      expect(await after.get('players', { username: r.username })).toMatchObject({
        timePlayed: match.durationSec,
        shotsFired: mine?.shotsFired,
        hits: mine?.hits,
        asteroidsDestroyed: mine?.asteroidsDestroyed,
        matchesPlayed: 1,
        wins: r.outcome === 'win' ? 1 : 0,
        losses: r.outcome === 'loss' ? 1 : 0,
        draws: r.outcome === 'draw' ? 1 : 0,
      });
    }
    after.client.destroy();
  });
});

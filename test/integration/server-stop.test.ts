// SIGTERM mid-match: players told, time saved once, everyone inactive, process gone by itself.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { once } from 'node:events';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../shared/src/net/api-client.js';
import { bot } from '../support/bots.js';
import { uniqueName } from '../support/local-stack.js';
import { freePort } from '../support/ports.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { withDeadline } from '../support/wait.js';

let server: ServerProcess | undefined;
afterAll(() => server?.stop());

type Key = { TableName: 'players' | 'matches'; Key: Record<string, string> };

/** Reads items from the tables the stopped server left on disk. */
async function readItems(dataDir: string, keys: Key[]) {
  const db = dynalite({ path: join(dataDir, 'dynamodb') });
  const port = await freePort();
  db.listen(port, '127.0.0.1');
  await once(db, 'listening');
  const client = new DynamoDBClient({
    region: 'us-east-1',
    endpoint: `http://127.0.0.1:${port}`,
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  const doc = DynamoDBDocumentClient.from(client);
  try {
    return await Promise.all(keys.map(async (key) => (await doc.send(new GetCommand(key))).Item));
  } finally {
    client.destroy();
    await new Promise((r) => db.close(r));
  }
}

describe('server stop', () => {
  it('SIGTERM mid-match: clients told server_stopping, players inactive, time saved once, exit by itself', async () => {
    server = await startServer();
    const names = [uniqueName('a'), uniqueName('b')];
    // A third player only logged in, in the lobby: also marked inactive.
    const lobby = uniqueName('lobby');
    const api = new ApiClient(server.url);
    await api.signup(lobby, 'bot password');
    await api.login(lobby, 'bot password');

    const bots = names.map((n) => bot(server!.url, n, 120));
    await Promise.all(bots.map((b) => b.started));
    server.child.kill('SIGTERM');
    // The server bounds its own shutdown (SHUTDOWN_DEADLINE_MS, then exit code 1), so exit
    // code 0 says it finished in time; this far larger bound only turns a hang into a failure.
    const code = await withDeadline(server.exited, 30_000, 'the server exiting after SIGTERM');
    expect(code, server.output()).toBe(0);

    const reports = await Promise.all(bots.map((b) => b.result));
    expect(reports.map((r) => r.result)).toEqual(['server_stopping', 'server_stopping']);
    const matchId = reports[0]?.matchId ?? '';
    expect(reports[1]?.matchId).toBe(matchId);

    const players = [...names, lobby].map((username) => ({
      TableName: 'players' as const,
      Key: { username },
    }));
    const [match, ...items] = await readItems(server.dataDir, [
      { TableName: 'matches', Key: { matchId } },
      ...players,
    ]);
    for (const item of items) expect(item?.active).toBe(false);
    // Saved once: each player's time is exactly the length of the one stored match.
    expect(match).toMatchObject({ reason: 'server_stopping', durationSec: expect.any(Number) });
    expect(match?.durationSec).toBeGreaterThan(0);
    expect(items[0]?.timePlayed).toBe(match?.durationSec);
    expect(items[1]?.timePlayed).toBe(match?.durationSec);
    expect(items[2]?.timePlayed).toBe(0);
  });
});

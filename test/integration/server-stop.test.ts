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

let server: ServerProcess | undefined;
afterAll(() => server?.stop());

/** Reads the players table the stopped server left on disk. */
async function readPlayers(dataDir: string, names: string[]) {
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
    return await Promise.all(
      names.map(
        async (username) =>
          (await doc.send(new GetCommand({ TableName: 'players', Key: { username } }))).Item,
      ),
    );
  } finally {
    client.destroy();
    await new Promise((r) => db.close(r));
  }
}

describe('server stop', () => {
  it('SIGTERM mid-match: clients told server_stopping, players inactive, time saved once, exit by itself', async () => {
    server = await startServer({ LOG_LEVEL: 'info' });
    const names = [uniqueName('a'), uniqueName('b')];
    // A third player only logged in, in the lobby: also marked inactive.
    const lobby = uniqueName('lobby');
    const api = new ApiClient(server.url);
    await api.signup(lobby, 'bot password');
    await api.login(lobby, 'bot password');

    const bots = names.map((n) => bot(server!.url, n, 120));
    await Promise.all(bots.map((b) => b.started));
    server.child.kill('SIGTERM');
    const deadline = new Promise<'overran'>((r) => setTimeout(() => r('overran'), 5000).unref());
    const code = await Promise.race([server.exited, deadline]);
    expect(code, server.output()).toBe(0);

    const reports = await Promise.all(bots.map((b) => b.result));
    expect(reports.map((r) => r.result)).toEqual(['server_stopping', 'server_stopping']);

    const items = await readPlayers(server.dataDir, [...names, lobby]);
    for (const item of items) expect(item?.active).toBe(false);
    // Saved once: each player's time is exactly the duration the server logged for the match.
    const ended = server
      .output()
      .split('\n')
      .filter((l) => l.includes('"msg":"match ended"') && !l.includes('"worker"'))
      .map((l) => JSON.parse(l) as { durationSec: number; reason: string });
    expect(ended).toHaveLength(1);
    expect(ended[0]?.reason).toBe('server_stopping');
    expect(ended[0]?.durationSec).toBeGreaterThan(0);
    expect(items[0]?.timePlayed).toBe(ended[0]?.durationSec);
    expect(items[1]?.timePlayed).toBe(ended[0]?.durationSec);
    expect(items[2]?.timePlayed).toBe(0);
  });
});

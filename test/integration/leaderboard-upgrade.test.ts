// Local mode on a DATA_DIR made before the leaderboard existed: its players table lacks the
// leaderboard index, which dynalite cannot add, so start-up rebuilds the table with its items.
import { once } from 'node:events';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTables } from '../../server/src/local/bootstrap.js';
import { createTable } from '../../server/src/local/table-upgrade.js';
import { createLogger } from '../../server/src/logger.js';
import { LEADERBOARD_INDEX, playersTable } from '../../server/src/players/table.js';
import { freePort } from '../support/ports.js';

let dir: string;
let server: Server;
let dynamo: DynamoDBClient;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'duel-upgrade-'));
  // Slow table changes, as real DynamoDB has: start-up must wait for each to finish, or the
  // rebuilt table is written while the old one is still being deleted.
  server = dynalite({ path: join(dir, 'dynamodb'), createTableMs: 150, deleteTableMs: 150 });
  const port = await freePort();
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  dynamo = new DynamoDBClient({
    region: 'us-east-1',
    endpoint: `http://127.0.0.1:${port}`,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});
afterAll(async () => {
  dynamo.destroy();
  server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('a players table from before the leaderboard', () => {
  it('is rebuilt with the new index, keeping every item, after a backup', async () => {
    const layout = playersTable('players');
    const old = {
      ...layout,
      GlobalSecondaryIndexes: layout.GlobalSecondaryIndexes?.filter(
        (i) => i.IndexName !== LEADERBOARD_INDEX,
      ),
      AttributeDefinitions: layout.AttributeDefinitions?.filter(
        (a) => a.AttributeName !== 'lbShard' && a.AttributeName !== 'rankKey',
      ),
    };
    await createTable(dynamo, old);
    const doc = DynamoDBDocumentClient.from(dynamo);
    const item = { username: 'veteran', active: false, timePlayed: 12.5, wins: 3, bestScore: 40 };
    await doc.send(new PutCommand({ TableName: 'players', Item: item }));

    await ensureTables(dynamo, [layout], dir, createLogger('silent'));

    const table = (await dynamo.send(new DescribeTableCommand({ TableName: 'players' }))).Table;
    expect(table?.GlobalSecondaryIndexes?.map((i) => i.IndexName).sort()).toEqual(
      ['leaderboard-index', 'online-index'].sort(),
    );
    const kept = await doc.send(
      new GetCommand({ TableName: 'players', Key: { username: 'veteran' } }),
    );
    expect(kept.Item).toEqual(item);
    expect((await readdir(dir)).some((f) => f.startsWith('players-backup-'))).toBe(true);

    // A second start finds nothing to do.
    await ensureTables(dynamo, [layout], dir, createLogger('silent'));
    expect((await readdir(dir)).filter((f) => f.startsWith('players-backup-'))).toHaveLength(1);
  });
});

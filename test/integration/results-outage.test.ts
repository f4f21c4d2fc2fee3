// DynamoDB goes away as a match ends and comes back 10 s later: the local results queue keeps
// the result and retries with backoff, and both players' stats arrive once, exact.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTables } from '../../server/src/local/bootstrap.js';
import { createLogger } from '../../server/src/logger.js';
import type { RoomHost } from '../../server/src/match/index.js';
import { matchesTable, playersTable } from '../../server/src/players/table.js';
import { account, type Account } from '../support/accounts.js';
import { startLocalStack, type LocalStack } from '../support/local-stack.js';
import { freePort } from '../support/ports.js';
import {
  botPair,
  expectedGain,
  nextMatchEnded,
  nextMatchStarted,
  startRig,
  type Rig,
} from '../support/results.js';
import { startRooms } from '../support/rooms.js';

const OUTAGE_MS = 10_000;
let stack: LocalStack;
let host: RoomHost;
let rig: Rig;
let admin: Account;
// The platform's own DynamoDB emulator, so the test can stop and start it.
let ddb: Server;
let ddbPort: number;
let ddbDir: string;
let dynamo: DynamoDBClient;

beforeAll(async () => {
  stack = await startLocalStack();
  host = await startRooms();
  ddbDir = await mkdtemp(join(tmpdir(), 'duel-outage-'));
  ddbPort = await freePort();
  ddb = dynalite({ path: ddbDir, createTableMs: 0 });
  ddb.listen(ddbPort, '127.0.0.1');
  await once(ddb, 'listening');
  dynamo = new DynamoDBClient({
    region: 'us-east-1',
    endpoint: `http://127.0.0.1:${ddbPort}`,
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  await ensureTables(
    dynamo,
    [playersTable('players'), matchesTable('matches')],
    ddbDir,
    createLogger('silent'),
  );
  rig = await startRig(
    { baseEnv: stack.baseEnv, backends: stack.backends, host, dynamo },
    { RESULTS_RETRY_BASE_MS: '200', RESULTS_RETRY_MAX_MS: '2000' },
  );
  admin = await account(rig.platform.app, { admin: stack.backends, prefix: 'adm' });
});
afterAll(async () => {
  await rig?.close();
  await host?.close();
  if (!ddb.listening) ddb.listen(ddbPort, '127.0.0.1');
  dynamo?.destroy();
  await new Promise((r) => ddb.close(r));
  await stack?.close();
  await rm(ddbDir, { recursive: true, force: true });
});

async function stopDynamo(): Promise<void> {
  const closed = new Promise((r) => ddb.close(r));
  ddb.closeAllConnections();
  await closed;
}

describe('a DynamoDB outage at match end', () => {
  it('stats arrive once, exact, after DynamoDB comes back 10 s later; no dead letter', async () => {
    const started = nextMatchStarted(host);
    const ended = nextMatchEnded(host);
    const { names, run } = botPair(rig.url, 3);
    await started;
    await stopDynamo();
    const e = await ended;
    // The outage itself: DynamoDB stays down this long after the match end.
    await delay(OUTAGE_MS);
    expect(rig.watch.doneFor(e.matchId)).toEqual([]);
    ddb.listen(ddbPort, '127.0.0.1');
    await once(ddb, 'listening');

    await rig.watch.until(() => rig.watch.doneFor(e.matchId).length > 0);
    const [applied] = rig.watch.doneFor(e.matchId);
    // It was tried during the outage and failed, and it was not given up on.
    expect(applied?.attempts).toBeGreaterThan(1);
    expect(rig.watch.dead).toEqual([]);
    for (const name of names) {
      expect(await rig.platform.players.get(name)).toMatchObject(expectedGain(e, name));
    }
    await rig.platform.results?.drain(5000);
    expect(rig.watch.doneFor(e.matchId)).toHaveLength(1);
    const letters = await request(rig.platform.app).get('/api/admin/dead-letters').set(admin.auth);
    expect(letters.status).toBe(200);
    expect(letters.body).toEqual({ deadLetters: [] });
    const bots = await run;
    expect(bots.code, bots.stderr).toBe(0);
  });
});

// Results that cannot apply, and results delivered more than once, through the local queue:
// a dead letter after N tries, listed and replayed by the admin API; a redelivery counts once.
import { DeleteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomHost } from '../../server/src/match/index.js';
import type { MatchEndedEvent } from '../../server/src/match/worker-protocol.js';
import { account, type Account } from '../support/accounts.js';
import { startLocalStack, type LocalStack } from '../support/local-stack.js';
import {
  botPair,
  expectedGain,
  nextMatchEnded,
  nextMatchStarted,
  startRig,
  type Rig,
} from '../support/results.js';
import { startRooms } from '../support/rooms.js';

const MAX_ATTEMPTS = 3;
let stack: LocalStack;
let host: RoomHost;
let rig: Rig;
let admin: Account;

beforeAll(async () => {
  stack = await startLocalStack();
  host = await startRooms();
  rig = await startRig(
    { baseEnv: stack.baseEnv, backends: stack.backends, host },
    {
      RESULTS_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
      RESULTS_RETRY_BASE_MS: '50',
      RESULTS_RETRY_MAX_MS: '200',
    },
  );
  admin = await account(rig.platform.app, { admin: stack.backends, prefix: 'adm' });
});
afterAll(async () => {
  await rig?.close();
  await host?.close();
  await stack?.close();
});

/** Plays a short match between two new bots; `during` runs once it has started. */
async function playMatch(
  during: (names: readonly [string, string]) => Promise<void> = async () => {},
) {
  const started = nextMatchStarted(host);
  const ended = nextMatchEnded(host);
  const { names, run } = botPair(rig.url, 2);
  await started;
  await during(names);
  const e: MatchEndedEvent = await ended;
  const bots = await run;
  expect(bots.code, bots.stderr).toBe(0);
  return { e, names };
}

describe('a result that can never apply', () => {
  it('is a dead letter after N tries, listed by the admin, and a retry after the fix applies it once', async () => {
    const doc = DynamoDBDocumentClient.from(stack.backends.dynamo);
    const { e, names } = await playMatch(async ([first]) => {
      // An operator's mistake: the player's item is deleted by hand during the match.
      await doc.send(new DeleteCommand({ TableName: 'players', Key: { username: first } }));
    });
    const [gone, kept] = names;
    await rig.watch.until(() => rig.watch.dead.some((d) => d.id === e.matchId));

    const listed = await request(rig.platform.app).get('/api/admin/dead-letters').set(admin.auth);
    expect(listed.status).toBe(200);
    expect(listed.body.deadLetters).toEqual([
      expect.objectContaining({
        id: e.matchId,
        attempts: MAX_ATTEMPTS,
        error: expect.stringContaining(`player ${gone} has no item`),
        result: expect.objectContaining({ matchId: e.matchId, durationSec: e.durationSec }),
      }),
    ]);
    // The player who still had an item got the match on the first attempt, once.
    expect(await rig.platform.players.get(kept)).toMatchObject(expectedGain(e, kept));

    // The fix: the account's record exists again (fresh), then the admin replays the result.
    await rig.platform.players.create(gone, Date.now());
    const retried = await request(rig.platform.app)
      .post(`/api/admin/dead-letters/${e.matchId}/retry`)
      .set(admin.auth);
    expect(retried.status).toBe(202);
    await rig.watch.until(() => rig.watch.doneFor(e.matchId).length > 0);
    await rig.platform.results?.drain(5000);

    expect(await rig.platform.players.get(gone)).toMatchObject(expectedGain(e, gone));
    expect(await rig.platform.players.get(kept)).toMatchObject(expectedGain(e, kept));
    const after = await request(rig.platform.app).get('/api/admin/dead-letters').set(admin.auth);
    expect(after.body).toEqual({ deadLetters: [] });
    // Replayed once: the letter is gone, so a second retry finds nothing.
    const again = await request(rig.platform.app)
      .post(`/api/admin/dead-letters/${e.matchId}/retry`)
      .set(admin.auth);
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('not_found');
  });

  it('answers 404 for an unknown id and 400 for an id that cannot be one', async () => {
    const unknown = await request(rig.platform.app)
      .post(`/api/admin/dead-letters/${randomUUID()}/retry`)
      .set(admin.auth);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
    const bad = await request(rig.platform.app)
      .post(`/api/admin/dead-letters/${encodeURIComponent('no such id!')}/retry`)
      .set(admin.auth);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_input');
  });
});

describe('a result delivered three times', () => {
  it('counts once', async () => {
    const { e, names } = await playMatch();
    await rig.watch.until(() => rig.watch.doneFor(e.matchId).length === 1);
    // The same message twice more, as a queue that redelivers would hand it over.
    await rig.platform.results?.record(e);
    await rig.platform.results?.record(e);
    await rig.watch.until(() => rig.watch.doneFor(e.matchId).length === 3);
    for (const name of names) {
      expect(await rig.platform.players.get(name)).toMatchObject(expectedGain(e, name));
    }
    expect(rig.watch.dead.filter((d) => d.id === e.matchId)).toEqual([]);
  });
});

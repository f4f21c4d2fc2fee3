// The admin API on live matches: the real server as a process (its own emulators and room
// worker), real bots over real WebRTC from this process, and an admin who lists a match,
// kicks a player out of one and ends another. The rooms' and matchmaking's metrics come from
// the same node, and the interrupted matches' results reach the leaderboard.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/src/config.js';
import { attachLocal } from '../../server/src/local/index.js';
import { createLogger } from '../../server/src/logger.js';
import { account, type Account } from '../support/accounts.js';
import { bot } from '../support/bots.js';
import { uniqueName } from '../support/local-stack.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { waitFor } from '../support/wait.js';

let server: ServerProcess;
let admin: Account;
const played: string[] = [];

interface LiveMatchView {
  matchId: string;
  startedAt: string | null;
  tick: number | null;
  players: { username: string; slot: number; rttMs: number | null }[];
}

beforeAll(async () => {
  server = await startServer();
  // Promoted at the server's own Cognito emulator, as `npm run admin -- promote` does.
  const cognito = await attachLocal(loadConfig(server.env), createLogger('silent'));
  try {
    admin = await account(server.url, { admin: cognito, prefix: 'adm' });
  } finally {
    await cognito.close();
  }
});
afterAll(() => server.stop());

const api = () => request(server.url);
const SNAPSHOTS_COUNTED = /^duel_room_snapshot_bytes_total [1-9]/m;
const TICKS_TIMED = /^duel_room_tick_duration_milliseconds\{quantile="0.99"\} \d/m;

/** Two bots in one match, started; they would play for minutes, so only the admin ends it. */
async function liveMatch() {
  const names = [uniqueName('ba'), uniqueName('bb')] as const;
  played.push(...names);
  const bots = names.map((n) => bot(server.url, n, 300));
  await Promise.all(bots.map((b) => b.started));
  const res = await api().get('/api/admin/matches').set(admin.auth).expect(200);
  const match = (res.body.matches as LiveMatchView[]).find((m) =>
    m.players.some((p) => p.username === names[0]),
  );
  if (!match) throw new Error('the live match is not listed');
  return { names, bots, match };
}

describe('live matches', () => {
  it('lists the match with players, start, tick and RTTs; a kick ends it for both', async () => {
    const { names, bots, match } = await liveMatch();
    expect(match).toMatchObject({
      matchId: expect.any(String),
      startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      tick: expect.any(Number),
    });
    expect(match.players.map((p) => p.username).sort()).toEqual([...names].sort());
    expect(match.players.map((p) => p.slot).sort()).toEqual([0, 1]);
    // Pings start with the match; an RTT is a number once one has come back.
    for (const p of match.players) {
      expect(p.rttMs === null || typeof p.rttMs === 'number').toBe(true);
    }
    const record = await api().get(`/api/admin/players/${names[0]}`).set(admin.auth).expect(200);
    expect(record.body.liveMatch).toBe(match.matchId);

    // The node's metrics while it runs: rooms, and the pairing's time to match. The rooms'
    // stats reach the main thread a moment after the match starts, so poll until they have.
    const metrics = await waitFor(
      async () => {
        const text = (await api().get('/metrics').expect(200)).text;
        return SNAPSHOTS_COUNTED.test(text) && TICKS_TIMED.test(text) && text;
      },
      { what: 'room stats on /metrics' },
    );
    expect(metrics).toMatch(/^duel_matches_live 1$/m);
    expect(metrics).toMatch(/^duel_match_players 2$/m);
    expect(metrics).toMatch(/^duel_matchmaking_time_to_match_seconds_count 2$/m);
    expect(metrics).toMatch(/^duel_matchmaking_queue_length 0$/m);
    expect(metrics).toMatch(TICKS_TIMED);
    expect(metrics).toMatch(/^duel_room_malformed_datagrams_dropped_total 0$/m);
    expect(metrics).toMatch(SNAPSHOTS_COUNTED);

    const kick = await api()
      .post(`/api/admin/players/${names[0]}/kick`)
      .set(admin.auth)
      .expect(200);
    expect(kick.body).toEqual({
      username: names[0],
      wasOnline: true,
      ticketCancelled: false,
      matchEnded: match.matchId,
    });
    // Both are told the match is over (match_end); neither is left hanging.
    const results = await Promise.all(bots.map((b) => b.result));
    expect(results.map((r) => r.result)).toEqual(['ended', 'ended']);
    // The room worker tells the main thread as it tells the players: poll, don't race it.
    const status = await waitFor(
      async () => {
        const res = await api().get('/api/admin/status').set(admin.auth).expect(200);
        return res.body.matches.live === 0 && (res.body as { matches: unknown });
      },
      { what: 'no live match in the status' },
    );
    expect(status.matches).toEqual({ live: 0, players: 0 });
    const after = await api().get('/api/admin/matches').set(admin.auth).expect(200);
    expect(after.body.matches.map((m: LiveMatchView) => m.matchId)).not.toContain(match.matchId);
    const item = await api().get(`/api/admin/players/${names[0]}`).set(admin.auth).expect(200);
    expect(item.body).toMatchObject({ active: false, liveMatch: null });
  });

  it('ends a match on request; both players are told', async () => {
    const { bots, match } = await liveMatch();
    await api().post(`/api/admin/matches/${match.matchId}/end`).set(admin.auth).expect(204);
    const results = await Promise.all(bots.map((b) => b.result));
    expect(results.map((r) => r.result)).toEqual(['ended', 'ended']);
    await api().post(`/api/admin/matches/${match.matchId}/end`).set(admin.auth).expect(404);
  });

  it('the results of those matches reach the leaderboard (seen after a restart on the same data)', async () => {
    // A stopping server writes every result still in flight before it exits.
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    const again = await startServer({ DATA_DIR: server.dataDir });
    try {
      const res = await request(again.url).get('/api/leaderboard?size=50').expect(200);
      const names = res.body.entries.map((e: { username: string }) => e.username);
      for (const name of played) expect(names).toContain(name);
    } finally {
      await again.stop();
    }
  });
});

// A player whose connection drops mid-match gets their seat back within RECONNECT_GRACE_MS
// (the bot's --drop-after path, real WebRTC on both ends); past the grace the opponent wins.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, ApiError } from '../../shared/src/net/api-client.js';
import { createRtcClient } from '../../server/src/transport/index.js';
import { bot, botCli, hookedLogger } from '../support/bots.js';
import { uniqueName } from '../support/local-stack.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { waitFor } from '../support/wait.js';

const PASSWORD = 'bot password';
let server: ServerProcess;
let shortGrace: ServerProcess;

beforeAll(async () => {
  [server, shortGrace] = await Promise.all([
    startServer({ RECONNECT_GRACE_MS: '10000' }),
    startServer({ RECONNECT_GRACE_MS: '1500' }),
  ]);
});
afterAll(() => Promise.all([server.stop(), shortGrace.stop()]));

/** The player's record once their match is recorded (results go through the queue). */
async function recorded(url: string, name: string) {
  const api = new ApiClient(url);
  return waitFor(
    async () => {
      const { accessToken } = await api.login(name, PASSWORD);
      const me = await api.me(accessToken);
      await api.logout(accessToken);
      return (me.matchesPlayed ?? 0) > 0 && me;
    },
    { what: `${name}'s match recorded` },
  );
}

const cli = (url: string, name: string, extra: string[]) =>
  botCli([
    '--url',
    url,
    '--username',
    name,
    '--password',
    PASSWORD,
    '--signup',
    '--json',
    ...extra,
  ]);

describe('rejoin a live match', () => {
  it('a bot that drops for 3 s rejoins the same match; the opponent saw it paused', async () => {
    const [dropper, stayer] = [uniqueName('drop'), uniqueName('stay')];
    const [a, b] = await Promise.all([
      cli(server.url, dropper, ['--seconds', '8', '--drop-after', '1.5', '--drop-for', '3']),
      cli(server.url, stayer, ['--seconds', '12']),
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const [ra, rb] = [a.results[0], b.results[0]];
    expect(ra?.matchId).toBe(rb?.matchId);
    expect(ra).toMatchObject({ result: 'played', rejoins: 1 });
    expect(ra?.rejoinMs).toBeGreaterThan(0);
    // Play went on after the rejoin: snapshots kept coming on the new connection.
    expect(ra?.snapshots).toBeGreaterThan(60);
    expect(rb).toMatchObject({ result: 'opponent_left', opponentAway: 1 });
    // One match, recorded once for each player.
    expect((await recorded(server.url, dropper)).matchesPlayed).toBe(1);
    expect((await recorded(server.url, stayer)).matchesPlayed).toBe(1);
  });

  it('past the grace the opponent wins by opponent_left, recorded once; the rejoin is refused', async () => {
    const [dropper, stayer] = [uniqueName('late'), uniqueName('win')];
    const [a, b] = await Promise.all([
      cli(shortGrace.url, dropper, ['--seconds', '10', '--drop-after', '1', '--drop-for', '4']),
      cli(shortGrace.url, stayer, ['--seconds', '20']),
    ]);
    expect(a.results[0]).toMatchObject({ result: 'failed' });
    expect(a.results[0]?.error).toMatch(/could not rejoin/);
    expect(b.code, b.stderr).toBe(0);
    expect(b.results[0]).toMatchObject({ result: 'opponent_left', opponentAway: 1 });
    const winner = await recorded(shortGrace.url, stayer);
    expect(winner).toMatchObject({ matchesPlayed: 1, wins: 1 });
    expect(await recorded(shortGrace.url, dropper)).toMatchObject({ matchesPlayed: 1, losses: 1 });
  });

  it('another player cannot take a waiting seat: 404, and its owner still rejoins', async () => {
    const owner = bot(server.url, uniqueName('own'), 8, PASSWORD, {
      afterSeconds: 1,
      awaySeconds: 3,
    });
    const other = bot(server.url, uniqueName('opp'), 12, PASSWORD);
    await owner.dropped;
    // The seat now waits for its owner. Mallory, logged in, posts a real offer for it.
    const api = new ApiClient(server.url);
    const mallory = uniqueName('mal');
    await api.signup(mallory, PASSWORD);
    const { accessToken } = await api.login(mallory, PASSWORD);
    const rtc = createRtcClient({ logger: hookedLogger(() => undefined), timeoutMs: 10_000 });
    const matchId = await owner.matchId;
    const refused = await api.rejoinMatch(accessToken, matchId, await rtc.offerSdp).catch((e) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).status).toBe(404);
    expect((refused as ApiError).code).toBe('not_found');
    // A made-up match id gets the same answer, so ids cannot be probed.
    const probe = await api
      .rejoinMatch(accessToken, crypto.randomUUID(), await rtc.offerSdp)
      .catch((e) => e);
    expect((probe as ApiError).status).toBe(404);
    rtc.close();
    await api.logout(accessToken);
    const [ro, rp] = await Promise.all([owner.result, other.result]);
    expect(ro).toMatchObject({ result: 'played', rejoins: 1 });
    expect(rp).toMatchObject({ result: 'opponent_left', opponentAway: 1 });
  });
});

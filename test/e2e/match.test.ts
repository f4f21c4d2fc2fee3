// Whole matches in real Chromium over real WebRTC: two players fly and see each other, a
// third waits and is paired next, a reload or a dead network comes back to the same match, a
// closed tab loses it once the grace window is over, leaving sends the other player to the lobby, and a server
// stop sends everyone to the connect screen. Frame rate, input latency and the time from a
// reload to back in play are measured and printed, never asserted.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '../support/local-stack.js';
import {
  ARTIFACTS,
  buildWebIfNeeded,
  webFront,
  type WebFront,
  chromiumVersion,
  hasChromium,
  launchChromium,
} from '../support/browser.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { adminToken, endMatch } from './admin.js';
import { measureFps, measureInputLatency, measureReload, watchOverlay } from './measure.js';
import {
  backToLobby,
  findMatch,
  inMatch,
  openPlayer,
  playing,
  queue,
  signUp,
  type PageGlobal,
  type Player,
} from './players.js';

describe.skipIf(!hasChromium)('a match in the browser', () => {
  let server: ServerProcess;
  let browser: Browser;
  let front: WebFront;
  let a: Player;
  let b: Player;
  let c: Player;

  beforeAll(async () => {
    buildWebIfNeeded();
    [server, browser] = await Promise.all([startServer(), launchChromium()]);
    front = await webFront(server.url);
    const open = (n: string) => openPlayer(browser, front.url, uniqueName(n));
    // b's window is not 16:9: its arena is letterboxed.
    [a, b, c] = await Promise.all([
      open('ann'),
      openPlayer(browser, front.url, uniqueName('bob'), { width: 1024, height: 700 }),
      open('cat'),
    ]);
    await Promise.all([a, b, c].map((p) => signUp(p)));
  });
  afterAll(async () => {
    await browser?.close();
    await front?.close();
    await server?.stop();
  });

  it('two players see each other move while a third waits', async () => {
    await queue(a);
    await findMatch(b);
    await Promise.all([inMatch(a), inMatch(b)]);
    await queue(c);

    const slotA = await a.page.evaluate(
      () => (globalThis as unknown as PageGlobal).__duel.info()!.you,
    );
    const seen = () =>
      b.page.evaluate((slot) => {
        const s = (globalThis as unknown as PageGlobal).__duel.frame()!.ships[slot];
        return { x: s.x, y: s.y, heading: s.heading };
      }, slotA);
    const before = await seen();
    await a.page.keyboard.down('ArrowLeft');
    await a.page.keyboard.down('ArrowUp');
    await b.page.waitForFunction(
      ({ slot, was }) => {
        const s = (globalThis as unknown as PageGlobal).__duel.frame()?.ships[slot];
        return s !== undefined && s.heading !== was.heading && (s.x !== was.x || s.y !== was.y);
      },
      { slot: slotA, was: before },
    );
    await a.page.keyboard.up('ArrowLeft');
    await a.page.keyboard.up('ArrowUp');
    expect(await seen()).not.toEqual(before);

    // Fire a burst and keep turning, so the picture has shots, a flame and a turned ship.
    await a.page.keyboard.down('Space');
    await a.page.keyboard.down('ArrowUp');
    await a.page.waitForFunction(
      () => ((globalThis as unknown as PageGlobal).__duel.frame()?.projectiles.length ?? 0) >= 3,
    );
    mkdirSync(ARTIFACTS, { recursive: true });
    await a.page.screenshot({ path: join(ARTIFACTS, 'e2e-match.png') });
    await a.page.keyboard.up('Space');
    await a.page.keyboard.up('ArrowUp');
    // F3 shows the debug corner (frame rate, RTT, snapshots).
    await b.page.keyboard.press('F3');
    await b.page.getByText(/^fps/).waitFor();
    await b.page.screenshot({ path: join(ARTIFACTS, 'e2e-match-opponent.png') });

    await c.page.getByText('Waiting for an opponent…').waitFor();
    await c.page.screenshot({ path: join(ARTIFACTS, 'e2e-waiting.png') });
  });

  /**
   * A new match between x and y, each leaving what they were in, with `waiting` queued again
   * after. A match ends by itself once a ship is out of lives: ships that stand still are hit
   * by drifting asteroids, and matches here ended that way 20 to 36 s after they began: the
   * more loaded the machine, the fewer steps of a test that is. So a test that needs the match
   * to go on starts its own and needs only seconds of its play: a lost ship is out for 1.5 s,
   * then invulnerable for 2 s, so the third loss comes over 7 s after the first.
   */
  async function newMatch(x: Player, y: Player, waiting: Player): Promise<void> {
    for (const p of [x, y]) if (await playing(p)) await p.page.keyboard.press('Escape');
    await Promise.all([backToLobby(x), backToLobby(y)]);
    await waiting.page.getByRole('button', { name: 'Cancel' }).click();
    await waiting.page.getByRole('button', { name: 'Find match' }).waitFor();
    await queue(x);
    await findMatch(y);
    await Promise.all([inMatch(x), inMatch(y)]);
    await queue(waiting);
  }

  it('a reload mid-match comes back to the same match and score; the opponent sees the countdown', async () => {
    await newMatch(a, b, c);
    // No shot in flight: nothing can change the score while a is away or just back.
    await b.page.waitForFunction(() => {
      const v = (globalThis as unknown as PageGlobal).__duel.latest();
      return v !== undefined && v.projectiles.length === 0;
    });
    const matchId = await a.page.evaluate(
      () => (globalThis as unknown as PageGlobal).__duel.info()!.matchId,
    );
    const before = await b.page.evaluate(() => {
      const v = (globalThis as unknown as PageGlobal).__duel.latest()!;
      return { tick: v.tick, scores: v.ships.map((s) => s.score) };
    });
    const away = await watchOverlay(b);

    await a.page.reload();
    await inMatch(a);
    const after = await a.page.evaluate(() => {
      const h = (globalThis as unknown as PageGlobal).__duel;
      const v = h.latest()!;
      return { matchId: h.info()!.matchId, tick: v.tick, scores: v.ships.map((s) => s.score) };
    });
    expect(after.matchId).toBe(matchId);
    expect(after.scores).toEqual(before.scores);
    // The match went on from where it was, not from a new match's first tick.
    expect(after.tick).toBeGreaterThanOrEqual(before.tick);
    // b was told, and the notice went once a was back.
    expect(await away.seen()).toMatch(/^Opponent reconnecting… \d+ s$/);
    await b.page.getByText(/Opponent reconnecting/).waitFor({ state: 'detached' });
    expect(await playing(b)).toBe(true);
  });

  it('a dead network mid-match: the page takes its seat back on a new link, and play goes on', async () => {
    await newMatch(a, b, c);
    const matchId = await a.page.evaluate(
      () => (globalThis as unknown as PageGlobal).__duel.info()!.matchId,
    );
    const [mine, away] = await Promise.all([watchOverlay(a), watchOverlay(b)]);
    const cutAt = await a.page.evaluate(() => {
      const h = (globalThis as unknown as PageGlobal).__duel;
      h.cutLink();
      return h.latest()!.tick;
    });
    await a.page.waitForFunction(
      (t) => ((globalThis as unknown as PageGlobal).__duel.latest()?.tick ?? 0) > t + 30,
      cutAt,
      { timeout: 20_000 },
    );
    expect(await mine.seen()).toBe('Reconnecting…');
    await a.page.getByText('Reconnecting…').waitFor({ state: 'detached' });
    expect(
      await a.page.evaluate(() => (globalThis as unknown as PageGlobal).__duel.info()!.matchId),
    ).toBe(matchId);
    expect(await away.seen()).toMatch(/^Opponent reconnecting… \d+ s$/);
    await b.page.getByText(/Opponent reconnecting/).waitFor({ state: 'detached' });
    expect(await playing(b)).toBe(true);
  });

  it('a closed tab is waited for, then the other player goes to the lobby; the third still waits', async () => {
    await newMatch(a, b, c);
    await a.close();
    // The seat waits RECONNECT_GRACE_MS (10 s) for a reload that does not come.
    await b.page.getByText(/Opponent reconnecting… \d+ s/).waitFor();
    await b.page.getByText('Your opponent left the match.').waitFor({ timeout: 30_000 });
    await b.page.getByRole('button', { name: 'Find match' }).waitFor();
    await c.page.getByText('Waiting for an opponent…').waitFor();
  });

  it('the waiting player is paired with the next one, and Escape leaves the match', async () => {
    await findMatch(b);
    await Promise.all([inMatch(b), inMatch(c)]);
    await c.page.keyboard.press('Escape');
    await c.page.getByText('You left the match.').waitFor();
    await b.page.getByText('Your opponent left the match.').waitFor();
  });

  it('Cancel leaves the queue, so the next request queues afresh', async () => {
    await queue(c);
    await c.page.getByRole('button', { name: 'Cancel' }).click();
    await c.page.getByRole('button', { name: 'Find match' }).waitFor();
    // Had the ticket stayed, this would be refused (409 already_queued) or pair with a ghost.
    await queue(c);
    await findMatch(b);
    await Promise.all([inMatch(b), inMatch(c)]);
    await c.page.keyboard.press('Escape');
    await b.page.getByText('Your opponent left the match.').waitFor();
  });

  it('an admin ending the match shows the results; then Play again and Lobby', async () => {
    await queue(b);
    await findMatch(c);
    await Promise.all([inMatch(b), inMatch(c)]);
    const matchId = await b.page.evaluate(
      () => (globalThis as unknown as PageGlobal).__duel.info()!.matchId,
    );
    await endMatch(server, await adminToken(server), matchId);
    for (const p of [b, c]) {
      await p.page.getByRole('status').filter({ hasText: 'Draw' }).waitFor();
      await p.page.getByText('An administrator ended the match.').waitFor();
    }
    await b.page.screenshot({ path: join(ARTIFACTS, 'e2e-results.png') });

    await b.page.getByRole('button', { name: 'Play again' }).click();
    await b.page.getByText('In the queue.').waitFor();
    await c.page.getByRole('button', { name: 'Lobby' }).click();
    await findMatch(c);
    await Promise.all([inMatch(b), inMatch(c)]);
    await c.page.keyboard.press('Escape');
    await b.page.getByText('Your opponent left the match.').waitFor();
    // Two forfeits won: b is on the leaderboard.
    await b.page.getByRole('row').filter({ hasText: b.name }).waitFor();
    await b.page.screenshot({ path: join(ARTIFACTS, 'e2e-lobby.png') });
  });

  it('measures frame rate and input latency (printed, not asserted)', async () => {
    await queue(b);
    await findMatch(c);
    await Promise.all([inMatch(b), inMatch(c)]);
    const fps = await measureFps(c, 180);
    const latency = await measureInputLatency(c, b, 8);
    const reload = await measureReload(c, 10);
    console.log(
      `e2e figures (${chromiumVersion()}, headless, 2 pages rendering):\n` +
        `  frame rate:                    ${fps.toFixed(1)} fps over 180 frames\n` +
        `  keydown → predicted frame:     ${latency.predicted}\n` +
        `  keydown → server snapshot:     ${latency.authoritative}\n` +
        `  keydown → opponent's screen:   ${latency.opponent}\n` +
        `  reload → back in play:         ${reload}`,
    );
    expect(fps).toBeGreaterThan(0);
    // The match may have ended on its own (ships run out of lives); otherwise c leaves.
    if (await playing(c)) await c.page.keyboard.press('Escape');
    await Promise.all([backToLobby(b), backToLobby(c)]);
  });

  it('a server stop sends players in a match and in the queue to the connect screen', async () => {
    const d = await openPlayer(browser, front.url, uniqueName('dan'));
    await signUp(d);
    await queue(b);
    await findMatch(c);
    await Promise.all([inMatch(b), inMatch(c)]);
    await queue(d);
    server.child.kill('SIGTERM');
    for (const p of [b, c, d]) {
      await p.page.getByText('The server is stopping.').waitFor();
      await p.page.getByLabel('Username').waitFor();
    }
  });
});

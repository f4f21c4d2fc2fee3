// The connect screen and the lobby in real Chromium: every refusal as a sentence, a session
// that survives a reload, logging out, and the leaderboard's pages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { uniqueName } from '../support/local-stack.js';
import {
  buildWebIfNeeded,
  hasChromium,
  launchChromium,
  webFront,
  type WebFront,
} from '../support/browser.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { attempt, openPlayer, signUp, type Player } from './players.js';

const alert = (p: Player) => p.page.getByRole('alert');

describe.skipIf(!hasChromium)('the connect screen and the lobby', () => {
  let server: ServerProcess;
  let browser: Browser;
  let front: WebFront;
  const opened: Player[] = [];
  const player = async (name: string) => {
    const p = await openPlayer(browser, front.url, name);
    opened.push(p);
    return p;
  };

  beforeAll(async () => {
    buildWebIfNeeded();
    [server, browser] = await Promise.all([startServer(), launchChromium()]);
    front = await webFront(server.url);
  });
  afterAll(async () => {
    await browser?.close();
    await front?.close();
    await server?.stop();
  });

  it('signs up, stays logged in across a reload, and logs out', async () => {
    const p = await player(uniqueName('acc'));
    await signUp(p);
    await p.page.getByRole('heading', { name: p.name }).waitFor();
    await p.page.reload();
    await p.page.getByRole('heading', { name: p.name }).waitFor();
    await p.page.getByRole('button', { name: 'Log out' }).click();
    await p.page.getByText('You are logged out.').waitFor();
    await p.page.reload();
    await p.page.getByLabel('Username').waitFor();
    expect(await p.page.getByRole('button', { name: 'Find match' }).count()).toBe(0);
  });

  it('shows each refusal as a sentence', async () => {
    const taken = await player(uniqueName('tkn'));
    await signUp(taken);

    const p = await player(uniqueName('err'));
    const says = async (text: string) => expect(await alert(p).textContent()).toBe(text);

    await attempt(p, 'Log in');
    await says('No account has that name. Sign up first?');

    p.name = taken.name;
    await attempt(p, 'Log in', 'not the password');
    await says('Wrong password.');

    await attempt(p, 'Sign up');
    await says('That name is taken. Try another.');

    // (A login while `taken` is queued or playing: sessions.test.ts.)
    p.name = uniqueName('weak');
    await attempt(p, 'Sign up', 'short');
    await says('The password needs at least 8 characters.');
  });

  it('pages through ranks in sets of ten', async () => {
    const p = await player(uniqueName('lb'));
    // Thirty ranked players would take fifteen matches: the pages are served by the test.
    await p.page.route('**/api/leaderboard?*', async (route) => {
      const page = Number(new URL(route.request().url()).searchParams.get('page'));
      const entries = Array.from({ length: 10 }, (_, i) => ({
        rank: (page - 1) * 10 + i + 1,
        username: `pilot${(page - 1) * 10 + i + 1}`,
        wins: 100 - ((page - 1) * 10 + i),
        bestScore: 5000,
        timePlayed: 600,
      }));
      await route.fulfill({ json: { page, size: 10, entries, hasMore: page < 3 } });
    });
    await signUp(p);
    const board = p.page.getByRole('region', { name: 'Leaderboard' });
    await board.getByRole('cell', { name: 'pilot1', exact: true }).waitFor();
    await board.getByRole('button', { name: '11–20' }).click();
    await board.getByRole('cell', { name: 'pilot11', exact: true }).waitFor();
    await board.getByRole('button', { name: '21–30' }).click();
    await board.getByRole('cell', { name: 'pilot30', exact: true }).waitFor();
    expect(await board.getByRole('button').allTextContents()).toEqual(['1–10', '11–20', '21–30']);
  });

  it('says so when the leaderboard cannot be had', async () => {
    const p = await player(uniqueName('lb'));
    await p.page.route('**/api/leaderboard?*', (route) =>
      route.fulfill({
        status: 404,
        json: { error: { code: 'not_found', message: 'Nothing is here.' } },
      }),
    );
    await signUp(p);
    await p.page.getByText('The leaderboard is not available').waitFor();
  });
});

describe.skipIf(!hasChromium)('login attempts over the limit', () => {
  let server: ServerProcess;
  let browser: Browser;
  let front: WebFront;

  beforeAll(async () => {
    buildWebIfNeeded();
    [server, browser] = await Promise.all([
      startServer({ RATE_LIMIT_USER_PER_MINUTE: '3' }),
      launchChromium(),
    ]);
    front = await webFront(server.url);
  });
  afterAll(async () => {
    await browser?.close();
    await front?.close();
    await server?.stop();
  });

  it('says "too many attempts"', async () => {
    const p = await openPlayer(browser, front.url, uniqueName('lim'));
    for (let i = 0; i < 3; i++) {
      await attempt(p, 'Log in');
      expect(await alert(p).textContent()).toBe('No account has that name. Sign up first?');
    }
    await attempt(p, 'Log in');
    expect(await alert(p).textContent()).toBe('Too many attempts. Wait a minute and try again.');
    await p.close();
  });
});

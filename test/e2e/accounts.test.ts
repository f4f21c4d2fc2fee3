// The connect screen in real Chromium: every refusal as a sentence, a session that survives
// a reload, and logging out.
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

describe.skipIf(!hasChromium)('accounts in the browser', () => {
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

    // `taken` is still logged in, in its own tab.
    await attempt(p, 'Log in');
    await says('This account is already playing somewhere else.');

    p.name = uniqueName('weak');
    await attempt(p, 'Sign up', 'short');
    await says('The password needs at least 8 characters.');
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

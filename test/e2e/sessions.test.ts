// Sessions that survive real life, in real Chromium: a closed page resumes from the browser's
// cookie with no password, logout ends that, and a login in another browser takes over an
// idle session (the old tab says so, its token is refused) but not a queued one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { uniqueName } from '../support/local-stack.js';
import { buildWebIfNeeded, hasChromium, launchChromium, webFront } from '../support/browser.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { attempt, logIn, openPlayer, queue, signUp, type Player } from './players.js';

/** The access token a page sends (it lives only in the page's memory), seen on the wire. */
function bearerOf(page: Page): () => string | undefined {
  let token: string | undefined;
  page.on('request', (req) => {
    const auth = req.headers()['authorization'];
    if (auth?.startsWith('Bearer ')) token = auth.slice('Bearer '.length);
  });
  return () => token;
}

describe.skipIf(!hasChromium)('sessions in the browser', () => {
  let server: ServerProcess;
  let browser: Browser;
  let url: string;
  const opened: Player[] = [];
  const player = async (name: string) => {
    const p = await openPlayer(browser, url, name);
    opened.push(p);
    return p;
  };
  const meWith = (token: string | undefined) =>
    fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${token ?? ''}` } });

  beforeAll(async () => {
    buildWebIfNeeded();
    // A short lease: the presence stream renews it (and notices a takeover) every 2 s.
    [server, browser] = await Promise.all([startServer({ LEASE_SECONDS: '6' }), launchChromium()]);
    url = (await webFront(server.url)).url;
  });
  afterAll(async () => {
    for (const p of opened) await p.close().catch(() => undefined);
    await browser?.close();
    await server?.stop();
  });

  it('a closed page reopens in the lobby with no password; after logout a new page shows the connect screen', async () => {
    const p = await player(uniqueName('res'));
    await signUp(p);
    await p.page.close();
    // A new page of the same browser (same cookie jar): no password typed.
    const again = await p.context.newPage();
    await again.goto(`${url}/?test=1`);
    await again.getByRole('heading', { name: p.name }).waitFor();
    await again.getByRole('button', { name: 'Find match' }).waitFor();
    await again.getByRole('button', { name: 'Log out' }).click();
    await again.getByText('You are logged out.').waitFor();
    await again.close();
    const after = await p.context.newPage();
    await after.goto(`${url}/?test=1`);
    await after.getByLabel('Username').waitFor();
    expect(await after.getByRole('button', { name: 'Find match' }).count()).toBe(0);
    // The cookie never reaches a script.
    expect(
      await after.evaluate(
        () => (globalThis as { document?: { cookie: string } }).document?.cookie,
      ),
    ).toBe('');
  });

  it('a browser restart (persistent cookies kept, every page gone) resumes in the lobby', async () => {
    const p = await player(uniqueName('rst'));
    await signUp(p);
    // What a restarted browser keeps: its persistent cookies. Nothing of the page survives.
    const kept = await p.context.storageState();
    await p.close();
    const restarted = await browser.newContext({ storageState: kept });
    const page = await restarted.newPage();
    opened.push({ ...p, context: restarted, page, close: () => restarted.close() });
    await page.goto(`${url}/?test=1`);
    await page.getByRole('heading', { name: p.name }).waitFor();
    await page.getByRole('button', { name: 'Find match' }).waitFor();
  });

  it('an idle session in A is taken over by a login in B: B in the lobby, A says "signed in elsewhere", its token is refused', async () => {
    const a = await player(uniqueName('own'));
    const tokenOfA = bearerOf(a.page);
    await signUp(a);
    const b = await player(a.name); // another browser context: its own cookie jar
    await logIn(b);
    await b.page.getByRole('heading', { name: a.name }).waitFor();
    await a.page.getByText('This account signed in elsewhere.').waitFor();
    await a.page.getByLabel('Username').waitFor();
    const refused = await meWith(tokenOfA());
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe(
      'session_replaced',
    );
    // B's session is the live one.
    await b.page.reload();
    await b.page.getByRole('button', { name: 'Find match' }).waitFor();
  });

  it('a queued session in A is not taken over: B gets 409, A stays in the queue', async () => {
    const a = await player(uniqueName('q'));
    const tokenOfA = bearerOf(a.page);
    await signUp(a);
    await queue(a);
    const b = await player(a.name);
    await attempt(b, 'Log in');
    expect(await b.page.getByRole('alert').textContent()).toBe(
      'This account is already playing somewhere else.',
    );
    await a.page.getByText('In the queue.').waitFor();
    expect((await meWith(tokenOfA())).status).toBe(200);
    await a.page.getByRole('button', { name: 'Cancel' }).click();
    await a.page.getByRole('button', { name: 'Find match' }).waitFor();
  });
});

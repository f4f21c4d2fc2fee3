// A player in a browser tab, driven the way a person would: by labels and button names.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { DuelHook } from '../../web/src/game/hook-types.js';

/**
 * What code evaluated in the page may use. The tests compile for Node (no DOM types), so the
 * page's globals are named here; page.evaluate bodies reach them through `globalThis`.
 */
export interface PageGlobal {
  __duel: DuelHook;
  requestAnimationFrame(cb: (t: number) => void): number;
  performance: { now(): number; timeOrigin: number };
}

export const PASSWORD = 'e2e password';

export interface Player {
  name: string;
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** A fresh browser context (its own storage) at the client, with the test hook on. */
export async function openPlayer(
  browser: Browser,
  url: string,
  name: string,
  viewport = { width: 1280, height: 720 },
): Promise<Player> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  await page.goto(`${url}/?test=1`);
  return { name, context, page, close: () => context.close() };
}

async function fill(page: Page, name: string, password: string) {
  await page.getByLabel('Username').fill(name);
  await page.getByLabel('Password').fill(password);
}

export async function signUp(p: Player, password = PASSWORD): Promise<void> {
  await fill(p.page, p.name, password);
  await p.page.getByRole('button', { name: 'Sign up' }).click();
  await p.page.getByRole('button', { name: 'Find match' }).waitFor();
}

/** Fills the form and presses `button`; resolves once the server has answered a refusal. */
export async function attempt(
  p: Player,
  button: 'Log in' | 'Sign up',
  password = PASSWORD,
): Promise<void> {
  await fill(p.page, p.name, password);
  await p.page.getByRole('button', { name: button }).click();
  // The buttons are disabled while a request is out, and enabled again after a refusal.
  await p.page.getByRole('button', { name: button, disabled: false }).waitFor();
}

export async function logIn(p: Player, password = PASSWORD): Promise<void> {
  await fill(p.page, p.name, password);
  await p.page.getByRole('button', { name: 'Log in' }).click();
  await p.page.getByRole('button', { name: 'Find match' }).waitFor();
}

/** Clicks "Find match" for a player who completes a pair: the match follows at once. */
export async function findMatch(p: Player): Promise<void> {
  await p.page.getByRole('button', { name: 'Find match' }).click();
}

/** Clicks "Find match" and waits until the waiting room shows and the server has the ticket. */
export async function queue(p: Player): Promise<void> {
  await p.page.getByRole('button', { name: 'Find match' }).click();
  await p.page.getByText('Waiting for an opponent…').waitFor();
  await p.page.getByText('In the queue.').waitFor();
}

/** Waits until the match is on: snapshots are arriving and a frame can be drawn. */
export async function inMatch(p: Player): Promise<void> {
  await p.page.waitForFunction(
    () => (globalThis as unknown as PageGlobal).__duel.frame() !== undefined,
    null,
    { timeout: 20_000 },
  );
}

/** Whether the page is in a match now. */
export const playing = (p: Player): Promise<boolean> =>
  p.page.evaluate(() => (globalThis as unknown as PageGlobal).__duel.info() !== undefined);

/** From the lobby, or the results of a match that ended: back to the lobby. */
export async function backToLobby(p: Player): Promise<void> {
  const find = p.page.getByRole('button', { name: 'Find match' });
  const lobby = p.page.getByRole('button', { name: 'Lobby' });
  await find.or(lobby).waitFor();
  if (await lobby.isVisible()) await lobby.click();
  await find.waitFor();
}

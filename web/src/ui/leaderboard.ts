// The leaderboard in numbered pages of ten (1–10, 11–20, …). The API says whether a further
// page exists, not how many there are, so the buttons reach one page past the furthest seen.
import { leaderboard, sentence, type LeaderboardPage } from '../api.js';
import { detach } from '../log.js';
import { duration, el } from './dom.js';

const SIZE = 10;
const REFRESH_MS = 10_000;

export function leaderboardPanel(me: string): { element: HTMLElement; dispose(): void } {
  const body = el('tbody');
  const pages = el('nav', { className: 'pages', ariaLabel: 'Leaderboard pages' });
  const note = el('p', { className: 'status info', role: 'status' });
  const element = el(
    'section',
    { className: 'card board', ariaLabel: 'Leaderboard' },
    el('h2', {}, 'Leaderboard'),
    el(
      'table',
      {},
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          ...['#', 'Pilot', 'Wins', 'Best', 'Time'].map((h) => el('th', { scope: 'col' }, h)),
        ),
      ),
      body,
    ),
    note,
    pages,
  );
  let furthest = 1;
  let current = 1;
  let disposed = false;

  const render = (p: LeaderboardPage) => {
    if (p.hasMore) furthest = Math.max(furthest, p.page + 1);
    body.replaceChildren(
      ...p.entries.map((e) =>
        el(
          'tr',
          { className: e.username === me ? 'me' : '' },
          el('td', {}, String(e.rank)),
          el('td', {}, e.username),
          el('td', {}, String(e.wins)),
          el('td', {}, String(e.bestScore)),
          el('td', {}, duration(e.timePlayed)),
        ),
      ),
    );
    note.textContent = p.entries.length === 0 ? 'No results yet: be the first.' : '';
    pages.replaceChildren(
      ...Array.from({ length: furthest }, (_, i) => {
        const n = i + 1;
        const b = el('button', {
          type: 'button',
          className: 'page',
          textContent: `${(n - 1) * SIZE + 1}–${n * SIZE}`,
          onclick: () => detach('showing a leaderboard page', show(n)),
        });
        if (n === p.page) b.setAttribute('aria-current', 'page');
        return b;
      }),
    );
  };

  const show = async (page: number) => {
    current = page;
    try {
      const p = await leaderboard(page, SIZE);
      if (!disposed && page === current) render(p);
    } catch (e) {
      if (disposed) return;
      body.replaceChildren();
      note.textContent = `The leaderboard is not available (${sentence(e)})`;
    }
  };
  detach('showing the leaderboard', show(1));
  // Results land while the lobby is open (a match just ended): keep the page fresh.
  const refresh = setInterval(
    () => detach('refreshing the leaderboard', show(current)),
    REFRESH_MS,
  );
  return {
    element,
    dispose() {
      disposed = true;
      clearInterval(refresh);
    },
  };
}

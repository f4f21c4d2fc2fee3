// The lobby: who you are, how you have played, the way into a match, and the leaderboard.
import type { Profile } from '../../../shared/src/net/api-client.js';
import { logout, me } from '../api.js';
import type { App, Screen } from '../app.js';
import { button, duration, el, statusLine } from './dom.js';
import { leaderboardPanel } from './leaderboard.js';

function statsList(p: Profile | undefined): HTMLDListElement {
  const rows: [string, string][] = [
    ['Time played', p ? duration(p.timePlayed) : '…'],
    ['Wins', p ? String(p.wins) : '…'],
    ['Losses', p ? String(p.losses) : '…'],
    ['Best score', p ? String(p.bestScore) : '…'],
    ['Shots fired', p ? String(p.shotsFired) : '…'],
  ];
  return el(
    'dl',
    { className: 'stats' },
    ...rows.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]),
  );
}

export function lobbyScreen(app: App, message: string): Screen {
  const session = app.session;
  // What brought the player back (an opponent who left, a failed queue) is news, not an error.
  const status = statusLine(message);
  status.classList.add('notice');
  let stats = statsList(undefined);
  const find = button('Find match', () => app.waiting(), 'primary big');
  const out = button(
    'Log out',
    async () => {
      await logout(session);
      app.connect('You are logged out.');
    },
    'secondary',
  );
  const board = leaderboardPanel(session.username);
  const card = el(
    'section',
    { className: 'card lobby', ariaLabel: 'Lobby' },
    el('p', { className: 'eyebrow' }, 'Pilot'),
    el('h1', { className: 'pilot' }, session.username),
    stats,
    find,
    status,
    el('div', { className: 'row' }, out),
  );
  app.root.replaceChildren(el('div', { className: 'lobby-layout' }, card, board.element));
  find.focus();

  let disposed = false;
  me(session).then(
    (p) => {
      if (disposed) return;
      const fresh = statsList(p);
      stats.replaceWith(fresh);
      stats = fresh;
    },
    (e: unknown) => !disposed && app.fail(e),
  );
  return {
    dispose() {
      disposed = true;
      board.dispose();
    },
  };
}

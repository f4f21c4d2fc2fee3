// The lobby: who you are, how you have played, the way into a match, and the leaderboard.
import type { Profile } from '../../../shared/src/net/api-client.js';
import { logout, me, sentence } from '../api.js';
import { detach, logFailure } from '../log.js';
import { signedOutBy, type Nav, type RouteOf, type Screen } from '../nav.js';
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

export function lobbyScreen(nav: Nav, route: RouteOf<'lobby'>): Screen {
  const session = nav.session;
  // What brought the player back (an opponent who left, a failed queue) is news, not an error.
  const status = statusLine(route.notice ?? '');
  status.classList.add('notice');
  let stats = statsList(undefined);
  const find = button('Find match', () => nav.go({ name: 'waiting' }), 'primary big');
  const leave = async () => {
    out.disabled = true; // one logout: a second would only be refused (the token is revoked)
    await logout(session);
    nav.go({ name: 'connect', reason: 'logged_out' });
  };
  const out = button('Log out', () => detach('logging out', leave()), 'secondary');
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
  nav.root.replaceChildren(el('div', { className: 'lobby-layout' }, card, board.element));
  find.focus();

  let disposed = false;
  me(session)
    .then(
      (p) => {
        if (disposed) return;
        const fresh = statsList(p);
        stats.replaceWith(fresh);
        stats = fresh;
      },
      (e: unknown) => {
        if (disposed) return;
        // Only an ended session leaves the lobby: showing the lobby again would ask again, at
        // once, and keep asking for as long as the server refuses.
        const signedOut = signedOutBy(e);
        if (signedOut) nav.go(signedOut);
        else status.textContent = `Your record is not available (${sentence(e)})`;
      },
    )
    .catch(logFailure('showing the profile'));
  return {
    dispose() {
      disposed = true;
      board.dispose();
    },
  };
}

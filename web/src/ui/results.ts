// After the match: who won, the scores and the time, then straight into the next match or
// back to the lobby.
import type { Nav, RouteOf, Screen } from '../nav.js';
import { button, clock, el } from './dom.js';

const REASONS: Record<string, string> = {
  timeout: 'You went silent for too long and the match was given to your opponent.',
  admin_ended: 'An administrator ended the match.',
};

export function resultsScreen(nav: Nav, { result: r }: RouteOf<'results'>): Screen {
  const verdict = r.winnerSlot === -1 ? 'Draw' : r.winnerSlot === r.you ? 'You win!' : 'You lose';
  const tone = r.winnerSlot === -1 ? 'draw' : r.winnerSlot === r.you ? 'win' : 'lose';
  const row = (slot: 0 | 1) =>
    el(
      'tr',
      { className: `p${slot}${slot === r.you ? ' me' : ''}` },
      el('th', { scope: 'row' }, r.names[slot]),
      el('td', {}, String(r.scores[slot])),
    );
  const why = REASONS[r.reason];
  const again = button('Play again', () => nav.go({ name: 'waiting' }), 'primary big');
  nav.root.replaceChildren(
    el(
      'section',
      { className: `card results ${tone}`, ariaLabel: 'Results' },
      el('h1', { className: 'verdict', role: 'status' }, verdict),
      ...(why ? [el('p', { className: 'tagline' }, why)] : []),
      el('p', { className: 'match-time' }, `Match time ${clock(r.seconds)}`),
      el(
        'table',
        { className: 'scores' },
        el(
          'thead',
          {},
          el('tr', {}, el('th', { scope: 'col' }, 'Pilot'), el('th', { scope: 'col' }, 'Score')),
        ),
        el('tbody', {}, row(0), row(1)),
      ),
      el(
        'div',
        { className: 'row' },
        again,
        button('Lobby', () => nav.go({ name: 'lobby' }), 'secondary'),
      ),
    ),
  );
  again.focus();
  return { dispose: () => undefined };
}

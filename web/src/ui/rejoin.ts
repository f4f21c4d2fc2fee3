// Back to the match this tab was playing when it was reloaded: while the server holds the
// seat (RECONNECT_GRACE_MS), a new link takes it again and the match screen carries on.
import { rememberMatch } from '../api.js';
import { logFailure } from '../log.js';
import { routeForFailedRejoin } from '../match-end.js';
import type { Nav, RouteOf, Screen } from '../nav.js';
import { rejoinMatch } from '../net/matchmaking.js';
import { button, el } from './dom.js';

export function rejoinScreen(nav: Nav, { match }: RouteOf<'rejoin'>): Screen {
  const abort = new AbortController();
  const giveUp = button(
    'Lobby',
    () => {
      abort.abort(new Error('gave up rejoining'));
      rememberMatch(null);
      nav.go({ name: 'lobby' });
    },
    'secondary',
  );
  nav.root.replaceChildren(
    el(
      'section',
      { className: 'card waiting', ariaLabel: 'Rejoining' },
      el('div', { className: 'radar', ariaHidden: 'true' }, el('span'), el('span'), el('span')),
      el(
        'h1',
        { className: 'waiting-title', role: 'status' },
        `Rejoining your match against ${match.opponent}…`,
      ),
      giveUp,
    ),
  );

  rejoinMatch(nav.session, match.matchId, abort.signal)
    .then(
      (link) => {
        if (abort.signal.aborted) return link.close();
        nav.go({
          name: 'match',
          matched: { link, matchId: match.matchId, opponent: match.opponent },
        });
      },
      (e: unknown) => {
        if (abort.signal.aborted) return;
        rememberMatch(null);
        nav.go(routeForFailedRejoin(e));
      },
    )
    .catch(logFailure('rejoining the match'));

  return {
    dispose() {
      if (!abort.signal.aborted) abort.abort(new Error('left the rejoin screen'));
    },
  };
}

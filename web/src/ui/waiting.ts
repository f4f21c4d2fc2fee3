// The waiting room: queued until a second player comes, with the time waited and a way out.
import { api, cancelOnExit, rememberTicket } from '../api.js';
import { detach, logFailure } from '../log.js';
import { routeForError, type Nav, type Screen } from '../nav.js';
import { findMatch } from '../net/matchmaking.js';
import { button, clock, el, statusLine } from './dom.js';

export function waitingScreen(nav: Nav): Screen {
  const session = nav.session;
  const abort = new AbortController();
  const started = performance.now();
  let ticketId: string | undefined;

  const elapsed = el('p', { className: 'elapsed', ariaLabel: 'Time waited' }, '0:00');
  const status = statusLine('', 'info');
  status.textContent = 'Looking for a game server…';
  const cancel = button(
    'Cancel',
    () => {
      const id = ticketId;
      abort.abort(new Error('cancelled'));
      if (id) {
        rememberTicket(null);
        detach('cancelling the ticket', api.cancelMatch(session.accessToken, id));
      }
      nav.go({ name: 'lobby' });
    },
    'secondary',
  );
  nav.root.replaceChildren(
    el(
      'section',
      { className: 'card waiting', ariaLabel: 'Waiting room' },
      el('div', { className: 'radar', ariaHidden: 'true' }, el('span'), el('span'), el('span')),
      el('h1', { className: 'waiting-title', role: 'status' }, 'Waiting for an opponent…'),
      elapsed,
      status,
      cancel,
    ),
  );
  cancel.focus();

  const tick = setInterval(() => {
    elapsed.textContent = clock((performance.now() - started) / 1000);
  }, 250);
  // Closing the tab while queued must not leave a ticket that pairs someone with nobody.
  const onExit = () => ticketId && cancelOnExit(session, ticketId);
  addEventListener('pagehide', onExit);

  findMatch(session, abort.signal, {
    onTicket(id) {
      ticketId = id;
    },
    onWaiting() {
      status.textContent = 'In the queue.';
    },
  })
    .then(
      (matched) => {
        ticketId = undefined;
        // Cancelled just as the match was made: the player has already left for the lobby.
        if (abort.signal.aborted) return matched.link.close();
        nav.go({ name: 'match', matched });
      },
      (e: unknown) => {
        if (!abort.signal.aborted) nav.go(routeForError(e));
      },
    )
    .catch(logFailure('finding a match'));

  return {
    dispose() {
      clearInterval(tick);
      removeEventListener('pagehide', onExit);
      if (!abort.signal.aborted) abort.abort(new Error('left the waiting room'));
    },
  };
}

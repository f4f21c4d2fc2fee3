// The waiting room: queued until a second player comes, with the time waited and a way out.
import { api, cancelOnExit, rememberTicket } from '../api.js';
import type { App, Screen } from '../app.js';
import { findMatch } from '../net/matchmaking.js';
import { button, clock, el, statusLine } from './dom.js';

export function waitingScreen(app: App): Screen {
  const session = app.session;
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
        void api.cancelMatch(session.accessToken, id).catch(() => undefined);
      }
      app.lobby();
    },
    'secondary',
  );
  app.root.replaceChildren(
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
  }).then(
    (matched) => {
      ticketId = undefined;
      app.game(matched);
    },
    (e: unknown) => {
      if (!abort.signal.aborted) app.fail(e);
    },
  );

  return {
    dispose() {
      clearInterval(tick);
      removeEventListener('pagehide', onExit);
      if (!abort.signal.aborted) abort.abort(new Error('left the waiting room'));
    },
  };
}

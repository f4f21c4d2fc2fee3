// Busy or idle, in the player item: the signalling service records each ticket that keeps a
// session busy, so a login on any node takes over only an idle session (DESIGN.md, Sessions).
import { AppError } from '../errors.js';
import type { Caller, PlayState } from '../signalling/service.js';
import type { PlayerRepository } from './repository.js';

export function playStateIn(
  players: Pick<PlayerRepository, 'markQueued' | 'markIdle' | 'wasReplaced'>,
  now: () => number,
): PlayState {
  return {
    async queued(caller: Caller, ticketId: string) {
      // Without a session id (a caller not from the REST route) there is nothing to bind to.
      if (!caller.sessionJti) return;
      if (await players.markQueued(caller.username, caller.sessionJti, ticketId, now())) return;
      // Taken over (or ended) between the token check and now: the ticket is not queued.
      const replaced = await players.wasReplaced(caller.username, { jti: caller.sessionJti });
      throw new AppError(replaced ? 'session_replaced' : 'unauthorized');
    },
    idle: (username, ticketId) => players.markIdle(username, ticketId),
  };
}

// Where the end of a match leaves the player: the results, the lobby told why, or (the server
// stopping) the connect screen. Pure, so each ending is unit tested.
import type { MatchEndInfo } from '../../shared/src/net/game-view.js';
import { isCode } from './api.js';
import { routeForError, type Result, type Route } from './nav.js';

export type MatchEnd = Extract<MatchEndInfo, { kind: 'match_end' }>;

/** Endings that have no result to show: the player goes back to the lobby and is told why. */
const BACK_TO_LOBBY: Record<string, string> = {
  opponent_left: 'Your opponent left the match.',
  connect_timeout: 'The players could not both connect. Try again.',
  server_error: 'The game server failed. Try again.',
  server_lost: 'Lost the connection to the game server. Find a match to play again.',
};

/** Where a rejoin that failed leaves the player: a seat that is gone is the lobby, told so. */
export const routeForFailedRejoin = (e: unknown): Route =>
  isCode(e, 'not_found')
    ? { name: 'lobby', notice: 'The match ended while you were away.' }
    : routeForError(e);

/** `resultOf` is asked only when there are results to show (it reads the final snapshot). */
export function routeForMatchEnd(info: MatchEndInfo, resultOf: (end: MatchEnd) => Result): Route {
  const why = info.kind === 'match_end' ? info.reason : info.kind;
  if (why === 'server_stopping') return { name: 'connect', reason: 'server_stopping' };
  if (info.kind === 'error') {
    return { name: 'lobby', notice: `The game server closed the match (${info.code}).` };
  }
  const notice = BACK_TO_LOBBY[why];
  if (notice || info.kind !== 'match_end') return { name: 'lobby', notice };
  return { name: 'results', result: resultOf(info) };
}

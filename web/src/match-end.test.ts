// Each way a match can end, and the screen the player sees next.
import { describe, expect, it } from 'vitest';
import type { MatchEndInfo } from '../../shared/src/net/game-view.js';
import { routeForMatchEnd, type MatchEnd } from './match-end.js';
import type { Result } from './nav.js';

const resultOf = (end: MatchEnd): Result => ({
  you: 0,
  names: ['ann', 'bob'],
  scores: [3, 1],
  winnerSlot: end.winnerSlot,
  reason: end.reason,
  seconds: 60,
});
const ended = (reason: string, winnerSlot: 0 | 1 | -1 = 0): MatchEndInfo => ({
  kind: 'match_end',
  reason,
  winnerSlot,
});

describe('routeForMatchEnd', () => {
  it.each(['ended', 'timeout', 'admin_ended'])('a match that %s shows the results', (reason) => {
    expect(routeForMatchEnd(ended(reason, 1), resultOf)).toEqual({
      name: 'results',
      result: { you: 0, names: ['ann', 'bob'], scores: [3, 1], winnerSlot: 1, reason, seconds: 60 },
    });
  });

  it.each<[string, MatchEndInfo, string]>([
    ['an opponent who left', { kind: 'opponent_left' }, 'Your opponent left the match.'],
    ['opponent_left as a reason', ended('opponent_left'), 'Your opponent left the match.'],
    [
      'players that never both connected',
      ended('connect_timeout'),
      'The players could not both connect. Try again.',
    ],
    ['a failed game server', ended('server_error'), 'The game server failed. Try again.'],
    [
      'a game server gone silent',
      { kind: 'server_lost' },
      'Lost the connection to the game server. Find a match to play again.',
    ],
    [
      'a session error from the server',
      { kind: 'error', code: 'unexpected_message' },
      'The game server closed the match (unexpected_message).',
    ],
  ])('%s goes back to the lobby, told why', (_what, info, notice) => {
    expect(routeForMatchEnd(info, resultOf)).toEqual({ name: 'lobby', notice });
  });

  it.each<MatchEndInfo>([{ kind: 'server_stopping' }, ended('server_stopping', -1)])(
    'a server stop (%o) shows the connect screen',
    (info) => {
      expect(routeForMatchEnd(info, resultOf)).toEqual({
        name: 'connect',
        reason: 'server_stopping',
      });
    },
  );

  it('asks for the result only when there are results to show', () => {
    let asked = 0;
    const counting = (end: MatchEnd) => (asked++, resultOf(end));
    routeForMatchEnd({ kind: 'opponent_left' }, counting);
    routeForMatchEnd({ kind: 'server_stopping' }, counting);
    expect(asked).toBe(0);
    routeForMatchEnd(ended('ended'), counting);
    expect(asked).toBe(1);
  });
});

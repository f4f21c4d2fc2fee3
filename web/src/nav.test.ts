// Where an error leaves the player, and the sentence each way out of a session shows.
import { describe, expect, it } from 'vitest';
import { ApiError } from './api.js';
import { routeForError, SIGNED_OUT, signedOutBy } from './nav.js';

describe('routeForError', () => {
  it.each([
    ['unauthorized', 'session_ended'],
    ['server_stopping', 'server_stopping'],
    ['unreachable', 'unreachable'],
  ] as const)('%s sends the player to the connect screen (%s)', (code, reason) => {
    expect(routeForError(new ApiError(0, code, ''))).toEqual({ name: 'connect', reason });
  });

  it('any other refusal goes back to the lobby, told why in a sentence', () => {
    const e = new ApiError(503, 'match_unavailable', 'The game server could not host the match.');
    expect(routeForError(e)).toEqual({
      name: 'lobby',
      notice: 'No game server could host the match. Try again.',
    });
  });

  it('a failure that is not the API still leaves the player in the lobby with a sentence', () => {
    expect(routeForError(new Error('boom'))).toEqual({
      name: 'lobby',
      notice: 'Something went wrong.',
    });
  });
});

describe('the connect screen says why the session ended', () => {
  it.each([
    ['logged_out', 'You are logged out.'],
    ['session_ended', 'Your session has ended. Log in again.'],
    ['server_stopping', 'The server is stopping.'],
    ['unreachable', 'The server cannot be reached.'],
  ] as const)('%s: "%s"', (reason, notice) => {
    expect(SIGNED_OUT[reason].notice).toBe(notice);
  });
});

describe('signedOutBy', () => {
  it('names the connect route for an ended session, and nothing for a passing refusal', () => {
    expect(signedOutBy(new ApiError(401, 'unauthorized', ''))).toEqual({
      name: 'connect',
      reason: 'session_ended',
    });
    // A busy server is no reason to leave the lobby (and open it again, and ask again).
    expect(signedOutBy(new ApiError(429, 'rate_limited', ''))).toBeUndefined();
    expect(signedOutBy(new ApiError(503, 'service_unavailable', ''))).toBeUndefined();
  });
});

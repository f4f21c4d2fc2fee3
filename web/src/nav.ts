// Where the player can be (a Route) and what a screen may use (a Nav). This module imports no
// screen: app.ts alone maps routes to screens, so no screen depends on another or on the app.
import { isCode, sentence, type RememberedMatch, type Session } from './api.js';
import type { Matched } from './net/matchmaking.js';

/** What the results screen shows: who won, the scores and the match time. */
export interface Result {
  you: 0 | 1;
  names: readonly [string, string];
  scores: readonly [number, number];
  winnerSlot: 0 | 1 | -1;
  /** The server's end reason (ended, timeout, admin_ended, …). */
  reason: string;
  seconds: number;
}

/** Why the player is back at the connect screen; each reason has its sentence below. */
export type SignedOut =
  'logged_out' | 'session_ended' | 'replaced' | 'server_stopping' | 'unreachable';

export type Route =
  /** The login form; without a reason it is the first visit. */
  | { name: 'connect'; reason?: SignedOut }
  /** The lobby, with news (an opponent who left, a failed queue); `session` signs in first. */
  | { name: 'lobby'; notice?: string; session?: Session }
  | { name: 'waiting' }
  /** Back to a match this tab was playing (a reload); `session` signs in first. */
  | { name: 'rejoin'; match: RememberedMatch; session?: Session }
  | { name: 'match'; matched: Matched }
  | { name: 'results'; result: Result };

export type RouteName = Route['name'];
export type RouteOf<N extends RouteName> = Extract<Route, { name: N }>;

/** What a screen is given: where to draw, who is playing, and the way to another screen. */
export interface Nav {
  readonly root: HTMLElement;
  /** The signed-in player; reading it on the connect screen is a bug and throws. */
  readonly session: Session;
  /** Disposes the current screen and shows the route's screen. */
  go(route: Route): void;
}

/** A shown screen: disposing it stops its timers, streams and peer connection. */
export interface Screen {
  dispose(): void;
}

export type ScreenFactory<N extends RouteName> = (nav: Nav, route: RouteOf<N>) => Screen;
export type ScreenTable = { [N in RouteName]: ScreenFactory<N> };

interface SignOut {
  notice: string;
  /** The tab forgets its session (the server ended it), so Reconnect is not offered. */
  forget: boolean;
}

export const SIGNED_OUT: Record<SignedOut, SignOut> = {
  logged_out: { notice: 'You are logged out.', forget: true },
  session_ended: { notice: 'Your session has ended. Log in again.', forget: true },
  // A login elsewhere took the idle session over (401 session_replaced).
  replaced: { notice: 'This account signed in elsewhere.', forget: true },
  server_stopping: { notice: 'The server is stopping.', forget: true },
  // The server may come back: the tab keeps its session to reconnect with.
  unreachable: { notice: 'The server cannot be reached.', forget: false },
};

/** The connect screen, when the error means the session is over (or the server is gone). */
export function signedOutBy(e: unknown): RouteOf<'connect'> | undefined {
  if (isCode(e, 'unauthorized')) return { name: 'connect', reason: 'session_ended' };
  if (isCode(e, 'session_replaced')) return { name: 'connect', reason: 'replaced' };
  if (isCode(e, 'server_stopping')) return { name: 'connect', reason: 'server_stopping' };
  if (isCode(e, 'unreachable')) return { name: 'connect', reason: 'unreachable' };
  return undefined;
}

/**
 * Where an error leaves the player: the connect screen when the server is gone, stopping,
 * or has ended the session; otherwise the lobby, with the error as a sentence.
 */
export const routeForError = (e: unknown): Route =>
  signedOutBy(e) ?? { name: 'lobby', notice: sentence(e) };

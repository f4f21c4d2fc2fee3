// The browser's session on top of the shared API client: the refresh token lives in an
// HttpOnly cookie the page never sees (so any tab of this browser resumes the session), the
// access token only in memory; calls are retried once with a refreshed token, tabs share a
// refreshed token over a BroadcastChannel, and each error code is turned into a sentence.
import {
  ApiClient,
  ApiError,
  type LeaderboardPage,
  type Profile,
} from '../../shared/src/net/api-client.js';
import { detach, logFailure } from './log.js';

export type { LeaderboardPage };

export { ApiError };
export const api = new ApiClient();
/** The same API with `keepalive` requests, which outlive the page (cancel on close). */
const lastGasp = new ApiClient('', (input, init) => fetch(input, { ...init, keepalive: true }));

export interface Session {
  username: string;
  /** In memory only; replaced in place on refresh (by this tab or another). */
  accessToken: string;
}

const SENTENCES: Record<string, string> = {
  username_taken: 'That name is taken. Try another.',
  unknown_user: 'No account has that name. Sign up first?',
  wrong_password: 'Wrong password.',
  invalid_credentials: 'Wrong name or password.',
  already_logged_in: 'This account is already playing somewhere else.',
  rate_limited: 'Too many attempts. Wait a minute and try again.',
  weak_password: 'The password needs at least 8 characters.',
  invalid_input: 'A name is 3–20 letters, digits, _ or -, and a password at least 8 characters.',
  unreachable: 'The server cannot be reached.',
  unauthorized: 'Your session has ended. Log in again.',
  session_replaced: 'This account signed in elsewhere.',
  already_queued: 'You are already waiting for a match or playing one.',
  match_unavailable: 'No game server could host the match. Try again.',
  matchmaking_unavailable: 'Matchmaking is briefly unavailable. Try again in a few seconds.',
  server_stopping: 'The server is stopping.',
  connect_failed: 'Could not connect to the game server. Try again.',
  // A 5xx, or an answer that is not the API's JSON (a proxy's error page): the code is `internal`.
  internal: 'Something went wrong on the server. Try again.',
  service_unavailable: 'The server is having trouble. Try again in a moment.',
};

/** What the player reads for an error: a known code's sentence, else the server's message. */
export const sentence = (e: unknown): string =>
  e instanceof ApiError ? (SENTENCES[e.code] ?? e.message) : 'Something went wrong.';

export const isCode = (e: unknown, code: string): boolean =>
  e instanceof ApiError && e.code === code;

const TICKET_KEY = 'duel.ticket';
const MATCH_KEY = 'duel.match';

/** The session this tab holds, if any: one per tab, shared by every screen. */
let current: Session | null = null;

// Tabs of one browser share one session (one cookie): a token one tab refreshed is the
// session's only valid one, so the others take it instead of refreshing it away in turn.
const tabs = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel('duel.session');
if (tabs) {
  tabs.onmessage = (ev: MessageEvent<unknown>) => {
    const m = ev.data as Partial<Session> | null;
    if (current && m && m.username === current.username && typeof m.accessToken === 'string')
      current.accessToken = m.accessToken;
  };
}
const share = (s: Session) =>
  tabs?.postMessage({ username: s.username, accessToken: s.accessToken });

export async function login(username: string, password: string): Promise<Session> {
  const t = await api.login(username, password);
  current = { username: t.username, accessToken: t.accessToken };
  share(current);
  return current;
}

/**
 * The browser's session from its cookie, after a reload, a new tab or a browser restart:
 * null when there is none to resume (never logged in, logged out, or the session ended).
 */
export async function resume(): Promise<Session | null> {
  try {
    const t = await api.resume();
    current = { username: t.username, accessToken: t.accessToken };
    share(current);
    return current;
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 403)) return null;
    throw e;
  }
}

/** A fresh access token for `s` from the cookie; the cookie must still be this player's. */
async function refresh(s: Session): Promise<void> {
  const t = await api.resume();
  // Another account logged in in this browser since: this tab's session is over.
  if (t.username !== s.username) throw new ApiError(401, 'unauthorized', 'Signed in as another.');
  s.accessToken = t.accessToken;
  share(s);
}

/**
 * Runs an authenticated call, refreshing the access token once if it was refused (it expired,
 * or another tab refreshed it). A token another tab already replaced is simply used.
 */
export async function authed<T>(s: Session, call: (token: string) => Promise<T>): Promise<T> {
  const used = s.accessToken;
  try {
    return await call(used);
  } catch (e) {
    if (!isCode(e, 'unauthorized')) throw e;
    if (s.accessToken === used) await refresh(s);
    return call(s.accessToken);
  }
}

/** GET /api/me: the profile (and a renewal of the session's lease). */
export const me = (s: Session): Promise<Profile> => authed(s, (t) => api.me(t));

/**
 * Holds the session's presence stream open (the server renews the lease meanwhile) until the
 * stream ends. Resolves when it ended and may simply be opened again (dropped, or its token
 * was refreshed away); rejects when the session is over (session_replaced, or unauthorized
 * after a refused refresh) or the server cannot be reached.
 */
export async function holdPresence(s: Session, signal: AbortSignal): Promise<void> {
  const stream = await authed(s, async (token) => {
    const events = api.presence(token, signal)[Symbol.asyncIterator]();
    const first = await events.next();
    if (first.done) throw new ApiError(0, 'unreachable', 'The presence stream ended.');
    if (first.value.type === 'ended') throw new ApiError(401, first.value.code, 'Session over.');
    return events;
  });
  for (let r = await stream.next(); !r.done; r = await stream.next()) {
    if (r.value.type === 'ended' && r.value.code === 'session_replaced')
      throw new ApiError(401, 'session_replaced', 'This account signed in elsewhere.');
  }
}

export async function logout(s: Session): Promise<void> {
  forget();
  // Logged out here whatever the server says; a refused logout is only worth a log line.
  // The answer also clears the cookie, so no tab of this browser resumes the session.
  await api.logout(s.accessToken).catch(logFailure('logging out on the server'));
}

/** Forgets the tab's session without telling the server (it already ended it). */
export const forget = () => void (current = null);

// The live ticket is remembered for the tab: after a reload, a refused `409 already_queued`
// can then cancel the ticket this tab left behind and queue again.
export const rememberTicket = (id: string | null) =>
  id ? sessionStorage.setItem(TICKET_KEY, id) : sessionStorage.removeItem(TICKET_KEY);
export const rememberedTicket = () => sessionStorage.getItem(TICKET_KEY);

/** The match this tab is playing: a reload rejoins it while the server holds the seat. */
export interface RememberedMatch {
  /** Whose seat it is: another account signed in to this browser since has no seat there. */
  username: string;
  matchId: string;
  opponent: string;
}

// Per tab, like the ticket: a reload of this tab returns to its match, another tab does not.
export const rememberMatch = (m: RememberedMatch | null) =>
  m ? sessionStorage.setItem(MATCH_KEY, JSON.stringify(m)) : sessionStorage.removeItem(MATCH_KEY);

export function rememberedMatch(): RememberedMatch | null {
  try {
    const m = JSON.parse(sessionStorage.getItem(MATCH_KEY) ?? 'null') as Partial<RememberedMatch>;
    const { username, matchId, opponent } = m ?? {};
    if (typeof username === 'string' && typeof matchId === 'string' && typeof opponent === 'string')
      return { username, matchId, opponent };
  } catch {
    // Not ours (edited by hand): no match to return to.
  }
  return null;
}

/** Cancels a ticket with a request that survives the page being closed. */
export const cancelOnExit = (s: Session, ticketId: string) =>
  detach('cancelling the ticket on exit', lastGasp.cancelMatch(s.accessToken, ticketId));

/** GET /api/leaderboard?page&size (public), through the shared client. */
export const leaderboard = (page: number, size: number) => api.leaderboard(page, size);

// The browser's session on top of the shared API client: tokens kept for the tab (so a reload
// stays logged in), calls retried once with a refreshed token, and each error code turned
// into a plain sentence.
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
  accessToken: string;
  refreshToken: string;
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

const KEY = 'duel.session';
const TICKET_KEY = 'duel.ticket';

const isSession = (v: unknown): v is Session =>
  typeof v === 'object' &&
  v !== null &&
  ['username', 'accessToken', 'refreshToken'].every(
    (k) => typeof (v as Record<string, unknown>)[k] === 'string',
  );

/** The tab's saved session; one that cannot be read (damaged, an older shape) is dropped. */
export const savedSession = (): Session | null => {
  const raw = sessionStorage.getItem(KEY);
  if (!raw) return null;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (isSession(parsed)) return parsed;
  } catch {
    // not JSON: dropped below, like any other unreadable value
  }
  sessionStorage.removeItem(KEY);
  return null;
};
const save = (s: Session | null) =>
  s ? sessionStorage.setItem(KEY, JSON.stringify(s)) : sessionStorage.removeItem(KEY);

export async function login(username: string, password: string): Promise<Session> {
  const t = await api.login(username, password);
  const session = {
    username: t.username,
    accessToken: t.accessToken,
    refreshToken: t.refreshToken,
  };
  save(session);
  return session;
}

/**
 * Runs an authenticated call, refreshing the access token once if it was refused (after a
 * reload the saved access token may have expired). A refused refresh ends the session.
 */
export async function authed<T>(s: Session, call: (token: string) => Promise<T>): Promise<T> {
  try {
    return await call(s.accessToken);
  } catch (e) {
    if (!isCode(e, 'unauthorized')) throw e;
    const fresh = await api.refresh(s.username, s.refreshToken).catch((err: unknown) => {
      if (err instanceof ApiError && err.status === 401) save(null);
      throw err;
    });
    s.accessToken = fresh.accessToken;
    save(s);
    return call(s.accessToken);
  }
}

/** GET /api/me: the profile, and a renewal of the session's lease. */
export const me = (s: Session): Promise<Profile> => authed(s, (t) => api.me(t));

export async function logout(s: Session): Promise<void> {
  save(null);
  // Logged out here whatever the server says; a refused logout is only worth a log line.
  await api.logout(s.accessToken).catch(logFailure('logging out on the server'));
}

/** Forgets the session without telling the server (it already ended it). */
export const forget = () => save(null);

// The live ticket is remembered for the tab: after a reload, a refused `409 already_queued`
// can then cancel the ticket this tab left behind and queue again.
export const rememberTicket = (id: string | null) =>
  id ? sessionStorage.setItem(TICKET_KEY, id) : sessionStorage.removeItem(TICKET_KEY);
export const rememberedTicket = () => sessionStorage.getItem(TICKET_KEY);

/** Cancels a ticket with a request that survives the page being closed. */
export const cancelOnExit = (s: Session, ticketId: string) =>
  detach('cancelling the ticket on exit', lastGasp.cancelMatch(s.accessToken, ticketId));

/** GET /api/leaderboard?page&size (public), through the shared client. */
export const leaderboard = (page: number, size: number) => api.leaderboard(page, size);

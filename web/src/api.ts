// The browser's session on top of the shared API client: tokens kept for the tab, and each
// error code turned into a plain sentence.
import { ApiClient, ApiError, type Profile } from '../../shared/src/net/api-client.js';

export { ApiError };
export const api = new ApiClient();

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
  invalid_input: 'A name is 3–20 letters, digits, _ or -.',
  unreachable: 'The server cannot be reached.',
};

export const sentence = (e: unknown) =>
  e instanceof ApiError ? (SENTENCES[e.code] ?? e.message) : 'Something went wrong.';

const KEY = 'duel.session';

export const savedSession = (): Session | null => {
  const raw = sessionStorage.getItem(KEY);
  return raw ? (JSON.parse(raw) as Session) : null;
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

/** GET /api/me, refreshing the access token once if it was refused (e.g. after a reload). */
export async function me(s: Session): Promise<Profile> {
  try {
    return await api.me(s.accessToken);
  } catch (e) {
    if (!(e instanceof ApiError) || e.code !== 'unauthorized') throw e;
    const fresh = await api.refresh(s.username, s.refreshToken).catch((err: unknown) => {
      save(null);
      throw err;
    });
    s.accessToken = fresh.accessToken;
    save(s);
    return api.me(s.accessToken);
  }
}

export async function logout(s: Session): Promise<void> {
  save(null);
  await api.logout(s.accessToken).catch(() => undefined);
}

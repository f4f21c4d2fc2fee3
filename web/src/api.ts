// The REST API as the browser sees it: tokens kept for the session, errors as plain sentences.

export interface Session {
  username: string;
  accessToken: string;
  refreshToken: string;
}

export interface Me {
  username: string;
  timePlayed: number;
  wins: number;
  losses: number;
  draws: number;
  shotsFired: number;
  matchesPlayed: number;
}

const SENTENCES: Record<string, string> = {
  username_taken: 'That name is taken. Try another.',
  unknown_user: 'No account has that name. Sign up first?',
  wrong_password: 'Wrong password.',
  invalid_credentials: 'Wrong name or password.',
  already_logged_in: 'This account is already playing somewhere else.',
  rate_limited: 'Too many attempts. Wait a minute and try again.',
  weak_password: 'The password needs at least 8 characters.',
};

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(SENTENCES[code] ?? message);
  }
}

const KEY = 'duel.session';

export const savedSession = (): Session | null => {
  const raw = sessionStorage.getItem(KEY);
  return raw ? (JSON.parse(raw) as Session) : null;
};
const save = (s: Session | null) =>
  s ? sessionStorage.setItem(KEY, JSON.stringify(s)) : sessionStorage.removeItem(KEY);

async function call<T>(path: string, init: RequestInit & { token?: string } = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      ...init,
      headers: {
        'content-type': 'application/json',
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      },
    });
  } catch {
    throw new ApiError('unreachable', 'The server cannot be reached.');
  }
  if (res.status === 204) return undefined as T;
  const body = (await res.json().catch(() => ({}))) as {
    error?: { code: string; message: string };
  };
  if (!res.ok)
    throw new ApiError(body.error?.code ?? 'internal', body.error?.message ?? `HTTP ${res.status}`);
  return body as T;
}

export async function signup(username: string, password: string): Promise<void> {
  await call('/api/auth/signup', { method: 'POST', body: JSON.stringify({ username, password }) });
}

export async function login(username: string, password: string): Promise<Session> {
  const s = await call<Session>('/api/auth/login', {
    method: 'POST',
    body: JSON.stringify({ username, password }),
  });
  const session = {
    username: s.username,
    accessToken: s.accessToken,
    refreshToken: s.refreshToken,
  };
  save(session);
  return session;
}

/** GET /api/me, refreshing the access token once if it was refused. */
export async function me(s: Session): Promise<Me> {
  try {
    return await call<Me>('/api/me', { token: s.accessToken });
  } catch (e) {
    if (!(e instanceof ApiError) || e.code !== 'unauthorized') throw e;
    const fresh = await call<{ accessToken: string }>('/api/auth/refresh', {
      method: 'POST',
      body: JSON.stringify({ username: s.username, refreshToken: s.refreshToken }),
    }).catch((err: unknown) => {
      save(null);
      throw err;
    });
    s.accessToken = fresh.accessToken;
    save(s);
    return call<Me>('/api/me', { token: s.accessToken });
  }
}

export async function logout(s: Session): Promise<void> {
  save(null);
  await call('/api/auth/logout', { method: 'POST', token: s.accessToken }).catch(() => undefined);
}

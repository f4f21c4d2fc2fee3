// A tab's session across an expired access token: one refresh and a retry, or, when the
// refresh is refused too, a session forgotten so the connect screen comes back.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, authed, savedSession, login, type Session } from './api.js';
import { routeForError } from './nav.js';

/** sessionStorage as the tab has it: strings by key. */
function memoryStorage(): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> {
  const items = new Map<string, string>();
  return {
    getItem: (k) => items.get(k) ?? null,
    setItem: (k, v) => void items.set(k, v),
    removeItem: (k) => void items.delete(k),
  };
}

const expired = () => Promise.reject(new ApiError(401, 'unauthorized', 'expired'));
const tokens = {
  username: 'pilot',
  accessToken: 'a1',
  idToken: 'i1',
  refreshToken: 'r1',
  expiresIn: 3600,
};

/** The server: logins and refreshes answered by `refresh`, everything recorded. */
function server(refresh: () => Response) {
  const paths: string[] = [];
  vi.stubGlobal('fetch', (input: string) => {
    paths.push(input);
    return Promise.resolve(input.endsWith('/refresh') ? refresh() : Response.json(tokens));
  });
  return paths;
}

async function loggedIn(): Promise<Session> {
  return login('pilot', 'password1');
}

describe('authed calls', () => {
  beforeEach(() => vi.stubGlobal('sessionStorage', memoryStorage()));
  afterEach(() => vi.unstubAllGlobals());

  it('an expired access token is refreshed once, the call retried and the tab remembers it', async () => {
    server(() => Response.json({ ...tokens, accessToken: 'a2' }));
    const session = await loggedIn();
    const used: string[] = [];
    const answer = await authed(session, (token) => {
      used.push(token);
      return token === 'a1' ? expired() : Promise.resolve('profile');
    });
    expect(answer).toBe('profile');
    expect(used).toEqual(['a1', 'a2']);
    expect(savedSession()?.accessToken).toBe('a2');
  });

  it('a refused refresh forgets the session and leaves the player at the connect screen', async () => {
    server(() =>
      Response.json({ error: { code: 'unauthorized', message: 'revoked' } }, { status: 401 }),
    );
    const session = await loggedIn();
    expect(savedSession()).not.toBeNull();
    const error = await authed(session, expired).catch((e: unknown) => e);
    expect(savedSession()).toBeNull();
    expect(routeForError(error)).toEqual({ name: 'connect', reason: 'session_ended' });
  });

  it('a refresh that cannot reach the server keeps the session to reconnect with', async () => {
    const paths = server(() => {
      throw new TypeError('Failed to fetch');
    });
    const session = await loggedIn();
    const error = await authed(session, expired).catch((e: unknown) => e);
    expect(paths.at(-1)).toBe('/api/auth/refresh');
    expect(savedSession()?.username).toBe('pilot');
    expect(routeForError(error)).toEqual({ name: 'connect', reason: 'unreachable' });
  });

  it('a refusal other than unauthorized is not retried', async () => {
    const paths = server(() => Response.json(tokens));
    const session = await loggedIn();
    let calls = 0;
    const error = await authed(session, () => {
      calls++;
      return Promise.reject(new ApiError(409, 'already_queued', 'queued'));
    }).catch((e: unknown) => e);
    expect(calls).toBe(1);
    expect(paths).not.toContain('/api/auth/refresh');
    expect(routeForError(error)).toMatchObject({ name: 'lobby' });
  });
});

describe('the saved session', () => {
  afterEach(() => vi.unstubAllGlobals());

  it.each(['{not json', '{"username":"pilot"}', 'null', '42'])(
    'an unreadable value (%s) is dropped, so a reload shows the connect screen',
    (raw) => {
      const storage = memoryStorage();
      storage.setItem('duel.session', raw);
      vi.stubGlobal('sessionStorage', storage);
      expect(savedSession()).toBeNull();
      expect(storage.getItem('duel.session')).toBeNull();
    },
  );
});

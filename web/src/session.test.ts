// A tab's session across an expired access token: one refresh through the browser's cookie
// and a retry, or, when the refresh is refused too, the connect screen with why.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, authed, login, resume, type Session } from './api.js';
import { routeForError } from './nav.js';

const expired = () => Promise.reject(new ApiError(401, 'unauthorized', 'expired'));
const tokens = {
  username: 'pilot',
  accessToken: 'a1',
  idToken: 'i1',
  refreshToken: 'r1',
  expiresIn: 3600,
};

/** The server: logins answered with `tokens`, refreshes by `refresh`, every request recorded. */
function server(refresh: () => Response) {
  const asked: { path: string; init: RequestInit | undefined }[] = [];
  vi.stubGlobal('fetch', (input: string, init?: RequestInit) => {
    asked.push({ path: input, init });
    return Promise.resolve(input.endsWith('/refresh') ? refresh() : Response.json(tokens));
  });
  return asked;
}

const refused = (code: string) => () =>
  Response.json({ error: { code, message: 'no' } }, { status: 401 });

describe('authed calls', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('an expired access token is refreshed once by cookie (no token in the page) and the call retried', async () => {
    const asked = server(() => Response.json({ ...tokens, accessToken: 'a2' }));
    const session = await login('pilot', 'password1');
    expect(session).toEqual({ username: 'pilot', accessToken: 'a1' }); // no refresh token kept
    const used: string[] = [];
    const answer = await authed(session, (token) => {
      used.push(token);
      return token === 'a1' ? expired() : Promise.resolve('profile');
    });
    expect(answer).toBe('profile');
    expect(used).toEqual(['a1', 'a2']);
    const refresh = asked.find((a) => a.path === '/api/auth/refresh');
    expect(refresh?.init?.body).toBeUndefined();
    expect(refresh?.init?.credentials).toBe('same-origin');
  });

  it('a token another tab refreshed meanwhile is used as it is, with no second refresh', async () => {
    const asked = server(() => Response.json({ ...tokens, accessToken: 'never' }));
    const session: Session = { username: 'pilot', accessToken: 'a1' };
    const used: string[] = [];
    await authed(session, (token) => {
      used.push(token);
      if (token !== 'a1') return Promise.resolve('ok');
      session.accessToken = 'from-another-tab';
      return expired();
    });
    expect(used).toEqual(['a1', 'from-another-tab']);
    expect(asked.filter((a) => a.path === '/api/auth/refresh')).toHaveLength(0);
  });

  it.each([
    ['unauthorized', 'session_ended'],
    ['session_replaced', 'replaced'],
  ])(
    'a refresh refused with %s leaves the player at the connect screen (%s)',
    async (code, reason) => {
      server(refused(code));
      const session = await login('pilot', 'password1');
      const error = await authed(session, expired).catch((e: unknown) => e);
      expect(routeForError(error)).toEqual({ name: 'connect', reason });
    },
  );

  it('a refresh that cannot reach the server says so (the player may reconnect)', async () => {
    server(() => {
      throw new TypeError('Failed to fetch');
    });
    const session = await login('pilot', 'password1');
    const error = await authed(session, expired).catch((e: unknown) => e);
    expect(routeForError(error)).toEqual({ name: 'connect', reason: 'unreachable' });
  });

  it('a cookie now of another account (logged in since in this browser) ends this session', async () => {
    server(() => Response.json({ ...tokens, username: 'someone', accessToken: 'x' }));
    const session = await login('pilot', 'password1');
    const error = await authed(session, expired).catch((e: unknown) => e);
    expect(routeForError(error)).toEqual({ name: 'connect', reason: 'session_ended' });
  });

  it('a refusal other than unauthorized is not retried', async () => {
    const asked = server(() => Response.json(tokens));
    const session = await login('pilot', 'password1');
    let calls = 0;
    const error = await authed(session, () => {
      calls++;
      return Promise.reject(new ApiError(409, 'already_queued', 'queued'));
    }).catch((e: unknown) => e);
    expect(calls).toBe(1);
    expect(asked.map((a) => a.path)).not.toContain('/api/auth/refresh');
    expect(routeForError(error)).toMatchObject({ name: 'lobby' });
  });
});

describe('resuming on page load', () => {
  afterEach(() => vi.unstubAllGlobals());

  it("the cookie's session: its username and a fresh access token", async () => {
    server(() => Response.json({ ...tokens, accessToken: 'a9' }));
    expect(await resume()).toEqual({ username: 'pilot', accessToken: 'a9' });
  });

  it.each([
    ['unauthorized', 401],
    ['bad_origin', 403],
  ])('nothing to resume (%s): null, so the connect screen shows', async (code, status) => {
    server(() => Response.json({ error: { code, message: 'no' } }, { status }));
    expect(await resume()).toBeNull();
  });
});

// The API client's errors as the player reads them: each refusal (HTTP status + registry
// code) becomes its sentence, and a dead network or a non-JSON answer still reads as one.
import { describe, expect, it } from 'vitest';
import { ERRORS, errorBody, type ErrorCode } from '../../server/src/errors.js';
import { ApiClient } from '../../shared/src/net/api-client.js';
import { ApiError, isCode, sentence } from './api.js';

type Answer = () => Response | Promise<Response>;

/** A client whose fetch answers with `answer` and records what was asked. */
function clientAnswering(answer: Answer) {
  const asked: { url: string; init: RequestInit | undefined }[] = [];
  const fetchFn: typeof fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    asked.push({ url, init });
    return Promise.resolve(answer());
  };
  return { client: new ApiClient('http://duel.test', fetchFn), asked };
}

const refusal =
  (status: number, code: string, message = 'the server says no') =>
  () =>
    Response.json({ error: { code, message } }, { status });

/** The error a login attempt ends with. */
async function loginError(answer: Answer): Promise<ApiError> {
  const { client } = clientAnswering(answer);
  const error = await client.login('pilot', 'password1').then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(error)}`);
  return error;
}

describe('the sentence for each refusal', () => {
  const cases: [number, string, string][] = [
    [409, 'username_taken', 'That name is taken. Try another.'],
    [401, 'unknown_user', 'No account has that name. Sign up first?'],
    [401, 'wrong_password', 'Wrong password.'],
    [409, 'already_logged_in', 'This account is already playing somewhere else.'],
    [429, 'rate_limited', 'Too many attempts. Wait a minute and try again.'],
    [401, 'unauthorized', 'Your session has ended. Log in again.'],
    [409, 'already_queued', 'You are already waiting for a match or playing one.'],
    [503, 'match_unavailable', 'No game server could host the match. Try again.'],
    [503, 'service_unavailable', 'The server is having trouble. Try again in a moment.'],
    [500, 'internal', 'Something went wrong on the server. Try again.'],
  ];
  it.each(cases)('HTTP %i %s reads "%s"', async (status, code, text) => {
    const e = await loginError(refusal(status, code));
    expect(e.status).toBe(status);
    expect(isCode(e, code)).toBe(true);
    expect(sentence(e)).toBe(text);
  });

  it('a code the client has no sentence for shows the server message', async () => {
    const e = await loginError(refusal(404, 'not_found', 'Nothing is here.'));
    expect(sentence(e)).toBe('Nothing is here.');
  });
});

describe('every code of the registry (server/src/errors.ts)', () => {
  const codes = Object.keys(ERRORS) as ErrorCode[];
  it.each(codes)('%s, answered as the server answers it, reads as a sentence', async (code) => {
    const e = await loginError(() =>
      Response.json(errorBody(code), { status: ERRORS[code].status }),
    );
    expect(e.code).toBe(code);
    expect(sentence(e)).toMatch(/^[A-Z].*[.?!]$/);
    expect(sentence(e)).not.toContain(code); // never the raw code
  });
});

describe('answers that are not the API speaking', () => {
  it('a network failure reads "The server cannot be reached."', async () => {
    const e = await loginError(() => {
      throw new TypeError('Failed to fetch');
    });
    expect(e.status).toBe(0);
    expect(isCode(e, 'unreachable')).toBe(true);
    expect(sentence(e)).toBe('The server cannot be reached.');
  });

  it("a proxy's HTML error page reads as a server failure, not as markup", async () => {
    const page = '<html><body><h1>502 Bad Gateway</h1></body></html>';
    const e = await loginError(
      () => new Response(page, { status: 502, headers: { 'content-type': 'text/html' } }),
    );
    expect(e.status).toBe(502);
    expect(sentence(e)).toBe('Something went wrong on the server. Try again.');
  });

  it('a JSON body without an error object reads as a server failure', async () => {
    const e = await loginError(() => Response.json({ ok: false }, { status: 500 }));
    expect(sentence(e)).toBe('Something went wrong on the server. Try again.');
  });

  it('anything that is not an ApiError reads "Something went wrong."', () => {
    expect(sentence(new Error('boom'))).toBe('Something went wrong.');
    expect(sentence(undefined)).toBe('Something went wrong.');
  });
});

describe('what the client sends', () => {
  it('a login posts JSON to the auth route and returns the tokens', async () => {
    const tokens = {
      username: 'pilot',
      accessToken: 'a',
      idToken: 'i',
      refreshToken: 'r',
      expiresIn: 3600,
    };
    const { client, asked } = clientAnswering(() => Response.json(tokens));
    expect(await client.login('pilot', 'password1')).toEqual(tokens);
    expect(asked[0]?.url).toBe('http://duel.test/api/auth/login');
    expect(asked[0]?.init?.method).toBe('POST');
    expect(JSON.parse(asked[0]?.init?.body as string)).toEqual({
      username: 'pilot',
      password: 'password1',
    });
  });

  it('an authenticated call carries the bearer token', async () => {
    const { client, asked } = clientAnswering(() => new Response(null, { status: 204 }));
    await client.cancelMatch('tok', 'ticket/1');
    expect(asked[0]?.url).toBe('http://duel.test/api/match/ticket%2F1');
    expect(asked[0]?.init?.headers).toMatchObject({ authorization: 'Bearer tok' });
  });
});

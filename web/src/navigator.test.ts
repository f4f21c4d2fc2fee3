// Moving between screens: which screen a route shows, what it is told, that the screen left
// behind is torn down, and how the session's presence (its lease) follows sign-in and out.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, type RememberedMatch, type Session } from './api.js';
import type { Nav, Route, RouteName, Screen, ScreenTable } from './nav.js';
import { Navigator, presenceRetryMs, type SessionKeeper } from './navigator.js';

const pilot: Session = { username: 'pilot', accessToken: 'a1' };

/** Screens that record what was built and disposed, in order, with the route each got. */
function recordingScreens(onBuild: (nav: Nav, route: Route) => void = () => undefined) {
  const events: string[] = [];
  const routes: Route[] = [];
  const make =
    (name: RouteName) =>
    (nav: Nav, route: Route): Screen => {
      events.push(`build ${name}`);
      routes.push(route);
      onBuild(nav, route);
      return { dispose: () => events.push(`dispose ${name}`) };
    };
  const table: ScreenTable = {
    connect: make('connect'),
    lobby: make('lobby'),
    waiting: make('waiting'),
    rejoin: make('rejoin'),
    match: make('match'),
    results: make('results'),
  };
  return { table, events, routes };
}

/**
 * A browser's session store: `resume` answers with `saved`; `hold` holds the presence until
 * the test ends it (each call is recorded with a way to end it: resolve = dropped, reject =
 * refused).
 */
function keeper(saved: Session | null = null, match: RememberedMatch | null = null) {
  const holds: { session: Session; end: (e?: Error) => void }[] = [];
  const k = {
    resume: vi.fn(() => Promise.resolve(saved)),
    rememberedMatch: () => match,
    forget: vi.fn(() => {
      saved = null;
    }),
    hold: vi.fn(
      (session: Session, signal: AbortSignal) =>
        new Promise<void>((resolve, reject) => {
          const end = (e?: Error) => (e === undefined ? resolve() : reject(e));
          holds.push({ session, end });
          signal.addEventListener('abort', () => resolve(), { once: true });
        }),
    ),
  } satisfies SessionKeeper;
  return Object.assign(k, { holds });
}

const root = {} as HTMLElement;

describe('routes and screens', () => {
  it('a first visit shows the connect screen, with no session to read', async () => {
    const screens = recordingScreens();
    const nav = new Navigator(root, screens.table, keeper());
    await nav.start();
    expect(screens.events).toEqual(['build connect']);
    expect(screens.routes).toEqual([{ name: 'connect' }]);
    expect(() => nav.session).toThrow(/no session/);
  });

  it("a reload resumes the browser's session in the lobby", async () => {
    const screens = recordingScreens();
    const nav = new Navigator(root, screens.table, keeper(pilot));
    await nav.start();
    expect(screens.events).toEqual(['build lobby']);
    expect(nav.session).toBe(pilot);
  });

  it('a reload mid-match goes back to the match, signed in and holding the presence', async () => {
    const screens = recordingScreens();
    const match = { username: 'pilot', matchId: 'm-1', opponent: 'rival' };
    const k = keeper(pilot, match);
    const nav = new Navigator(root, screens.table, k);
    await nav.start();
    expect(screens.events).toEqual(['build rejoin']);
    expect(screens.routes).toEqual([{ name: 'rejoin', match, session: pilot }]);
    expect(nav.session).toBe(pilot);
    expect(k.hold).toHaveBeenCalledTimes(1);
  });

  it('a remembered match without a session to resume shows the connect screen', async () => {
    const screens = recordingScreens();
    const match = { username: 'pilot', matchId: 'm', opponent: 'o' };
    await new Navigator(root, screens.table, keeper(null, match)).start();
    expect(screens.events).toEqual(['build connect']);
  });

  it("another account's remembered match is not rejoined: the lobby shows", async () => {
    const screens = recordingScreens();
    const match = { username: 'someone-else', matchId: 'm', opponent: 'o' };
    await new Navigator(root, screens.table, keeper(pilot, match)).start();
    expect(screens.events).toEqual(['build lobby']);
  });

  it('each move disposes the screen shown before building the next, once', async () => {
    const screens = recordingScreens();
    const nav = new Navigator(root, screens.table, keeper());
    await nav.start();
    nav.go({ name: 'lobby', session: pilot });
    nav.go({ name: 'waiting' });
    nav.go({ name: 'lobby', notice: 'Your opponent left the match.' });
    expect(screens.events).toEqual([
      'build connect',
      'dispose connect',
      'build lobby',
      'dispose lobby',
      'build waiting',
      'dispose waiting',
      'build lobby',
    ]);
    expect(screens.routes.at(-1)).toEqual({
      name: 'lobby',
      notice: 'Your opponent left the match.',
    });
  });

  it('a screen gets the navigator as its Nav: the root and the signed-in player', async () => {
    const seen: { root: HTMLElement; username: string }[] = [];
    const screens = recordingScreens((nav, route) => {
      if (route.name === 'lobby') seen.push({ root: nav.root, username: nav.session.username });
    });
    await new Navigator(root, screens.table, keeper(pilot)).start();
    expect(seen).toEqual([{ root, username: 'pilot' }]);
  });

  it('a screen that sends the player on while being built is not kept', async () => {
    const screens = recordingScreens((nav, route) => {
      if (route.name === 'waiting') nav.go({ name: 'lobby', notice: 'No game server.' });
    });
    const nav = new Navigator(root, screens.table, keeper(pilot));
    await nav.start();
    nav.go({ name: 'waiting' });
    nav.go({
      name: 'results',
      result: {
        you: 0,
        names: ['a', 'b'],
        scores: [1, 0],
        winnerSlot: 0,
        reason: 'ended',
        seconds: 60,
      },
    });
    expect(screens.events).toEqual([
      'build lobby',
      'dispose lobby',
      'build waiting',
      'build lobby',
      'dispose waiting',
      'dispose lobby',
      'build results',
    ]);
  });
});

describe('a screen that fails to close', () => {
  it('does not keep the player from the next screen', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const screens = recordingScreens();
    const broken: ScreenTable = {
      ...screens.table,
      waiting: () => ({
        dispose: () => {
          throw new Error('teardown failed');
        },
      }),
    };
    const nav = new Navigator(root, broken, keeper(pilot));
    await nav.start();
    nav.go({ name: 'waiting' });
    nav.go({ name: 'lobby', notice: 'Back.' });
    expect(screens.routes.at(-1)).toEqual({ name: 'lobby', notice: 'Back.' });
    vi.restoreAllMocks();
  });
});

describe('signing out', () => {
  it.each([
    ['server_stopping', true],
    ['session_ended', true],
    ['replaced', true],
    ['logged_out', true],
    ['unreachable', false],
  ] as const)('%s ends the session; the tab forgets it: %s', async (reason, forgets) => {
    const screens = recordingScreens();
    const sessions = keeper(pilot);
    const nav = new Navigator(root, screens.table, sessions);
    await nav.start();
    nav.go({ name: 'connect', reason });
    expect(screens.routes.at(-1)).toEqual({ name: 'connect', reason });
    expect(() => nav.session).toThrow(/no session/);
    expect(sessions.forget).toHaveBeenCalledTimes(forgets ? 1 : 0);
  });
});

describe('the presence (the lease)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('is held for the signed-in player while signed in, and let go after', async () => {
    const sessions = keeper(pilot);
    const nav = new Navigator(root, recordingScreens().table, sessions);
    await nav.start();
    expect(sessions.hold.mock.calls.map((c) => c[0])).toEqual([pilot]);
    const signal = sessions.hold.mock.calls[0]?.[1];
    nav.go({ name: 'connect', reason: 'logged_out' });
    expect(signal?.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(presenceRetryMs(5) * 3);
    expect(sessions.hold).toHaveBeenCalledTimes(1);
  });

  it('a dropped presence is held again, after a backoff, with no screen change', async () => {
    const sessions = keeper(pilot);
    const screens = recordingScreens();
    const nav = new Navigator(root, screens.table, sessions);
    await nav.start();
    nav.go({ name: 'waiting' });
    sessions.holds[0]?.end();
    await vi.advanceTimersByTimeAsync(presenceRetryMs(0));
    sessions.holds[1]?.end(new ApiError(0, 'unreachable', 'blip'));
    await vi.advanceTimersByTimeAsync(presenceRetryMs(1));
    expect(sessions.hold).toHaveBeenCalledTimes(3);
    expect(screens.events.at(-1)).toBe('build waiting');
  });

  it('a server unreachable twice running shows the connect screen, but never mid-match', async () => {
    const sessions = keeper(pilot);
    const screens = recordingScreens();
    const nav = new Navigator(root, screens.table, sessions);
    await nav.start();
    const gone = () => new ApiError(0, 'unreachable', 'gone');
    sessions.holds[0]?.end(gone());
    await vi.advanceTimersByTimeAsync(presenceRetryMs(0));
    sessions.holds[1]?.end(gone());
    await vi.advanceTimersByTimeAsync(0);
    expect(screens.routes.at(-1)).toEqual({ name: 'connect', reason: 'unreachable' });
    expect(sessions.forget).not.toHaveBeenCalled();

    nav.go({ name: 'lobby', session: pilot });
    nav.go({ name: 'match', matched: {} as never });
    for (let i = 2; i < 5; i++) {
      sessions.holds[i]?.end(gone());
      await vi.advanceTimersByTimeAsync(presenceRetryMs(i));
    }
    expect(screens.events.at(-1)).toBe('build match');
    expect(sessions.hold.mock.calls.length).toBeGreaterThan(4);
  });

  it.each([
    ['unauthorized', 'session_ended'],
    ['session_replaced', 'replaced'],
  ] as const)('a presence ended by %s shows the connect screen (%s)', async (code, reason) => {
    const sessions = keeper(pilot);
    const screens = recordingScreens();
    const nav = new Navigator(root, screens.table, sessions);
    await nav.start();
    nav.go({ name: 'waiting' });
    sessions.holds[0]?.end(new ApiError(401, code, 'over'));
    await vi.advanceTimersByTimeAsync(0);
    expect(screens.events.slice(-2)).toEqual(['dispose waiting', 'build connect']);
    expect(screens.routes.at(-1)).toEqual({ name: 'connect', reason });
    expect(sessions.forget).toHaveBeenCalledTimes(1);
  });

  it('a refusal that lands after logging out does not replace "You are logged out."', async () => {
    const sessions = keeper(pilot);
    const screens = recordingScreens();
    const nav = new Navigator(root, screens.table, sessions);
    await nav.start();
    const first = sessions.holds[0];
    nav.go({ name: 'connect', reason: 'logged_out' });
    first?.end(new ApiError(401, 'unauthorized', 'revoked'));
    await vi.runAllTimersAsync();
    expect(screens.routes.at(-1)).toEqual({ name: 'connect', reason: 'logged_out' });
    expect(screens.events.filter((e) => e === 'build connect')).toHaveLength(1);
  });

  it('with no session to resume, the connect screen shows and nothing is held', async () => {
    const sessions = keeper(null);
    const screens = recordingScreens();
    await new Navigator(root, screens.table, sessions).start();
    expect(screens.routes).toEqual([{ name: 'connect' }]);
    expect(sessions.hold).not.toHaveBeenCalled();
  });
});

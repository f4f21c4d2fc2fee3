// Moving between screens: which screen a route shows, what it is told, that the screen left
// behind is torn down, and how the session's lease follows sign-in and sign-out.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, type Session } from './api.js';
import type { Nav, Route, RouteName, Screen, ScreenTable } from './nav.js';
import { LEASE_RENEW_MS, Navigator, type SessionKeeper } from './navigator.js';

const pilot: Session = { username: 'pilot', accessToken: 'a1', refreshToken: 'r1' };

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
    match: make('match'),
    results: make('results'),
  };
  return { table, events, routes };
}

/** A tab's session store; `renew` answers with whatever the test sets. */
function keeper(saved: Session | null = null) {
  const k = {
    saved: vi.fn(() => saved),
    forget: vi.fn(() => {
      saved = null;
    }),
    renew: vi.fn((_s: Session): Promise<unknown> => Promise.resolve({})),
  } satisfies SessionKeeper;
  return k;
}

const root = {} as HTMLElement;

describe('routes and screens', () => {
  it('a first visit shows the connect screen, with no session to read', () => {
    const screens = recordingScreens();
    const nav = new Navigator(root, screens.table, keeper());
    nav.start();
    expect(screens.events).toEqual(['build connect']);
    expect(screens.routes).toEqual([{ name: 'connect' }]);
    expect(() => nav.session).toThrow(/no session/);
  });

  it("a reload resumes the tab's saved session in the lobby", () => {
    const screens = recordingScreens();
    const nav = new Navigator(root, screens.table, keeper(pilot));
    nav.start();
    expect(screens.events).toEqual(['build lobby']);
    expect(nav.session).toBe(pilot);
  });

  it('each move disposes the screen shown before building the next, once', () => {
    const screens = recordingScreens();
    const nav = new Navigator(root, screens.table, keeper());
    nav.start();
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

  it('a screen gets the navigator as its Nav: the root and the signed-in player', () => {
    const seen: { root: HTMLElement; username: string }[] = [];
    const screens = recordingScreens((nav, route) => {
      if (route.name === 'lobby') seen.push({ root: nav.root, username: nav.session.username });
    });
    new Navigator(root, screens.table, keeper(pilot)).start();
    expect(seen).toEqual([{ root, username: 'pilot' }]);
  });

  it('a screen that sends the player on while being built is not kept', () => {
    const screens = recordingScreens((nav, route) => {
      if (route.name === 'waiting') nav.go({ name: 'lobby', notice: 'No game server.' });
    });
    const nav = new Navigator(root, screens.table, keeper(pilot));
    nav.start();
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
  it('does not keep the player from the next screen', () => {
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
    nav.start();
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
    ['logged_out', true],
    ['unreachable', false],
  ] as const)('%s ends the session; the tab forgets it: %s', (reason, forgets) => {
    const screens = recordingScreens();
    const sessions = keeper(pilot);
    const nav = new Navigator(root, screens.table, sessions);
    nav.start();
    nav.go({ name: 'connect', reason });
    expect(screens.routes.at(-1)).toEqual({ name: 'connect', reason });
    expect(() => nav.session).toThrow(/no session/);
    expect(sessions.forget).toHaveBeenCalledTimes(forgets ? 1 : 0);
  });
});

describe('the lease', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('is renewed for the signed-in player while signed in, and no longer after', async () => {
    const sessions = keeper(pilot);
    const nav = new Navigator(root, recordingScreens().table, sessions);
    nav.start();
    await vi.advanceTimersByTimeAsync(LEASE_RENEW_MS * 3);
    expect(sessions.renew.mock.calls).toEqual([[pilot], [pilot], [pilot]]);
    nav.go({ name: 'connect', reason: 'logged_out' });
    await vi.advanceTimersByTimeAsync(LEASE_RENEW_MS * 3);
    expect(sessions.renew).toHaveBeenCalledTimes(3);
  });

  it('a refused renewal shows the connect screen and forgets the session', async () => {
    const sessions = keeper(pilot);
    sessions.renew.mockRejectedValue(
      new ApiError(401, 'unauthorized', 'A valid access token is required.'),
    );
    const screens = recordingScreens();
    const nav = new Navigator(root, screens.table, sessions);
    nav.start();
    nav.go({ name: 'waiting' });
    await vi.advanceTimersByTimeAsync(LEASE_RENEW_MS);
    expect(screens.events.slice(-2)).toEqual(['dispose waiting', 'build connect']);
    expect(screens.routes.at(-1)).toEqual({ name: 'connect', reason: 'session_ended' });
    expect(sessions.forget).toHaveBeenCalledTimes(1);
  });

  it('a busy server does not cut a match short: the player stays, renewal goes on', async () => {
    const sessions = keeper(pilot);
    sessions.renew.mockRejectedValue(new ApiError(429, 'rate_limited', 'Too many requests.'));
    const screens = recordingScreens();
    const nav = new Navigator(root, screens.table, sessions);
    nav.start();
    nav.go({ name: 'waiting' });
    await vi.advanceTimersByTimeAsync(LEASE_RENEW_MS * 2);
    expect(screens.events.at(-1)).toBe('build waiting');
    expect(sessions.renew).toHaveBeenCalledTimes(2);
  });

  it('a refusal that lands after logging out does not replace "You are logged out."', async () => {
    const sessions = keeper(pilot);
    let refuse: (e: unknown) => void = () => undefined;
    sessions.renew.mockReturnValue(new Promise((_, reject) => (refuse = reject)));
    const screens = recordingScreens();
    const nav = new Navigator(root, screens.table, sessions);
    nav.start();
    await vi.advanceTimersByTimeAsync(LEASE_RENEW_MS);
    nav.go({ name: 'connect', reason: 'logged_out' });
    refuse(new ApiError(401, 'unauthorized', 'revoked'));
    await vi.runAllTimersAsync();
    expect(screens.routes.at(-1)).toEqual({ name: 'connect', reason: 'logged_out' });
    expect(screens.events.filter((e) => e === 'build connect')).toHaveLength(1);
  });
});

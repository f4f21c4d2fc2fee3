// The one place that moves the player between screens. One screen is shown at a time: going
// anywhere disposes the current one first. Signing in opens the session's presence stream,
// which keeps its lease; the connect screen closes it, and forgets the tab's session when
// the server ended it.
import type { RememberedMatch, Session } from './api.js';
import { logFailure } from './log.js';
import {
  SIGNED_OUT,
  signedOutBy,
  type Nav,
  type Route,
  type Screen,
  type ScreenTable,
  type SignedOut,
} from './nav.js';

/** Reopening a presence stream that dropped: 1 s doubling to 16 s (well inside a 60 s lease). */
export const presenceRetryMs = (attempt: number) => Math.min(1000 * 2 ** attempt, 16_000);
/** A stream that stayed open this long was healthy: the next drop starts the backoff again. */
const HEALTHY_MS = 30_000;

/** The tab's hold on its session, as the navigator needs it (web/src/api.ts in the browser). */
export interface SessionKeeper {
  /** The browser's session from its cookie (a reload, a new tab); null when there is none. */
  resume(): Promise<Session | null>;
  /**
   * Holds the session's presence (the server renews its lease while it is held). Resolves
   * when it may be held again; rejects when the session is over or the server is gone.
   */
  hold(session: Session, signal: AbortSignal): Promise<void>;
  /** Forgets the tab's session without telling the server. */
  forget(): void;
  /** The match this tab was playing when it was reloaded, if any. */
  rememberedMatch?(): RememberedMatch | null;
  /** The clock of the backoff (performance.now in the browser). */
  now?(): number;
}

export class Navigator implements Nav {
  private shown: Screen | undefined;
  /** Counts navigations, so a screen that navigates while being built is not kept. */
  private navigations = 0;
  private signedIn: Session | null = null;
  private presence: AbortController | undefined;
  private route: Route['name'] | undefined;

  constructor(
    readonly root: HTMLElement,
    private readonly screens: ScreenTable,
    private readonly sessions: SessionKeeper,
  ) {}

  get session(): Session {
    if (!this.signedIn) throw new Error('no session: the connect screen is shown');
    return this.signedIn;
  }

  /**
   * Resumes the browser's session in the lobby, or back in the match this tab was playing,
   * or shows the connect screen.
   */
  start(): Promise<void> {
    return this.sessions.resume().then(
      (s) => this.go(s ? this.resumed(s) : { name: 'connect' }),
      (e: unknown) => this.go(signedOutBy(e) ?? { name: 'connect' }),
    );
  }

  private resumed(session: Session): Route {
    const match = this.sessions.rememberedMatch?.();
    return match?.username === session.username
      ? { name: 'rejoin', match, session }
      : { name: 'lobby', session };
  }

  go(route: Route): void {
    if (route.name === 'connect') this.signOut(route.reason);
    if ((route.name === 'lobby' || route.name === 'rejoin') && route.session)
      this.signIn(route.session);
    this.route = route.name;
    const navigation = ++this.navigations;
    const previous = this.shown;
    this.shown = undefined;
    this.dispose(previous);
    const next = this.build(route);
    if (navigation === this.navigations) this.shown = next;
    else this.dispose(next); // it sent the player on while it was being built
  }

  /** A screen that fails to tear down is logged: the player still gets where they were going. */
  private dispose(screen: Screen | undefined): void {
    try {
      screen?.dispose();
    } catch (e) {
      logFailure('closing the previous screen')(e);
    }
  }

  private build(route: Route): Screen {
    switch (route.name) {
      case 'connect':
        return this.screens.connect(this, route);
      case 'lobby':
        return this.screens.lobby(this, route);
      case 'waiting':
        return this.screens.waiting(this, route);
      case 'rejoin':
        return this.screens.rejoin(this, route);
      case 'match':
        return this.screens.match(this, route);
      case 'results':
        return this.screens.results(this, route);
    }
  }

  private signIn(session: Session): void {
    if (this.signedIn === session && this.presence) return;
    this.presence?.abort();
    this.signedIn = session;
    this.presence = new AbortController();
    this.keep(session, this.presence.signal).catch(logFailure('keeping the session'));
  }

  private signOut(reason: SignedOut | undefined): void {
    this.presence?.abort();
    this.presence = undefined;
    this.signedIn = null;
    if (reason && SIGNED_OUT[reason].forget) this.sessions.forget();
  }

  /**
   * Holds the session's presence for as long as the player is signed in. An ended session
   * (taken over, refused) shows the connect screen with why; a dropped stream is reopened,
   * with a backoff, so a busy server or a blip does not cut a match short.
   */
  private async keep(session: Session, signal: AbortSignal): Promise<void> {
    const now = () => this.sessions.now?.() ?? performance.now();
    let attempt = 0;
    let unreachable = 0;
    while (!signal.aborted) {
      const opened = now();
      try {
        await this.sessions.hold(session, signal);
        unreachable = 0;
      } catch (e) {
        if (signal.aborted || this.signedIn !== session) return; // signed out meanwhile
        const signedOut = signedOutBy(e);
        if (signedOut && signedOut.reason !== 'unreachable') return this.go(signedOut);
        // A blip is retried; a server gone twice running shows the connect screen (with
        // Reconnect), except in a match, whose own channel says when it is over.
        if (signedOut && ++unreachable >= 2 && this.route !== 'match') return this.go(signedOut);
        logFailure('holding the session presence')(e);
      }
      if (now() - opened > HEALTHY_MS) attempt = 0;
      await pause(presenceRetryMs(attempt++), signal);
    }
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });
}

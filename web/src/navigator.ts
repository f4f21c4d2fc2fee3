// The one place that moves the player between screens. One screen is shown at a time: going
// anywhere disposes the current one first. Signing in starts the session's lease renewal;
// the connect screen stops it, and forgets the tab's session when the server ended it.
import type { Session } from './api.js';
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

/** The server keeps a session's lease for LEASE_SECONDS (60 s by default); renew at a third. */
export const LEASE_RENEW_MS = 20_000;

/** The tab's hold on its session, as the navigator needs it (web/src/api.ts in the browser). */
export interface SessionKeeper {
  /** The session this tab saved, to resume after a reload. */
  saved(): Session | null;
  /** Renews the server's lease on the session (GET /api/me). */
  renew(session: Session): Promise<unknown>;
  /** Forgets the tab's saved session without telling the server. */
  forget(): void;
}

export class Navigator implements Nav {
  private shown: Screen | undefined;
  /** Counts navigations, so a screen that navigates while being built is not kept. */
  private navigations = 0;
  private signedIn: Session | null = null;
  private lease: ReturnType<typeof setInterval> | undefined;

  constructor(
    readonly root: HTMLElement,
    private readonly screens: ScreenTable,
    private readonly sessions: SessionKeeper,
  ) {}

  get session(): Session {
    if (!this.signedIn) throw new Error('no session: the connect screen is shown');
    return this.signedIn;
  }

  /** Resumes the tab's session after a reload, or shows the connect screen. */
  start(): void {
    const saved = this.sessions.saved();
    this.go(saved ? { name: 'lobby', session: saved } : { name: 'connect' });
  }

  go(route: Route): void {
    if (route.name === 'connect') this.signOut(route.reason);
    if (route.name === 'lobby' && route.session) this.signIn(route.session);
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
      case 'match':
        return this.screens.match(this, route);
      case 'results':
        return this.screens.results(this, route);
    }
  }

  private signIn(session: Session): void {
    this.signedIn = session;
    clearInterval(this.lease);
    this.lease = setInterval(() => this.renew(session), LEASE_RENEW_MS);
  }

  private signOut(reason: SignedOut | undefined): void {
    clearInterval(this.lease);
    this.lease = undefined;
    this.signedIn = null;
    if (reason && SIGNED_OUT[reason].forget) this.sessions.forget();
  }

  /**
   * A refused renewal ends the session: the connect screen says why. Any other failure (a
   * busy server) is logged and retried at the next renewal, so a match is not cut short.
   */
  private renew(session: Session): void {
    this.sessions.renew(session).catch((e: unknown) => {
      if (this.signedIn !== session) return; // signed out meanwhile: old news
      const signedOut = signedOutBy(e);
      if (signedOut) this.go(signedOut);
      else logFailure('renewing the session lease')(e);
    });
  }
}

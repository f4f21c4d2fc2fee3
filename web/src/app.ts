// The client's screens and the session that spans them. One screen is shown at a time;
// showing another disposes the current one (its timers, streams and peer connection).
import { forget, isCode, me, savedSession, sentence, type Session } from './api.js';
import type { Matched } from './net/matchmaking.js';
import { connectScreen } from './ui/connect.js';
import { gameScreen } from './ui/game-screen.js';
import { lobbyScreen } from './ui/lobby.js';
import { resultsScreen, type Result } from './ui/results.js';
import { waitingScreen } from './ui/waiting.js';

export interface Screen {
  dispose(): void;
}

/** The server keeps a session's lease for LEASE_SECONDS (60 s by default); renew at a third. */
const LEASE_RENEW_MS = 20_000;

export class App {
  private screen: Screen | undefined;
  private lease: ReturnType<typeof setInterval> | undefined;
  private session_: Session | null = null;

  constructor(readonly root: HTMLElement) {}

  get session(): Session {
    if (!this.session_) throw new Error('no session');
    return this.session_;
  }

  /** Resumes the tab's session after a reload, or shows the connect screen. */
  start(): void {
    const saved = savedSession();
    if (saved) this.signedIn(saved);
    else this.connect();
  }

  signedIn(session: Session, message = ''): void {
    this.session_ = session;
    clearInterval(this.lease);
    this.lease = setInterval(
      () => void me(session).catch((e: unknown) => this.fail(e)),
      LEASE_RENEW_MS,
    );
    this.lobby(message);
  }

  /** Logged out, or thrown out: the lease stops and the form comes back. */
  connect(message = ''): void {
    clearInterval(this.lease);
    this.lease = undefined;
    this.session_ = null;
    this.show(connectScreen(this, message));
  }

  lobby(message = ''): void {
    this.show(lobbyScreen(this, message));
  }

  waiting(): void {
    this.show(waitingScreen(this));
  }

  game(matched: Matched): void {
    this.show(gameScreen(this, matched));
  }

  results(result: Result): void {
    this.show(resultsScreen(this, result));
  }

  /**
   * Where an error leaves the player: the connect screen when the server is gone, stopping,
   * or has ended the session; otherwise the lobby, with the error as a sentence.
   */
  fail(e: unknown): void {
    if (isCode(e, 'unauthorized')) {
      forget();
      this.connect(sentence(e));
    } else if (isCode(e, 'server_stopping')) {
      forget();
      this.connect('The server is stopping.');
    } else if (isCode(e, 'unreachable')) {
      this.connect('The server cannot be reached.');
    } else {
      this.lobby(sentence(e));
    }
  }

  private show(next: Screen): void {
    const previous = this.screen;
    this.screen = next;
    previous?.dispose();
  }
}

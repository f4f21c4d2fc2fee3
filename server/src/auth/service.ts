// Accounts and sessions: sign-up, login with a single-login lease, refresh, logout, and the
// check behind every authenticated call. Cognito proves who a player is; the DynamoDB lease
// decides whether that proof is still part of a live session.
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { AppError, type ErrorCode } from '../errors.js';
import type { PlayerRepository } from '../players/repository.js';
import type { PlayerItem } from '../players/player.js';
import {
  isIdentityError,
  LoginRefused,
  type IdentityErrorKind,
  type IdentityProvider,
  type RefreshedTokens,
  type Tokens,
} from './identity.js';
import type { RequestLimit } from './request-limit.js';
import type { SessionCache } from './session-cache.js';
import type { AccessClaims, TokenVerifier } from './verifier.js';

/** The part of the players repository that sessions need (an interface, so tests can fake it). */
export type SessionStore = Pick<
  PlayerRepository,
  'create' | 'get' | 'acquireLease' | 'renewLease' | 'rotateSession' | 'endSession' | 'wasReplaced'
>;

/** Where an open presence stream's session stands after a renewal. */
export type Presence = 'live' | 'session_replaced' | 'unauthorized';

export interface AuthServiceDeps {
  idp: IdentityProvider;
  verifier: TokenVerifier;
  players: SessionStore;
  leaseMs: number;
  mergeLoginErrors: boolean;
  now: () => number;
  logger: Logger;
  /**
   * Runs when a session ends by logout, after its tokens are refused: cancels the player's
   * waiting matchmaking ticket (wired in platform.ts; auth knows nothing of matchmaking).
   */
  onSessionEnd?: (username: string) => Promise<unknown>;
  /** Requests per user, counted between the signature check and the session's write. */
  requestLimit?: RequestLimit;
  /**
   * Serves the session check between lease renewals (at most one renewal per quarter lease
   * per session); without it every authenticated call renews the lease in DynamoDB.
   */
  sessions?: SessionCache;
  /** Told how each session check was served: from the cache, by a renewal, or refused. */
  onSessionCheck?: (served: SessionCheck) => void;
}

export type SessionCheck = 'cache' | 'renewed' | 'refused';

export interface Authenticated {
  claims: AccessClaims;
  player: PlayerItem;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

// The provider's failures in registry terms. Throttling and outages are the platform's fault,
// not the client's: 503, never 500, and never a 4xx the client would wrongly act on.
const REGISTRY_CODE: Readonly<Record<IdentityErrorKind, ErrorCode>> = {
  user_exists: 'username_taken',
  weak_password: 'weak_password',
  invalid_parameter: 'invalid_input',
  not_authorized: 'unauthorized',
  throttled: 'identity_unavailable',
  unavailable: 'identity_unavailable',
};

/** Runs a provider call; its IdentityError leaves as the registry's AppError. */
async function viaProvider<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (!isIdentityError(e)) throw e;
    const code = REGISTRY_CODE[e.kind];
    // The only refusal of a token here is of a refresh token: say which token it was.
    const message = code === 'unauthorized' ? 'The refresh token is not valid.' : undefined;
    throw new AppError(code, message, { cause: e });
  }
}

export class AuthService {
  /** Renewals in flight, by username and token: concurrent calls of one session share one. */
  private readonly renewing = new Map<string, Promise<PlayerItem | null>>();

  constructor(private readonly d: AuthServiceDeps) {}

  async signup(username: string, password: string): Promise<{ username: string }> {
    await viaProvider(() => this.d.idp.signUp(username, password));
    await viaProvider(() => this.d.idp.confirm(username));
    if (!(await this.d.players.create(username, this.d.now()))) {
      this.d.logger.warn({ username }, 'sign-up found an existing player item; kept it');
    }
    return { username };
  }

  async login(username: string, password: string): Promise<Tokens & { username: string }> {
    const tokens = await viaProvider(() => this.checkPassword(username, password));
    const claims = await this.d.verifier.verify(tokens.accessToken);
    const session = {
      jti: claims.jti,
      tokenHash: sha256(tokens.accessToken),
      refreshHash: sha256(tokens.refreshToken),
    };
    // Free, lapsed or idle: the lease is this login's. Busy (queued, in a match): refused.
    if (
      !(await this.d.players.acquireLease(claims.username, session, this.d.now(), this.d.leaseMs))
    ) {
      throw new AppError('already_logged_in');
    }
    // Any session before this one has ended (logged out, lapsed, or idle and taken over now):
    // its waiting ticket must not be paired now.
    await this.sessionEnded(claims.username, 'login');
    return { username: claims.username, ...tokens };
  }

  private async sessionEnded(username: string, how: string): Promise<void> {
    await this.d.onSessionEnd?.(username).catch((err: unknown) => {
      this.d.logger.warn({ err, username, how }, 'ended session: waiting ticket not cancelled');
    });
  }

  private async checkPassword(username: string, password: string): Promise<Tokens> {
    try {
      return await this.d.idp.login(username, password);
    } catch (e) {
      if (!(e instanceof LoginRefused)) throw e;
      if (e.reason === 'not_confirmed') {
        // A sign-up cut off before its confirmation: the password was right, so finish it.
        await this.d.idp.confirm(username);
        return this.d.idp.login(username, password);
      }
      throw await this.refusal(username, e.reason);
    }
  }

  /** Cognito answers the same for an unknown user and a wrong password; the mirror tells them apart. */
  private async refusal(
    username: string,
    reason: 'bad_credentials' | 'unknown_user',
  ): Promise<AppError> {
    if (this.d.mergeLoginErrors) return new AppError('invalid_credentials');
    if (reason === 'unknown_user') return new AppError('unknown_user');
    return new AppError((await this.d.players.get(username)) ? 'wrong_password' : 'unknown_user');
  }

  async refresh(
    username: string,
    refreshToken: string,
  ): Promise<RefreshedTokens & { username: string }> {
    const tokens = await viaProvider(() => this.d.idp.refresh(username, refreshToken));
    const claims = await this.d.verifier.verify(tokens.accessToken);
    const ok =
      claims.username === username &&
      (await this.d.players.rotateSession(
        username,
        sha256(refreshToken),
        { jti: claims.jti, tokenHash: sha256(tokens.accessToken) },
        this.d.now(),
        this.d.leaseMs,
      ));
    if (ok) return { username, ...tokens };
    if (await this.d.players.wasReplaced(username, { refreshHash: sha256(refreshToken) }))
      throw new AppError('session_replaced');
    throw new AppError('unauthorized', 'This session has ended; log in again.');
  }

  async logout(claims: AccessClaims): Promise<void> {
    if (!(await this.d.players.endSession(claims.username, claims.jti))) {
      throw new AppError('unauthorized');
    }
    // Awaited, so that once logout answers, no pairing can pick the logged-out player.
    await this.sessionEnded(claims.username, 'logout');
    // Cognito's own refresh tokens die too where the provider supports it (real Cognito does;
    // the emulator does not). The server-side session above is what enforces logout either way.
    // Awaited, so that a login right after logout cannot be hit by this sign-out landing late.
    await this.d.idp.signOutEverywhere(claims.username).catch((e: unknown) => {
      this.d.logger.debug({ err: e, username: claims.username }, 'provider sign-out not done');
    });
  }

  /**
   * The check behind every authenticated call: a valid token of the live session. The lease is
   * renewed in DynamoDB unless this node's session cache holds a renewal of the same token that
   * still stands (any change to the session on any node drops it at once).
   */
  async authenticate(bearer: string): Promise<Authenticated> {
    const claims = await this.d.verifier.verify(bearer);
    await this.d.requestLimit?.take(claims.sub);
    // The hash binds the session to the exact token issued: the same jti with any other claim
    // changed (say, a group added by someone holding the emulator's public key) is refused.
    const token = { jti: claims.jti, tokenHash: sha256(bearer) };
    const cached = this.d.sessions?.lookup(claims.username, token);
    if (cached) {
      this.d.onSessionCheck?.('cache');
      return { claims, player: cached };
    }
    const player = await this.renew(claims.username, token);
    if (!player) {
      this.d.onSessionCheck?.('refused');
      if (await this.d.players.wasReplaced(claims.username, { jti: claims.jti }))
        throw new AppError('session_replaced');
      throw new AppError('unauthorized', 'This session has ended; log in again.');
    }
    return { claims, player };
  }

  /**
   * A presence stream's renewal, driven by the server: the lease of the token's session is
   * extended while the token is the session's and unexpired. Not counted as a request.
   */
  async keepAlive(claims: AccessClaims, bearer: string): Promise<Presence> {
    const now = this.d.now();
    if (now >= claims.exp * 1000) return 'unauthorized';
    const renewed = await this.d.players.renewLease(
      claims.username,
      { jti: claims.jti, tokenHash: sha256(bearer) },
      now,
      this.d.leaseMs,
    );
    if (renewed) return 'live';
    return (await this.d.players.wasReplaced(claims.username, { jti: claims.jti }))
      ? 'session_replaced'
      : 'unauthorized';
  }

  /**
   * One lease renewal, kept in the cache. With the cache, calls of one session that miss it at
   * once (a page's first requests) wait for the same renewal: one write, not one per call.
   */
  private renew(username: string, token: { jti: string; tokenHash: string }) {
    const sessions = this.d.sessions;
    const write = async () => {
      const ticket = sessions?.ticket();
      const renewedAt = this.d.now();
      const player = await this.d.players.renewLease(username, token, renewedAt, this.d.leaseMs);
      if (player) this.d.onSessionCheck?.('renewed');
      if (player && ticket !== undefined)
        sessions?.store(username, { ...token, player }, ticket, renewedAt);
      return player;
    };
    if (!sessions) return write();
    const key = `${username}\n${token.tokenHash}`;
    const pending = this.renewing.get(key);
    if (pending) return pending;
    const started = write().finally(() => this.renewing.delete(key));
    this.renewing.set(key, started);
    return started;
  }
}

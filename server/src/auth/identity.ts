// The identity provider seen by the auth service. The Cognito implementation is the only code
// that knows amazon-cognito-identity-js; tests of the service may use a fake of this interface.

export interface Tokens {
  accessToken: string;
  idToken: string;
  refreshToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
}

export type RefreshedTokens = Omit<Tokens, 'refreshToken'>;

/** Why the provider refused a login; the service turns it into a registry code. */
export class LoginRefused extends Error {
  constructor(readonly reason: 'bad_credentials' | 'unknown_user' | 'not_confirmed') {
    super(reason);
    this.name = 'LoginRefused';
  }
}

/**
 * What went wrong at the provider, in the platform's terms; the auth service maps each kind to
 * a registry code. Implementations throw this (or LoginRefused) and nothing else.
 */
export type IdentityErrorKind =
  /** The username exists already. */
  | 'user_exists'
  /** The provider's password policy refused the password. */
  | 'weak_password'
  /** The provider refused a parameter (say, a name its pool does not allow). */
  | 'invalid_parameter'
  /** A token or credential was refused (a refresh token that is not valid). */
  | 'not_authorized'
  /** The provider is throttling this app. */
  | 'throttled'
  /** The provider did not answer, or answered with an error of its own. */
  | 'unavailable';

export class IdentityError extends Error {
  constructor(
    readonly kind: IdentityErrorKind,
    message?: string,
    options?: { cause?: unknown },
  ) {
    super(message ?? kind, options);
    this.name = 'IdentityError';
  }
}

export const isIdentityError = (e: unknown): e is IdentityError => e instanceof IdentityError;

/** Every method rejects with IdentityError (login also with LoginRefused), never a raw SDK error. */
export interface IdentityProvider {
  /** Creates the account; throws IdentityError user_exists / weak_password. */
  signUp(username: string, password: string): Promise<void>;
  /** Confirms a new account (there is no email step). */
  confirm(username: string): Promise<void>;
  /** Checks the password and issues tokens; throws LoginRefused. */
  login(username: string, password: string): Promise<Tokens>;
  /** Issues new access and id tokens; throws IdentityError not_authorized when refused. */
  refresh(username: string, refreshToken: string): Promise<RefreshedTokens>;
  /** Revokes the account's refresh tokens at the provider, where it supports that. */
  signOutEverywhere(username: string): Promise<void>;
  addToGroup(username: string, group: string): Promise<void>;
  /** Takes the account out of the group; counts from its next login, as a promotion does. */
  removeFromGroup(username: string, group: string): Promise<void>;
  /** Resolves when the provider answers. */
  ping(): Promise<void>;
}

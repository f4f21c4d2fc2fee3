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

export interface IdentityProvider {
  /** Creates the account; throws AppError username_taken / weak_password. */
  signUp(username: string, password: string): Promise<void>;
  /** Confirms a new account (there is no email step). */
  confirm(username: string): Promise<void>;
  /** Checks the password and issues tokens; throws LoginRefused. */
  login(username: string, password: string): Promise<Tokens>;
  /** Issues new access and id tokens; throws AppError unauthorized when refused. */
  refresh(username: string, refreshToken: string): Promise<RefreshedTokens>;
  /** Revokes the account's refresh tokens at the provider, where it supports that. */
  signOutEverywhere(username: string): Promise<void>;
  addToGroup(username: string, group: string): Promise<void>;
  /** Resolves when the provider answers. */
  ping(): Promise<void>;
}

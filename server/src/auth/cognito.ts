// Amazon Cognito: amazon-cognito-identity-js for sign-up and the user-pool session model
// (CognitoUserSession and its tokens), the AWS SDK for the login and refresh calls and the
// admin API (confirm, groups, sign-out). The same code serves the local emulator and real
// Cognito. Why login does not use the library's authenticateUser: docs/architecture.md,
// "Logins and the session check".
import {
  AdminAddUserToGroupCommand,
  AdminRemoveUserFromGroupCommand,
  AdminConfirmSignUpCommand,
  AdminUserGlobalSignOutCommand,
  type AuthenticationResultType,
  CognitoIdentityProviderClient,
  DescribeUserPoolCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import cognitoSdk, { type ICognitoStorage } from 'amazon-cognito-identity-js';
import type { Logger } from 'pino';
import {
  IdentityError,
  isIdentityError,
  LoginRefused,
  type IdentityErrorKind,
  type IdentityProvider,
  type RefreshedTokens,
  type Tokens,
} from './identity.js';

const {
  CognitoAccessToken,
  CognitoIdToken,
  CognitoRefreshToken,
  CognitoUserPool,
  CognitoUserSession,
} = cognitoSdk;
type Session = InstanceType<typeof CognitoUserSession>;

export interface CognitoSettings {
  userPoolId: string;
  clientId: string;
  region: string;
  /** Emulator endpoint in local mode; unset for real Cognito. */
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Real Cognito revokes refresh tokens on AdminUserGlobalSignOut; the emulator lacks it. */
  globalSignOut: boolean;
}

interface SdkError {
  code?: string;
  name?: string;
  message?: string;
}
const codeOf = (e: unknown) => (e as SdkError)?.code ?? (e as SdkError)?.name ?? 'Unknown';

// The SDK caches tokens in a storage; the server keeps none, so nothing piles up in memory.
const noStorage: ICognitoStorage = {
  setItem: () => undefined,
  getItem: () => null,
  removeItem: () => undefined,
  clear: () => undefined,
};

function tokensOf(session: Session): Tokens {
  const access = session.getAccessToken();
  return {
    accessToken: access.getJwtToken(),
    idToken: session.getIdToken().getJwtToken(),
    refreshToken: session.getRefreshToken().getToken(),
    expiresIn: Math.max(0, access.getExpiration() - Math.floor(Date.now() / 1000)),
  };
}

/** InitiateAuth's AuthenticationResult as the library's session; throws if a token is missing. */
function sessionOf(r: AuthenticationResultType | undefined): Session {
  if (!r?.AccessToken || !r.IdToken || !r.RefreshToken)
    throw new IdentityError('unavailable', 'no tokens in the login answer');
  return new CognitoUserSession({
    AccessToken: new CognitoAccessToken({ AccessToken: r.AccessToken }),
    IdToken: new CognitoIdToken({ IdToken: r.IdToken }),
    RefreshToken: new CognitoRefreshToken({ RefreshToken: r.RefreshToken }),
  });
}

/** A failed USER_PASSWORD_AUTH in the platform's terms: LoginRefused, or an IdentityError. */
export function loginError(err: unknown): LoginRefused | IdentityError {
  const code = codeOf(err);
  // Real Cognito says NotAuthorized for a wrong password; the emulator says InvalidPassword.
  if (code === 'NotAuthorizedException' || code === 'InvalidPasswordException')
    return new LoginRefused('bad_credentials');
  if (code === 'UserNotFoundException') return new LoginRefused('unknown_user');
  if (code === 'UserNotConfirmedException') return new LoginRefused('not_confirmed');
  return identityErrorOf(err);
}

// Cognito's error names, in the platform's terms. Anything not listed (a network error, a 5xx,
// an error this code has never seen) means Cognito could not serve the call.
const KINDS: Readonly<Record<string, IdentityErrorKind>> = {
  UsernameExistsException: 'user_exists',
  InvalidPasswordException: 'weak_password',
  InvalidParameterException: 'invalid_parameter',
  NotAuthorizedException: 'not_authorized',
  UserNotFoundException: 'not_authorized',
  TooManyRequestsException: 'throttled',
  LimitExceededException: 'throttled',
  ThrottlingException: 'throttled',
  TooManyFailedAttemptsException: 'throttled',
};

/** The domain error for any failure of a Cognito call. */
export function identityErrorOf(e: unknown): IdentityError {
  if (isIdentityError(e)) return e;
  const code = codeOf(e);
  return new IdentityError(KINDS[code] ?? 'unavailable', code, { cause: e });
}

/** For promises built around the SDK's callbacks, which may also throw synchronously. */
function rethrowDomain(e: unknown): never {
  throw e instanceof LoginRefused ? e : identityErrorOf(e);
}

/** Runs an admin API call; whatever it throws leaves as an IdentityError. */
async function guarded<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    throw identityErrorOf(e);
  }
}

export class CognitoIdentity implements IdentityProvider {
  private readonly pool: InstanceType<typeof CognitoUserPool>;
  private readonly admin: CognitoIdentityProviderClient;

  constructor(
    private readonly s: CognitoSettings,
    private readonly logger: Logger,
  ) {
    this.pool = new CognitoUserPool({
      UserPoolId: s.userPoolId,
      ClientId: s.clientId,
      Storage: noStorage,
      ...(s.endpoint ? { endpoint: s.endpoint } : {}),
    });
    this.admin = new CognitoIdentityProviderClient({
      // Each command class's middleware chain is built once, not on every call: about 0.2 ms
      // of CPU less per login (docs/performance.md, round 7). Commands here are sent without
      // per-call options, the case the cache serves. (lib-dynamodb refuses this setting.)
      cacheMiddleware: true,
      region: s.region,
      ...(s.endpoint ? { endpoint: s.endpoint } : {}),
      ...(s.credentials ? { credentials: s.credentials } : {}),
    });
  }

  signUp(username: string, password: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pool.signUp(username, password, [], [], (err) => {
        if (err) reject(identityErrorOf(err));
        else resolve();
      });
    }).catch(rethrowDomain);
  }

  async confirm(username: string): Promise<void> {
    await guarded(() =>
      this.admin.send(
        new AdminConfirmSignUpCommand({ UserPoolId: this.s.userPoolId, Username: username }),
      ),
    );
  }

  /**
   * USER_PASSWORD_AUTH through InitiateAuth. The library's authenticateUser would build an
   * AuthenticationHelper first, whose constructor computes a 3072-bit SRP value in pure JS
   * (about 70 ms of blocked event loop) that this flow never uses. The answer still becomes
   * the library's CognitoUserSession, the session model the rest of this class speaks.
   */
  async login(username: string, password: string): Promise<Tokens> {
    const out = await this.admin
      .send(
        new InitiateAuthCommand({
          AuthFlow: 'USER_PASSWORD_AUTH',
          ClientId: this.s.clientId,
          AuthParameters: { USERNAME: username, PASSWORD: password },
        }),
      )
      .catch((err: unknown) => {
        throw loginError(err);
      });
    if (out.ChallengeName) {
      this.logger.warn(
        { username, challenge: out.ChallengeName },
        'login needs a challenge this server does not offer',
      );
      throw new LoginRefused('bad_credentials');
    }
    return tokensOf(sessionOf(out.AuthenticationResult));
  }

  // Through the AWS SDK, not amazon-cognito-identity-js: that SDK retries every refresh error
  // with backoff for about 6 s, so one forged refresh token would cost five calls to Cognito.
  async refresh(_username: string, refreshToken: string): Promise<RefreshedTokens> {
    const out = await guarded(() =>
      this.admin.send(
        new InitiateAuthCommand({
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          ClientId: this.s.clientId,
          AuthParameters: { REFRESH_TOKEN: refreshToken },
        }),
      ),
    ).catch((e: IdentityError) => {
      // A refused refresh token, whatever Cognito calls the refusal.
      throw e.kind === 'invalid_parameter' ? new IdentityError('not_authorized', e.message, e) : e;
    });
    const r = out.AuthenticationResult;
    if (!r?.AccessToken || !r.IdToken)
      throw new IdentityError('not_authorized', 'no tokens in the refresh answer');
    return { accessToken: r.AccessToken, idToken: r.IdToken, expiresIn: r.ExpiresIn ?? 3600 };
  }

  async signOutEverywhere(username: string): Promise<void> {
    if (!this.s.globalSignOut) return;
    await guarded(() =>
      this.admin.send(
        new AdminUserGlobalSignOutCommand({ UserPoolId: this.s.userPoolId, Username: username }),
      ),
    );
  }

  async addToGroup(username: string, group: string): Promise<void> {
    await guarded(() =>
      this.admin.send(
        new AdminAddUserToGroupCommand({
          UserPoolId: this.s.userPoolId,
          Username: username,
          GroupName: group,
        }),
      ),
    );
  }

  async removeFromGroup(username: string, group: string): Promise<void> {
    await guarded(() =>
      this.admin.send(
        new AdminRemoveUserFromGroupCommand({
          UserPoolId: this.s.userPoolId,
          Username: username,
          GroupName: group,
        }),
      ),
    );
  }

  async ping(): Promise<void> {
    await guarded(() =>
      this.admin.send(new DescribeUserPoolCommand({ UserPoolId: this.s.userPoolId })),
    );
  }
}

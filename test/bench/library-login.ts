// The benchmark's reference login: amazon-cognito-identity-js's own authenticateUser on the
// USER_PASSWORD_AUTH flow, as the platform logged in before server/src/auth/cognito.ts went
// through InitiateAuth. Its AuthenticationHelper computes an unused 3072-bit SRP value first;
// the bench server runs this (--login-library) to measure that cost in the same run.
import cognitoSdk, { type ICognitoStorage } from 'amazon-cognito-identity-js';
import { loginError } from '../../server/src/auth/cognito.js';
import {
  LoginRefused,
  type IdentityProvider,
  type Tokens,
} from '../../server/src/auth/identity.js';

const { AuthenticationDetails, CognitoUser, CognitoUserPool } = cognitoSdk;

const noStorage: ICognitoStorage = {
  setItem: () => undefined,
  getItem: () => null,
  removeItem: () => undefined,
  clear: () => undefined,
};

export interface PoolSettings {
  userPoolId: string;
  clientId: string;
  endpoint: string;
}

/** `idp` with its login replaced by the library's authenticateUser. */
export function withLibraryLogin(idp: IdentityProvider, s: PoolSettings): IdentityProvider {
  const pool = new CognitoUserPool({
    UserPoolId: s.userPoolId,
    ClientId: s.clientId,
    Storage: noStorage,
    endpoint: s.endpoint,
  });
  const login = (username: string, password: string): Promise<Tokens> =>
    new Promise((resolve, reject) => {
      const user = new CognitoUser({ Username: username, Pool: pool, Storage: noStorage });
      user.setAuthenticationFlowType('USER_PASSWORD_AUTH');
      const refuse = () => reject(new LoginRefused('bad_credentials'));
      user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), {
        onSuccess: (session) => {
          const access = session.getAccessToken();
          resolve({
            accessToken: access.getJwtToken(),
            idToken: session.getIdToken().getJwtToken(),
            refreshToken: session.getRefreshToken().getToken(),
            expiresIn: Math.max(0, access.getExpiration() - Math.floor(Date.now() / 1000)),
          });
        },
        onFailure: (err) => reject(loginError(err)),
        newPasswordRequired: refuse,
        mfaRequired: refuse,
        totpRequired: refuse,
        customChallenge: refuse,
        mfaSetup: refuse,
        selectMFAType: refuse,
      });
    });
  return Object.assign(Object.create(idp) as IdentityProvider, { login });
}

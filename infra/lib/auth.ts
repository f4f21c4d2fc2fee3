import { Construct } from 'constructs';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { PASSWORD_MIN_LENGTH } from '../../shared/src/limits.js';
import { acknowledge } from './nag.js';

export interface AuthProps {
  /** Mirrors AUTH_MERGE_LOGIN_ERRORS: when the server merges unknown user and wrong password,
   * Cognito must hide user existence too; when it tells them apart, Cognito must say which. */
  readonly preventUserExistenceErrors: boolean;
}

/** Accounts: a Cognito user pool the Express server signs players up and in against. */
export class Auth extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;

  constructor(scope: Construct, id: string, props: AuthProps) {
    super(scope, id);
    this.userPool = new cognito.UserPool(this, 'UserPool', {
      // The server calls SignUp with the public client, then AdminConfirmSignUp: no email or
      // phone is collected, so there is nothing to verify and no recovery channel.
      selfSignUpEnabled: true,
      signInAliases: { username: true },
      // Usernames are DynamoDB keys; case-sensitive sign-in keeps the two in step.
      signInCaseSensitive: true,
      autoVerify: {},
      accountRecovery: cognito.AccountRecovery.NONE,
      // ASVS 5.0 6.2.x: length, not composition rules.
      passwordPolicy: {
        minLength: PASSWORD_MIN_LENGTH,
        requireLowercase: false,
        requireUppercase: false,
        requireDigits: false,
        requireSymbols: false,
      },
      // A player may add a TOTP app; nobody is forced to, since the server's USER_PASSWORD_AUTH
      // login answers no MFA challenge yet.
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      featurePlan: cognito.FeaturePlan.LITE,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const pool = this.userPool;
    acknowledge(
      pool,
      'COG1',
      'ASVS 5.0 6.2: 8+ characters and no composition rules, see docs/deployment.md',
    );
    acknowledge(
      pool,
      'COG2',
      'MFA is optional (TOTP): the server login flow answers no MFA challenge yet',
    );
    acknowledge(
      pool,
      'COG8',
      'Cognito advanced security: Lite plan chosen, see docs/deployment.md',
    );

    this.client = this.userPool.addClient('WebClient', {
      // The server authenticates with amazon-cognito-identity-js from a public client:
      // USER_PASSWORD_AUTH for login, SRP kept for clients that prefer it, no secret.
      authFlows: { userPassword: true, userSrp: true },
      generateSecret: false,
      enableTokenRevocation: true,
      preventUserExistenceErrors: props.preventUserExistenceErrors,
      disableOAuth: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    });

    // Admin tools are authorised by membership of this group (DESIGN: Admin).
    new cognito.CfnUserPoolGroup(this, 'AdminGroup', {
      userPoolId: this.userPool.userPoolId,
      groupName: 'admin',
      description: 'Platform administrators (REST admin tools)',
    });
  }
}

// The AWS services the platform talks to: Cognito (identity and tokens) and DynamoDB. In AWS
// mode they are the real services; local mode (local/index.ts) provides the same shape backed
// by the embedded emulators.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Logger } from 'pino';
import { CognitoIdentity } from './auth/cognito.js';
import type { IdentityProvider } from './auth/identity.js';
import { createCognitoVerifier, type TokenVerifier } from './auth/verifier.js';
import type { Config } from './config.js';

export interface Backends {
  mode: 'local' | 'aws';
  idp: IdentityProvider;
  verifier: TokenVerifier;
  dynamo: DynamoDBClient;
  close(): Promise<void>;
}

export async function connectAws(config: Config, logger: Logger): Promise<Backends> {
  if (config.mode.kind !== 'aws') throw new Error('connectAws needs AWS mode settings');
  const { region, userPoolId, clientId } = config.mode;
  const dynamo = new DynamoDBClient({
    region,
    ...(config.DYNAMODB_ENDPOINT ? { endpoint: config.DYNAMODB_ENDPOINT } : {}),
  });
  return {
    mode: 'aws',
    idp: new CognitoIdentity({ userPoolId, clientId, region, globalSignOut: true }, logger),
    verifier: await createCognitoVerifier({ userPoolId, clientId }),
    dynamo,
    close: async () => dynamo.destroy(),
  };
}

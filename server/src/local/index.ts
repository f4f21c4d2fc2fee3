// Local mode: the only module that knows the emulators exist. main.ts imports it dynamically,
// so production installs need none of the emulators' packages.
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { CognitoIdentity } from '../auth/cognito.js';
import { createLocalVerifier } from '../auth/verifier.js';
import type { Backends } from '../backends.js';
import type { Config } from '../config.js';
import { matchesTable, playersTable } from '../players/table.js';
import { ensurePool, ensureTables } from './bootstrap.js';
import { startEmulators } from './emulators.js';

// The emulators accept any credentials; fixed ones keep the SDK from looking for real ones.
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const region = 'us-east-1';

export async function startLocal(config: Config, logger: Logger): Promise<Backends> {
  const dataDir = resolve(config.DATA_DIR);
  await mkdir(dataDir, { recursive: true });
  const emulators = await startEmulators({
    dataDir,
    dynamoPort: config.LOCAL_DYNAMODB_PORT,
    cognitoPort: config.LOCAL_COGNITO_PORT,
    logger,
  });
  try {
    const endpoint = emulators.cognitoEndpoint;
    const admin = new CognitoIdentityProviderClient({ region, endpoint, credentials });
    const dynamo = new DynamoDBClient({ region, endpoint: emulators.dynamoEndpoint, credentials });
    const pool = await ensurePool(admin, dataDir, logger);
    admin.destroy();
    await ensureTables(
      dynamo,
      [playersTable(config.PLAYERS_TABLE), matchesTable(config.MATCHES_TABLE)],
      dataDir,
      logger,
    );
    return await localBackends(pool, endpoint, dynamo, () => emulators.stop(), logger);
  } catch (e) {
    await emulators.stop();
    throw e;
  }
}

async function localBackends(
  pool: { userPoolId: string; clientId: string },
  endpoint: string,
  dynamo: DynamoDBClient,
  stop: () => Promise<void>,
  logger: Logger,
): Promise<Backends> {
  return {
    mode: 'local',
    idp: new CognitoIdentity(
      { ...pool, region, endpoint, credentials, globalSignOut: false },
      logger,
    ),
    verifier: await createLocalVerifier({
      ...pool,
      endpoint,
      issuer: `${endpoint}/${pool.userPoolId}`,
    }),
    dynamo,
    close: async () => {
      dynamo.destroy();
      await stop();
    },
  };
}

/**
 * A process of a cluster (NODES > 1): the emulators its primary started (startLocal) on the
 * configured ports, and the pool that start-up recorded under DATA_DIR. Closing it leaves them
 * running: they are the primary's.
 */
export async function connectLocal(config: Config, logger: Logger): Promise<Backends> {
  const endpoint = `http://127.0.0.1:${config.LOCAL_COGNITO_PORT}`;
  const pool = JSON.parse(
    await readFile(join(resolve(config.DATA_DIR), 'local-aws.json'), 'utf8'),
  ) as { userPoolId: string; clientId: string };
  const dynamo = new DynamoDBClient({
    region,
    endpoint: `http://127.0.0.1:${config.LOCAL_DYNAMODB_PORT}`,
    credentials,
  });
  return localBackends(pool, endpoint, dynamo, async () => undefined, logger);
}

/**
 * The local backends for one-off tools (the admin CLI): the emulators of a running server when
 * there is one, else a fresh start of the local stack on the configured ports.
 */
export async function attachLocal(config: Config, logger: Logger): Promise<Backends> {
  try {
    const backends = await connectLocal(config, logger);
    try {
      await backends.idp.ping();
      return backends;
    } catch (e) {
      await backends.close();
      throw e;
    }
  } catch {
    return startLocal(config, logger);
  }
}

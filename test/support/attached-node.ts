// A server node as its own process that joins emulators already running (a test's local stack)
// instead of starting its own: several such processes are several nodes of one platform, with
// one user pool and one table, as in production. Started through test/support/server-process.ts
// with the stack's DATA_DIR and emulator ports; accounts only (no match rooms).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CognitoIdentity } from '../../server/src/auth/cognito.js';
import { createLocalVerifier } from '../../server/src/auth/verifier.js';
import type { Backends } from '../../server/src/backends.js';
import { loadConfig } from '../../server/src/config.js';
import { createLogger } from '../../server/src/logger.js';
import { metricsApp } from '../../server/src/metrics/http.js';
import { createPlatform } from '../../server/src/platform.js';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const region = 'us-east-1';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const pool = JSON.parse(await readFile(join(config.DATA_DIR, 'local-aws.json'), 'utf8')) as {
    userPoolId: string;
    clientId: string;
  };
  const endpoint = `http://127.0.0.1:${config.LOCAL_COGNITO_PORT}`;
  const dynamo = new DynamoDBClient({
    region,
    endpoint: `http://127.0.0.1:${config.LOCAL_DYNAMODB_PORT}`,
    credentials,
  });
  const backends: Backends = {
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
    close: () => Promise.resolve(dynamo.destroy()),
  };
  const platform = createPlatform({ config, logger, backends });
  const server = platform.app.listen(config.PORT, config.HOST);
  const metrics =
    config.METRICS_PORT === undefined
      ? undefined
      : metricsApp(platform.metrics).listen(config.METRICS_PORT, config.METRICS_HOST);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const stop = async () => {
    server.close();
    metrics?.close();
    server.closeAllConnections();
    await platform.close();
    await backends.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => {
    stop().catch(() => process.exit(1));
  });
  process.stdout.write(`Duel platform at http://${config.HOST}:${config.PORT} (attached node)\n`);
}

main().catch((err: unknown) => {
  console.error(`attached node failed: ${err instanceof Error ? err.stack : String(err)}`);
  process.exit(1);
});

// First run of local mode creates the user pool, the app client, the admin group and the
// tables; later runs find them again through DATA_DIR/local-aws.json and reuse them.
import {
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { PASSWORD_MIN_LENGTH } from '../../../shared/src/limits.js';
import {
  DescribeTableCommand,
  ResourceNotFoundException,
  type CreateTableCommandInput,
  type DynamoDBClient,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { createTable, missingIndexes, rebuildTable } from './table-upgrade.js';

export interface LocalPool {
  userPoolId: string;
  clientId: string;
}

async function readState(file: string): Promise<LocalPool | undefined> {
  try {
    const s = JSON.parse(await readFile(file, 'utf8')) as Partial<LocalPool>;
    return s.userPoolId && s.clientId
      ? { userPoolId: s.userPoolId, clientId: s.clientId }
      : undefined;
  } catch {
    return undefined;
  }
}

async function exists(cognito: CognitoIdentityProviderClient, pool: LocalPool): Promise<boolean> {
  try {
    await cognito.send(
      new DescribeUserPoolClientCommand({ UserPoolId: pool.userPoolId, ClientId: pool.clientId }),
    );
    return true;
  } catch {
    return false;
  }
}

async function createPool(cognito: CognitoIdentityProviderClient): Promise<LocalPool> {
  const pool = await cognito.send(
    new CreateUserPoolCommand({
      PoolName: 'duel-local',
      UsernameAttributes: [],
      Policies: {
        PasswordPolicy: {
          MinimumLength: PASSWORD_MIN_LENGTH,
          RequireLowercase: false,
          RequireUppercase: false,
          RequireNumbers: false,
          RequireSymbols: false,
        },
      },
    }),
  );
  const userPoolId = pool.UserPool?.Id;
  if (!userPoolId) throw new Error('cognito-local created a pool without an id');
  const client = await cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: userPoolId,
      ClientName: 'duel-web',
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      // As real Cognito's defaults: one hour for access and id tokens.
      AccessTokenValidity: 60,
      IdTokenValidity: 60,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'days' },
    }),
  );
  const clientId = client.UserPoolClient?.ClientId;
  if (!clientId) throw new Error('cognito-local created an app client without an id');
  await cognito.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: 'admin' }));
  return { userPoolId, clientId };
}

export async function ensurePool(
  cognito: CognitoIdentityProviderClient,
  dataDir: string,
  logger: Logger,
): Promise<LocalPool> {
  const file = join(dataDir, 'local-aws.json');
  const known = await readState(file);
  if (known && (await exists(cognito, known))) return known;
  const created = await createPool(cognito);
  await writeFile(file, JSON.stringify(created, null, 2));
  logger.info(created, 'local mode: created the user pool, app client and admin group');
  return created;
}

export async function ensureTables(
  dynamo: DynamoDBClient,
  tables: readonly CreateTableCommandInput[],
  dataDir: string,
  logger: Logger,
): Promise<void> {
  for (const table of tables) {
    let existing: TableDescription | undefined;
    try {
      existing = (await dynamo.send(new DescribeTableCommand({ TableName: table.TableName })))
        .Table;
    } catch (e) {
      if (!(e instanceof ResourceNotFoundException)) throw e;
      await createTable(dynamo, table);
      logger.info({ table: table.TableName }, 'local mode: created table');
      continue;
    }
    if (existing && missingIndexes(table, existing).length > 0) {
      await rebuildTable(dynamo, table, dataDir, logger);
    }
  }
}

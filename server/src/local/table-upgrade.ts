// Local mode only: a DATA_DIR made by an older version may lack an index the code now needs
// (the leaderboard's). Real DynamoDB adds one with UpdateTable (the CDK stack does that);
// dynalite cannot, so the table is rebuilt with its items, after a backup beside it.
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteTableCommand,
  ScanCommand,
  type AttributeValue,
  type CreateTableCommandInput,
  type DynamoDBClient,
  type TableDescription,
  waitUntilTableExists,
  waitUntilTableNotExists,
} from '@aws-sdk/client-dynamodb';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';

type Item = Record<string, AttributeValue>;

// dynalite answers DeleteTable and CreateTable at once and finishes them on a timer; a table
// created before the old one's timer fires is deleted with it. So each step waits for its end.
const LOCAL_WAIT = { minDelay: 0.05, maxDelay: 0.5, maxWaitTime: 30 } as const;

/** Creates a table and waits until it is ACTIVE. */
export async function createTable(
  dynamo: DynamoDBClient,
  layout: CreateTableCommandInput,
): Promise<void> {
  await dynamo.send(new CreateTableCommand(layout));
  await waitUntilTableExists({ client: dynamo, ...LOCAL_WAIT }, { TableName: layout.TableName });
}

/** The layout's indexes that the existing table lacks. */
export function missingIndexes(layout: CreateTableCommandInput, table: TableDescription): string[] {
  const have = new Set((table.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
  return (layout.GlobalSecondaryIndexes ?? [])
    .map((i) => i.IndexName ?? '')
    .filter((n) => !have.has(n));
}

async function allItems(dynamo: DynamoDBClient, name: string): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const page = await dynamo.send(new ScanCommand({ TableName: name, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

export async function rebuildTable(
  dynamo: DynamoDBClient,
  layout: CreateTableCommandInput,
  backupDir: string,
  logger: Logger,
): Promise<void> {
  const name = layout.TableName ?? '';
  const items = await allItems(dynamo, name);
  const backup = join(backupDir, `${name}-backup-${Date.now()}.json`);
  await writeFile(backup, JSON.stringify(items));
  await dynamo.send(new DeleteTableCommand({ TableName: name }));
  await waitUntilTableNotExists({ client: dynamo, ...LOCAL_WAIT }, { TableName: name });
  await createTable(dynamo, layout);
  for (let i = 0; i < items.length; i += 25) {
    let writes = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    while (writes.length) {
      const out = await dynamo.send(
        new BatchWriteItemCommand({ RequestItems: { [name]: writes } }),
      );
      writes = (out.UnprocessedItems?.[name] ?? []) as typeof writes;
    }
  }
  logger.info(
    { table: name, items: items.length, backup },
    'local mode: rebuilt table with new indexes',
  );
}

// The results consumer as an AWS Lambda with an SQS event source: the same ResultConsumer the
// local queue drains with. Failed records are reported one by one (ReportBatchItemFailures),
// so SQS redelivers only those and dead-letters a record after maxReceiveCount receives.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Logger } from 'pino';
import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { PlayerRepository } from '../players/repository.js';
import { ResultConsumer } from './consumer.js';
import { MatchRepository } from './repository.js';
import { parseResult } from './result.js';

/** The fields of an SQS event record this handler reads (aws-lambda's SQSRecord). */
export interface SqsRecord {
  messageId: string;
  body: string;
  attributes?: { ApproximateReceiveCount?: string };
}
export interface SqsEvent {
  Records: SqsRecord[];
}
export interface SqsBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

export function createHandler(
  consumer: Pick<ResultConsumer, 'apply'>,
  logger: Logger,
): (event: SqsEvent) => Promise<SqsBatchResponse> {
  return async (event) => {
    const batchItemFailures: SqsBatchResponse['batchItemFailures'] = [];
    // In order, one at a time: a batch is small, and results of one player stay in sequence.
    for (const record of event.Records) {
      try {
        const outcome = await consumer.apply(parseResult(JSON.parse(record.body)));
        logger.info({ messageId: record.messageId, outcome }, 'match result consumed');
      } catch (err) {
        const receives = record.attributes?.ApproximateReceiveCount;
        logger.error({ err, messageId: record.messageId, receives }, 'match result not applied');
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  };
}

let cached: ((event: SqsEvent) => Promise<SqsBatchResponse>) | undefined;

function fromEnvironment(): (event: SqsEvent) => Promise<SqsBatchResponse> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  // The Lambda runtime sets AWS_REGION; the SDK reads it (and the role's credentials) itself.
  const dynamo = new DynamoDBClient(
    config.DYNAMODB_ENDPOINT ? { endpoint: config.DYNAMODB_ENDPOINT } : {},
  );
  const consumer = new ResultConsumer({
    players: new PlayerRepository(dynamo, config.PLAYERS_TABLE),
    matches: new MatchRepository(dynamo, config.MATCHES_TABLE),
    logger,
  });
  return createHandler(consumer, logger);
}

/** The Lambda entry point (infra/lib/results.ts bundles this file). */
export const handler = (event: SqsEvent): Promise<SqsBatchResponse> =>
  (cached ??= fromEnvironment())(event);

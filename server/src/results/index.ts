// The results path of a node that hosts matches: a finished match becomes one message on the
// results queue (SQS in AWS mode when EVENTS_QUEUE_URL is set, else the local queue under
// DATA_DIR, drained here by the same consumer the Lambda runs).
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { MatchEndedEvent } from '../match/worker-protocol.js';
import type { PlayerItem } from '../players/player.js';
import type { PlayerRepository } from '../players/repository.js';
import { SQSClient } from '@aws-sdk/client-sqs';
import { ResultConsumer } from './consumer.js';
import { LocalResultsQueue, type LocalQueueEvents } from './local-queue.js';
import type { DeadLetters, ResultsQueue } from './queue.js';
import { MatchRepository } from './repository.js';
import { resultFromMatchEnded } from './result.js';
import { SqsDeadLetters, SqsResultsQueue } from './sqs-queue.js';

export interface Results {
  /** Puts the finished match on the queue; resolves once it is durable. Never rejects. */
  record(e: MatchEndedEvent): Promise<void>;
  /** Waits for every record in flight, then up to `ms` for the local backlog. */
  drain(ms: number): Promise<void>;
  deadLetters: DeadLetters | undefined;
  close(): Promise<void>;
}

export interface ResultsOptions {
  config: Config;
  dynamo: DynamoDBClient;
  players: PlayerRepository;
  logger: Logger;
  onPlayerUpdated?: (item: PlayerItem) => Promise<void>;
  events?: LocalQueueEvents;
}

export const LOCAL_QUEUE_DIR = 'results-queue';

function awsQueue(config: Config, url: string): { queue: ResultsQueue; deadLetters?: DeadLetters } {
  const region = config.mode.kind === 'aws' ? config.mode.region : undefined;
  const sqs = new SQSClient(region ? { region } : {});
  const queue = new SqsResultsQueue(sqs, url);
  if (!config.EVENTS_DLQ_URL) return { queue };
  return {
    queue,
    deadLetters: new SqsDeadLetters(sqs, { queueUrl: url, deadLetterUrl: config.EVENTS_DLQ_URL }),
  };
}

export function createResults(o: ResultsOptions): Results {
  const { config, logger } = o;
  const consumer = new ResultConsumer({
    players: o.players,
    matches: new MatchRepository(o.dynamo, config.MATCHES_TABLE),
    logger,
    ...(o.onPlayerUpdated ? { onPlayerUpdated: o.onPlayerUpdated } : {}),
  });
  let queue: ResultsQueue;
  let deadLetters: DeadLetters | undefined;
  if (config.EVENTS_QUEUE_URL) {
    ({ queue, deadLetters } = awsQueue(config, config.EVENTS_QUEUE_URL));
  } else {
    const local = new LocalResultsQueue({
      // One LevelDB per process: a cluster's process i keeps its own (node-i), found again
      // by the process that replaces it after a crash.
      path: join(
        resolve(config.DATA_DIR),
        ...(config.NODE_INDEX === undefined ? [] : [`node-${config.NODE_INDEX}`]),
        LOCAL_QUEUE_DIR,
      ),
      policy: {
        maxAttempts: config.RESULTS_MAX_ATTEMPTS,
        baseDelayMs: config.RESULTS_RETRY_BASE_MS,
        maxDelayMs: config.RESULTS_RETRY_MAX_MS,
      },
      logger,
      ...(o.events ? { events: o.events } : {}),
    });
    queue = deadLetters = local;
  }
  queue.start((r) => consumer.apply(r));
  const pending = new Set<Promise<void>>();
  return {
    deadLetters,
    record(e) {
      const result = resultFromMatchEnded(e);
      const done = queue
        .enqueue(result)
        .catch((err: unknown) => logger.error({ err, result }, 'could not queue match result'))
        .finally(() => pending.delete(done));
      pending.add(done);
      return done;
    },
    async drain(ms) {
      while (pending.size) await Promise.all(pending);
      await queue.drain(ms);
    },
    close: () => queue.close(),
  };
}

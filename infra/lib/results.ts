// The results consumer in AWS: a Lambda on the events queue, running the same ResultConsumer
// as local mode's in-process queue (server/src/results/lambda.ts). SQS redrives a message to
// the dead-letter queue after EVENTS_MAX_RECEIVE_COUNT receives (infra/lib/data.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Construct } from 'constructs';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { acknowledge } from './nag.js';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { buildSync } from 'esbuild';

export interface ResultsProps {
  readonly players: dynamodb.ITable;
  readonly matches: dynamodb.ITable;
  readonly key: kms.IKey;
  readonly events: sqs.IQueue;
  readonly deadLetters: sqs.IQueue;
}

const ENTRY = fileURLToPath(new URL('../../server/src/results/lambda.ts', import.meta.url));
/**
 * Longer than the slowest batch (10 results × a few DynamoDB writes with SDK retries), and
 * shorter than the queue's 30 s visibility timeout, so a running batch is never redelivered.
 */
export const RESULTS_TIMEOUT = Duration.seconds(20);

/** Bundles the handler with esbuild at synth time: offline, no Docker. */
function bundle(): string {
  const outdir = mkdtempSync(join(tmpdir(), 'duel-results-lambda-'));
  buildSync({
    entryPoints: [ENTRY],
    outfile: join(outdir, 'index.js'),
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    minify: true,
    legalComments: 'none',
    logLevel: 'error',
  });
  return outdir;
}

export class Results extends Construct {
  readonly consumer: lambda.Function;

  constructor(scope: Construct, id: string, props: ResultsProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // No managed policy (AWSLambdaBasicExecutionRole grants logs on every group): only the
    // two tables, the key and this log group here; the event source adds the queue.
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Duel results consumer: applies match results to the players and matches tables',
    });
    for (const statement of consumerStatements(this, props, logGroup)) role.addToPolicy(statement);

    const bundled = bundle();
    this.consumer = new lambda.Function(this, 'Consumer', {
      description: 'Applies match results from the events queue, exactly once per matchId',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(bundled),
      memorySize: 256,
      timeout: RESULTS_TIMEOUT,
      role,
      logGroup,
      environment: {
        PLAYERS_TABLE: props.players.tableName,
        MATCHES_TABLE: props.matches.tableName,
        LOG_LEVEL: 'info',
      },
    });
    // The asset was staged (copied into the cloud assembly) when the function bound it.
    rmSync(bundled, { recursive: true, force: true });
    // The event source grants the role what consuming the queue takes (receive, delete,
    // change visibility, and decrypt with the queue's key).
    acknowledge(
      this.consumer,
      'L1',
      'Node.js 22 on purpose: the version the game servers run and CI tests (docs/deployment.md)',
    );
    this.consumer.addEventSource(
      new SqsEventSource(props.events, {
        batchSize: 10,
        // Only the failed records come back; the rest of the batch is deleted.
        reportBatchItemFailures: true,
        maxBatchingWindow: Duration.seconds(1),
      }),
    );
  }
}

function consumerStatements(
  scope: Construct,
  props: ResultsProps,
  logGroup: logs.LogGroup,
): iam.PolicyStatement[] {
  const region = Stack.of(scope).region;
  return [
    new iam.PolicyStatement({
      sid: 'ApplyResults',
      actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      resources: [props.players.tableArn, props.matches.tableArn],
    }),
    new iam.PolicyStatement({
      sid: 'ResultsKey',
      actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
      resources: [props.key.keyArn],
      conditions: {
        StringEquals: {
          'kms:ViaService': [`dynamodb.${region}.amazonaws.com`, `sqs.${region}.amazonaws.com`],
        },
      },
    }),
    new iam.PolicyStatement({
      sid: 'ResultsLogs',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [logGroup.logGroupArn],
    }),
  ];
}

/** What the game servers need for the admin dead-letter routes: list, replay, delete. */
export function deadLetterStatements(props: ResultsProps): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'ReplayDeadLetters',
      actions: ['sqs:DeleteMessage', 'sqs:ReceiveMessage'],
      resources: [props.deadLetters.queueArn],
    }),
  ];
}

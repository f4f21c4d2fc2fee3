import { Arn, ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { LEADERBOARD_INDEX, ONLINE_INDEX } from './data.js';

/** Everything a game server touches, by resource. */
export interface ServerResources {
  readonly players: dynamodb.ITable;
  readonly matches: dynamodb.ITable;
  readonly key: kms.IKey;
  readonly userPool: cognito.IUserPool;
  readonly events: sqs.IQueue;
  readonly artifactObjectArn: string;
  readonly logGroups: readonly logs.ILogGroup[];
  readonly autoScalingGroupName: string;
  /** Secrets the node reads at boot: the Redis AUTH token and the TURN shared secret. */
  readonly secretArns: readonly string[];
}

/** Item-level access for the players mirror, leases, stats and match results. */
export const DYNAMODB_ACTIONS = [
  'dynamodb:BatchGetItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DeleteItem',
  'dynamodb:DescribeTable', // readiness check
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:Query', // lease reaper and admin listing on online-index, leaderboard-index
  'dynamodb:Scan', // admin listing of all players, a page per request
  'dynamodb:UpdateItem',
];

/** Exactly the Cognito admin calls the server makes. */
export const COGNITO_ACTIONS = [
  'cognito-idp:AdminConfirmSignUp', // sign-up confirms accounts without email
  'cognito-idp:AdminUserGlobalSignOut', // logout and kick revoke refresh tokens
  'cognito-idp:DescribeUserPool', // readiness check
];

/**
 * The game server role's statements: named actions on named resources only. Resource `*`
 * appears once, for PutMetricData, which has no resource type and is pinned to the
 * CloudWatch agent's namespace by condition instead.
 */
export function serverPolicyStatements(
  scope: Construct,
  resources: ServerResources,
): iam.PolicyStatement[] {
  const stack = Stack.of(scope);
  const { players, matches, key, userPool, events, logGroups } = resources;
  return [
    new iam.PolicyStatement({
      sid: 'GameData',
      actions: DYNAMODB_ACTIONS,
      resources: [
        players.tableArn,
        `${players.tableArn}/index/${ONLINE_INDEX}`,
        `${players.tableArn}/index/${LEADERBOARD_INDEX}`,
        matches.tableArn,
      ],
    }),
    new iam.PolicyStatement({
      sid: 'GameDataKey',
      // Tables and queue encrypt with this key; only those services may use it for us.
      actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
      resources: [key.keyArn],
      conditions: {
        StringEquals: {
          'kms:ViaService': [
            `dynamodb.${stack.region}.amazonaws.com`,
            `sqs.${stack.region}.amazonaws.com`,
          ],
        },
      },
    }),
    new iam.PolicyStatement({
      sid: 'Accounts',
      actions: COGNITO_ACTIONS,
      resources: [userPool.userPoolArn],
    }),
    new iam.PolicyStatement({
      sid: 'PublishEvents',
      actions: ['sqs:SendMessage'],
      resources: [events.queueArn],
    }),
    new iam.PolicyStatement({
      sid: 'FetchRelease',
      actions: ['s3:GetObject'],
      resources: [resources.artifactObjectArn],
    }),
    new iam.PolicyStatement({
      sid: 'ShipLogs',
      actions: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
      resources: logGroups.map((group) => group.logGroupArn),
    }),
    new iam.PolicyStatement({
      sid: 'ReadBootSecrets',
      actions: ['secretsmanager:GetSecretValue'],
      resources: [...resources.secretArns],
    }),
    new iam.PolicyStatement({
      sid: 'HostMetrics',
      actions: ['cloudwatch:PutMetricData'],
      resources: ['*'],
      conditions: { StringEquals: { 'cloudwatch:namespace': 'CWAgent' } },
    }),
    new iam.PolicyStatement({
      sid: 'FinishDrain',
      // The drain script tells the ASG this node may now terminate.
      actions: [
        'autoscaling:CompleteLifecycleAction',
        'autoscaling:RecordLifecycleActionHeartbeat',
      ],
      resources: [
        Arn.format(
          {
            service: 'autoscaling',
            resource: 'autoScalingGroup',
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            resourceName: `*:autoScalingGroupName/${resources.autoScalingGroupName}`,
          },
          stack,
        ),
      ],
    }),
  ];
}

import { Construct } from 'constructs';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';

/** The sparse index the lease reaper queries: only players holding a lease carry `online`. */
export const ONLINE_INDEX = 'online-index';
/**
 * The leaderboard index: write shards `lbShard` × the order itself as `rankKey` (see
 * server/src/leaderboard/rank-key.ts). Sparse: only players with a result carry the key.
 */
export const LEADERBOARD_INDEX = 'leaderboard-index';
/** Dead-lettering after this many failed receives keeps a poison event from looping. */
export const EVENTS_MAX_RECEIVE_COUNT = 5;

/**
 * Durable state: the players mirror, match results, and the event queue, all encrypted with
 * one customer-managed key so access to the data can be revoked in one place.
 */
export class Data extends Construct {
  readonly key: kms.Key;
  readonly players: dynamodb.Table;
  readonly matches: dynamodb.Table;
  readonly events: sqs.Queue;
  readonly eventsDeadLetters: sqs.Queue;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.key = new kms.Key(this, 'DataKey', {
      description: 'Duel platform: players and matches tables, events queue',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
      policy: keyPolicy(),
    });

    const tableDefaults = {
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    } as const;

    this.players = new dynamodb.Table(this, 'Players', {
      ...tableDefaults,
      partitionKey: { name: 'username', type: dynamodb.AttributeType.STRING },
    });
    this.players.addGlobalSecondaryIndex({
      indexName: ONLINE_INDEX,
      partitionKey: { name: 'online', type: dynamodb.AttributeType.NUMBER },
      sortKey: { name: 'leaseExpiresAt', type: dynamodb.AttributeType.NUMBER },
      // The reaper only needs keys to find expired leases, then does conditional writes.
      projectionType: dynamodb.ProjectionType.KEYS_ONLY,
    });
    this.players.addGlobalSecondaryIndex({
      indexName: LEADERBOARD_INDEX,
      partitionKey: { name: 'lbShard', type: dynamodb.AttributeType.NUMBER },
      sortKey: { name: 'rankKey', type: dynamodb.AttributeType.STRING },
      // The rank key holds everything a leaderboard row shows, so keys are enough.
      projectionType: dynamodb.ProjectionType.KEYS_ONLY,
    });

    this.matches = new dynamodb.Table(this, 'Matches', {
      ...tableDefaults,
      partitionKey: { name: 'matchId', type: dynamodb.AttributeType.STRING },
      // Only volatile items (e.g. abandoned matches) set expiresAt; results never expire.
      timeToLiveAttribute: 'expiresAt',
    });

    this.eventsDeadLetters = new sqs.Queue(this, 'EventsDeadLetters', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.events = new sqs.Queue(this, 'Events', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      // Reuse data keys for 5 minutes: fewer KMS calls, same protection at rest.
      dataKeyReuse: Duration.minutes(5),
      enforceSSL: true,
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.eventsDeadLetters, maxReceiveCount: EVENTS_MAX_RECEIVE_COUNT },
    });
  }
}

/**
 * The account administers and may use the key, so IAM policies decide who actually does
 * (the game server role gets exactly its data actions). Actions are listed one by one
 * rather than `kms:*` so the template carries no wildcard grant on data.
 */
function keyPolicy(): iam.PolicyDocument {
  return new iam.PolicyDocument({
    statements: [
      new iam.PolicyStatement({
        sid: 'AccountAdministersKey',
        principals: [new iam.AccountRootPrincipal()],
        actions: [
          'kms:CancelKeyDeletion',
          'kms:CreateAlias',
          'kms:CreateGrant',
          'kms:DeleteAlias',
          'kms:DescribeKey',
          'kms:DisableKey',
          'kms:DisableKeyRotation',
          'kms:EnableKey',
          'kms:EnableKeyRotation',
          'kms:GetKeyPolicy',
          'kms:GetKeyRotationStatus',
          'kms:ListGrants',
          'kms:ListKeyPolicies',
          'kms:ListKeyRotations',
          'kms:ListResourceTags',
          'kms:PutKeyPolicy',
          'kms:RetireGrant',
          'kms:RevokeGrant',
          'kms:RotateKeyOnDemand',
          'kms:ScheduleKeyDeletion',
          'kms:TagResource',
          'kms:UntagResource',
          'kms:UpdateAlias',
          'kms:UpdateKeyDescription',
        ],
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'AccountUsesKeyThroughIam',
        principals: [new iam.AccountRootPrincipal()],
        actions: [
          'kms:Decrypt',
          'kms:Encrypt',
          'kms:GenerateDataKey',
          'kms:GenerateDataKeyWithoutPlaintext',
          'kms:ReEncryptFrom',
          'kms:ReEncryptTo',
        ],
        resources: ['*'],
      }),
    ],
  });
}

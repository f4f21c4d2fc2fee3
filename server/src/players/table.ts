// Table layouts, shared by the local-mode bootstrap and the tests. In AWS mode the CDK stack
// (infra/) creates the same tables; keep the two in step.
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/** Sparse index over players with a live session: the lease reaper queries it, never scans. */
export const ONLINE_INDEX = 'online-index';

/**
 * The leaderboard: partition `lbShard` (a few write shards), sort `rankKey` (the order itself,
 * see server/src/leaderboard/rank-key.ts). Sparse: only players with a result carry the key.
 */
export const LEADERBOARD_INDEX = 'leaderboard-index';

export function playersTable(name: string): CreateTableCommandInput {
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'username', AttributeType: 'S' },
      { AttributeName: 'online', AttributeType: 'N' },
      { AttributeName: 'leaseExpiresAt', AttributeType: 'N' },
      { AttributeName: 'lbShard', AttributeType: 'N' },
      { AttributeName: 'rankKey', AttributeType: 'S' },
    ],
    KeySchema: [{ AttributeName: 'username', KeyType: 'HASH' }],
    GlobalSecondaryIndexes: [
      {
        IndexName: ONLINE_INDEX,
        KeySchema: [
          { AttributeName: 'online', KeyType: 'HASH' },
          { AttributeName: 'leaseExpiresAt', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
      {
        IndexName: LEADERBOARD_INDEX,
        KeySchema: [
          { AttributeName: 'lbShard', KeyType: 'HASH' },
          { AttributeName: 'rankKey', KeyType: 'RANGE' },
        ],
        // The rank key holds everything a row shows, so pages never read the player items.
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
    ],
  };
}

export function matchesTable(name: string): CreateTableCommandInput {
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'matchId', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'matchId', KeyType: 'HASH' }],
  };
}

import { describe, expect, it } from 'vitest';
import { Match } from 'aws-cdk-lib/assertions';
import { playersTable } from '../../server/src/players/table.js';
import { logicalId, synthesize } from './synth.js';

const { platform } = synthesize();

describe('DynamoDB tables', () => {
  const tables = platform.findResources('AWS::DynamoDB::Table');
  const keyId = logicalId(platform, 'AWS::KMS::Key', 'DataDataKey');

  it('has exactly the players and matches tables', () => {
    expect(Object.keys(tables).sort()).toEqual([
      logicalId(platform, 'AWS::DynamoDB::Table', 'DataMatches'),
      logicalId(platform, 'AWS::DynamoDB::Table', 'DataPlayers'),
    ]);
  });

  it('turns on point-in-time recovery, on-demand billing and deletion protection for both', () => {
    for (const table of Object.values(tables)) {
      expect(table.Properties.PointInTimeRecoverySpecification).toEqual({
        PointInTimeRecoveryEnabled: true,
      });
      expect(table.Properties.BillingMode).toBe('PAY_PER_REQUEST');
      expect(table.Properties.DeletionProtectionEnabled).toBe(true);
      expect(table.DeletionPolicy).toBe('Retain');
    }
  });

  it('encrypts both with the customer-managed key', () => {
    for (const table of Object.values(tables)) {
      expect(table.Properties.SSESpecification).toEqual({
        SSEEnabled: true,
        SSEType: 'KMS',
        KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
      });
    }
  });

  it('rotates the key and keeps it on stack deletion', () => {
    platform.hasResource('AWS::KMS::Key', {
      Properties: { EnableKeyRotation: true },
      DeletionPolicy: 'Retain',
    });
  });

  it('keys players by username with the sparse, keys-only online-index', () => {
    platform.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'username', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: Match.arrayWith([
        {
          IndexName: 'online-index',
          KeySchema: [
            { AttributeName: 'online', KeyType: 'HASH' },
            { AttributeName: 'leaseExpiresAt', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ]),
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: 'online', AttributeType: 'N' },
        { AttributeName: 'leaseExpiresAt', AttributeType: 'N' },
      ]),
    });
  });

  it('has the keys-only leaderboard-index: write shards × rank key', () => {
    platform.hasResourceProperties('AWS::DynamoDB::Table', {
      GlobalSecondaryIndexes: Match.arrayWith([
        {
          IndexName: 'leaderboard-index',
          KeySchema: [
            { AttributeName: 'lbShard', KeyType: 'HASH' },
            { AttributeName: 'rankKey', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ]),
    });
  });

  it('gives players exactly the indexes and key attributes of the server’s table layout', () => {
    const layout = playersTable('players');
    const [players] = Object.values(tables).filter(
      (t) => JSON.stringify(t.Properties.KeySchema) === JSON.stringify(layout.KeySchema),
    );
    const byName = <T extends { IndexName?: string; AttributeName?: string }>(list: T[]) =>
      [...list].sort((a, b) =>
        (a.IndexName ?? a.AttributeName ?? '').localeCompare(b.IndexName ?? b.AttributeName ?? ''),
      );
    expect(byName(players?.Properties.GlobalSecondaryIndexes)).toEqual(
      byName(layout.GlobalSecondaryIndexes ?? []),
    );
    expect(byName(players?.Properties.AttributeDefinitions)).toEqual(
      byName(layout.AttributeDefinitions ?? []),
    );
  });

  it('keys matches by matchId and expires volatile items on expiresAt', () => {
    platform.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'matchId', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });
});

describe('events queue', () => {
  const dlq = logicalId(platform, 'AWS::SQS::Queue', 'DataEventsDeadLetters');
  const keyId = logicalId(platform, 'AWS::KMS::Key', 'DataDataKey');

  it('dead-letters a message after 5 failed receives', () => {
    platform.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlq, 'Arn'] }, maxReceiveCount: 5 },
    });
  });

  it('encrypts the queue and its dead-letter queue with the data key', () => {
    const queues = Object.values(platform.findResources('AWS::SQS::Queue'));
    expect(queues).toHaveLength(2);
    for (const queue of queues) {
      expect(queue.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    }
  });
});

describe('Cognito', () => {
  it('signs in by username with an 8-character, rule-free password policy', () => {
    platform.hasResourceProperties('AWS::Cognito::UserPool', {
      UsernameAttributes: Match.absent(),
      AliasAttributes: Match.absent(),
      Policies: {
        PasswordPolicy: {
          MinimumLength: 8,
          RequireLowercase: false,
          RequireUppercase: false,
          RequireNumbers: false,
          RequireSymbols: false,
        },
      },
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
      DeletionProtection: 'ACTIVE',
    });
  });

  it('gives the app client password and SRP flows, revocation, and no secret', () => {
    platform.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ExplicitAuthFlows: Match.arrayEquals([
        'ALLOW_USER_PASSWORD_AUTH',
        'ALLOW_USER_SRP_AUTH',
        'ALLOW_REFRESH_TOKEN_AUTH',
      ]),
      GenerateSecret: false,
      EnableTokenRevocation: true,
      PreventUserExistenceErrors: 'LEGACY',
    });
  });

  it('prevents user existence errors when login errors are merged', () => {
    const merged = synthesize({ mergeLoginErrors: 'true' }).platform;
    merged.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      PreventUserExistenceErrors: 'ENABLED',
    });
    expect(JSON.stringify(merged.toJSON())).toContain('AUTH_MERGE_LOGIN_ERRORS=true');
  });

  it('has the admin group', () => {
    platform.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'admin' });
  });
});

describe('Redis', () => {
  it('runs in isolated subnets with TLS, reachable only from the game servers', () => {
    platform.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      Engine: 'redis',
      TransitEncryptionEnabled: true,
      AtRestEncryptionEnabled: true,
    });
    const subnets = platform.findResources('AWS::ElastiCache::SubnetGroup');
    const ids = JSON.stringify(Object.values(subnets)[0]?.Properties.SubnetIds);
    expect(ids).toContain('cacheSubnet');
    expect(ids).not.toContain('publicSubnet');
  });
});

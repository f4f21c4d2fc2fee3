import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { EVENTS_MAX_RECEIVE_COUNT } from '../lib/data.js';
import { RESULTS_TIMEOUT } from '../lib/results.js';
import { actionsOf, logicalId, synthesize, type Statement } from './synth.js';

const { platform } = synthesize();
const fnId = logicalId(platform, 'AWS::Lambda::Function', 'ResultsConsumer');
const queueId = logicalId(platform, 'AWS::SQS::Queue', 'DataEventsB');
const dlqId = logicalId(platform, 'AWS::SQS::Queue', 'DataEventsDeadLetters');
const keyId = logicalId(platform, 'AWS::KMS::Key', 'DataDataKey');
const roleId = logicalId(platform, 'AWS::IAM::Role', 'ResultsRole');

/** Logical ids a statement's Resource points at (Ref, Fn::GetAtt), wherever they sit. */
function referencedIds(resource: unknown): string[] {
  if (Array.isArray(resource)) return resource.flatMap(referencedIds);
  if (resource === null || typeof resource !== 'object') return [];
  const node = resource as Record<string, unknown>;
  if (typeof node['Ref'] === 'string') return [node['Ref']];
  const getAtt = node['Fn::GetAtt'];
  if (Array.isArray(getAtt)) return [String(getAtt[0])];
  return Object.values(node).flatMap(referencedIds);
}

function roleStatements(): Statement[] {
  return Object.values(platform.findResources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
}

describe('the results consumer Lambda', () => {
  it('consumes the events queue, reporting batch item failures', () => {
    platform.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: fnId },
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 10,
    });
  });

  it('the queue redrives to the dead-letter queue after maxReceiveCount receives', () => {
    platform.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] },
        maxReceiveCount: EVENTS_MAX_RECEIVE_COUNT,
      },
    });
    expect(EVENTS_MAX_RECEIVE_COUNT).toBeGreaterThan(1);
    // The queue's default 30 s visibility outlasts one run, so a batch is not handed out twice.
    platform.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: Match.anyValue(),
      VisibilityTimeout: Match.absent(),
    });
    expect(RESULTS_TIMEOUT.toSeconds()).toBeLessThan(30);
  });

  it('runs Node 22 from a bundled asset, with the table names in its environment', () => {
    platform.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Role: { 'Fn::GetAtt': [roleId, 'Arn'] },
      Environment: {
        Variables: {
          PLAYERS_TABLE: { Ref: logicalId(platform, 'AWS::DynamoDB::Table', 'DataPlayers') },
          MATCHES_TABLE: { Ref: logicalId(platform, 'AWS::DynamoDB::Table', 'DataMatches') },
        },
      },
    });
  });

  it('its IAM reaches only the two tables, the queue, the key and its own log group', () => {
    const role = platform.findResources('AWS::IAM::Role')[roleId]?.Properties;
    expect(role?.ManagedPolicyArns).toBeUndefined();
    const statements = roleStatements();
    const allowed = new Set([
      logicalId(platform, 'AWS::DynamoDB::Table', 'DataPlayers'),
      logicalId(platform, 'AWS::DynamoDB::Table', 'DataMatches'),
      queueId,
      keyId,
      logicalId(platform, 'AWS::Logs::LogGroup', 'ResultsLogs'),
    ]);
    for (const s of statements) {
      const ids = referencedIds(s.Resource);
      expect(ids.length, JSON.stringify(s)).toBeGreaterThan(0);
      for (const id of ids) expect(allowed, `${id} in ${JSON.stringify(s)}`).toContain(id);
      expect(JSON.stringify(s.Resource)).not.toContain('"*"');
    }
    const actions = statements.flatMap(actionsOf).sort();
    expect(actions.filter((a) => a.startsWith('dynamodb:'))).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ]);
    expect(actions).toContain('sqs:ReceiveMessage');
    expect(actions).toContain('sqs:DeleteMessage');
    expect(actions.filter((a) => a.startsWith('sqs:SendMessage'))).toEqual([]);
  });

  it('the game servers may read and delete dead letters (the admin replay), nothing more on the DLQ', () => {
    const gameRole = logicalId(platform, 'AWS::IAM::Role', 'GameServersRole');
    const statements = Object.values(platform.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(gameRole))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
    const onDlq = statements.filter((s) => JSON.stringify(s.Resource).includes(dlqId));
    expect(onDlq.flatMap(actionsOf).sort()).toEqual(['sqs:DeleteMessage', 'sqs:ReceiveMessage']);
  });
});

import { describe, expect, it } from 'vitest';
import { actionsOf, logicalId, policyStatements, synthesize, type Statement } from './synth.js';

const { platform, edge, artifacts } = synthesize();
const templates = { platform, edge, artifacts };
const DATA_SERVICES = ['dynamodb', 'kms', 'cognito-idp', 's3', 'sqs'];

describe('IAM across every template', () => {
  for (const [name, template] of Object.entries(templates)) {
    const statements = policyStatements(template);

    it(`${name}: no Allow statement grants "*" or a whole service`, () => {
      const offending = statements
        .filter((s) => s.Effect === 'Allow')
        .flatMap(actionsOf)
        .filter((action) => action === '*' || /^[a-z0-9-]+:\*$/.test(action));
      expect(offending).toEqual([]);
    });

    it(`${name}: no Allow statement names a data action by wildcard or NotAction`, () => {
      const allows = statements.filter((s) => s.Effect === 'Allow');
      expect(allows.filter((s) => s.NotAction !== undefined)).toEqual([]);
      const wildcards = allows
        .flatMap(actionsOf)
        .filter((action) => DATA_SERVICES.includes(action.split(':')[0] ?? ''))
        .filter((action) => action.includes('*'));
      expect(wildcards).toEqual([]);
    });

    it(`${name}: wildcard actions appear only in TLS-only Deny statements`, () => {
      const wildcardDenies = statements.filter(
        (s) => s.Effect === 'Deny' && actionsOf(s).some((a) => a.includes('*')),
      );
      for (const deny of wildcardDenies) {
        expect(deny.Condition).toEqual({ Bool: { 'aws:SecureTransport': 'false' } });
      }
    });
  }

  it('walks a meaningful number of statements', () => {
    expect(policyStatements(platform).length).toBeGreaterThan(10);
  });
});

describe('game server role', () => {
  const role = logicalId(platform, 'AWS::IAM::Role', 'GameServersRole');
  const policies = Object.values(platform.findResources('AWS::IAM::Policy')).filter((p) =>
    JSON.stringify(p.Properties.Roles).includes(role),
  );
  const statements = policies.flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
  const bySid = (sid: string) => {
    const found = statements.find((s) => s.Sid === sid);
    if (found === undefined) throw new Error(`no statement ${sid}`);
    return found;
  };

  it('has no managed policies unless Session Manager is asked for', () => {
    const props = platform.findResources('AWS::IAM::Role')[role]?.Properties;
    expect(props?.ManagedPolicyArns).toBeUndefined();
  });

  it('uses named actions only', () => {
    expect(statements.flatMap(actionsOf).filter((a) => a.includes('*'))).toEqual([]);
  });

  it('allows exactly the Cognito admin actions the app uses, on its pool only', () => {
    const pool = logicalId(platform, 'AWS::Cognito::UserPool', 'AuthUserPool');
    expect(bySid('Accounts')).toEqual({
      Sid: 'Accounts',
      Effect: 'Allow',
      Action: [
        'cognito-idp:AdminConfirmSignUp',
        'cognito-idp:AdminUserGlobalSignOut',
        'cognito-idp:DescribeUserPool',
      ],
      Resource: { 'Fn::GetAtt': [pool, 'Arn'] },
    });
  });

  it('reaches only the two tables, the online index and the leaderboard index', () => {
    const resources = JSON.stringify(bySid('GameData').Resource);
    expect(resources).toContain(logicalId(platform, 'AWS::DynamoDB::Table', 'DataPlayers'));
    expect(resources).toContain(logicalId(platform, 'AWS::DynamoDB::Table', 'DataMatches'));
    expect(resources).toContain('/index/online-index');
    expect(resources).toContain('/index/leaderboard-index');
    expect(bySid('GameData').Resource).toHaveLength(4);
    expect(resources).not.toContain('*');
  });

  it('uses the data key only through DynamoDB and SQS', () => {
    expect(bySid('GameDataKey').Condition).toEqual({
      StringEquals: {
        'kms:ViaService': ['dynamodb.eu-west-1.amazonaws.com', 'sqs.eu-west-1.amazonaws.com'],
      },
    });
  });

  it('may only send to the events queue and read the one release object', () => {
    expect(bySid('PublishEvents').Action).toBe('sqs:SendMessage');
    expect(bySid('FetchRelease').Action).toBe('s3:GetObject');
    expect(JSON.stringify(bySid('FetchRelease').Resource)).toContain(
      '/releases/latest/duel-platform.tgz',
    );
  });

  it('puts resource "*" only on PutMetricData, pinned to the agent namespace', () => {
    const star = statements.filter((s) => JSON.stringify(s.Resource) === '"*"');
    expect(star.map((s) => s.Action)).toEqual(['cloudwatch:PutMetricData']);
    expect(star[0]?.Condition).toEqual({ StringEquals: { 'cloudwatch:namespace': 'CWAgent' } });
  });

  it('adds the SSM core policy when sessionManager is on', () => {
    const ssm = synthesize({ sessionManager: 'true' }).platform;
    const ssmRole = logicalId(ssm, 'AWS::IAM::Role', 'GameServersRole');
    expect(JSON.stringify(ssm.findResources('AWS::IAM::Role')[ssmRole])).toContain(
      'AmazonSSMManagedInstanceCore',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { Match } from 'aws-cdk-lib/assertions';
import { ALARM_THRESHOLDS } from '../lib/alarms.js';
import { TICK_LAG_METRIC } from '../lib/cloudwatch-agent.js';
import { ingressRules, logicalId, synthesize, type Json } from './synth.js';

const { platform } = synthesize();
const topic = logicalId(platform, 'AWS::SNS::Topic', 'AlarmsTopic');
const userData = JSON.stringify(platform.findResources('AWS::EC2::LaunchTemplate'));

/** The one alarm whose logical id starts with Alarms<name>, with its properties. */
function alarm(name: string): Record<string, Json> {
  const alarms = platform.findResources('AWS::CloudWatch::Alarm');
  const id = Object.keys(alarms).find((key) => key.startsWith(`Alarms${name}`));
  if (id === undefined) throw new Error(`No alarm ${name}`);
  return (alarms[id] as { Properties: Record<string, Json> }).Properties;
}

describe('TLS on every hop', () => {
  it('sends ALB traffic to the nodes over HTTPS and health-checks over HTTPS', () => {
    platform.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      Protocol: 'HTTPS',
      HealthCheckProtocol: 'HTTPS',
    });
  });

  it('makes a per-node certificate at boot and hands its paths to the server', () => {
    expect(userData).toContain('openssl req -x509');
    expect(userData).toContain('TLS_CERT_FILE=/etc/duel/tls/cert.pem');
    expect(userData).toContain('https://127.0.0.1:8080/readyz');
  });

  it('encrypts Redis in transit and at rest, with an AUTH token from Secrets Manager', () => {
    platform.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      TransitEncryptionEnabled: true,
      AtRestEncryptionEnabled: true,
      MultiAZEnabled: true,
      AutomaticFailoverEnabled: true,
      NumCacheClusters: 2,
      AuthToken: Match.objectLike({ 'Fn::Join': Match.anyValue() }),
    });
    expect(JSON.stringify(platform.findResources('AWS::ElastiCache::ReplicationGroup'))).toContain(
      '{{resolve:secretsmanager:',
    );
    // The token is fetched at boot, never written into the launch template.
    expect(userData).toContain('secretsmanager get-secret-value');
    expect(userData).not.toContain('{{resolve:secretsmanager:');
  });

  it('serves CloudFront to the ALB with TLS 1.2 only', () => {
    platform.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: {
        Origins: Match.arrayWith([
          Match.objectLike({
            CustomOriginConfig: Match.objectLike({ OriginSSLProtocols: ['TLSv1.2'] }),
          }),
        ]),
      },
    });
  });
});

describe('scale-out', () => {
  it('runs one server process per vCPU and opens one UDP port each', () => {
    const big = synthesize({ instanceType: 'c7g.2xlarge' }).platform;
    const sg = logicalId(big, 'AWS::EC2::SecurityGroup', 'GameServersSecurityGroup');
    expect(ingressRules(big, sg)).toContainEqual({
      protocol: 'udp',
      fromPort: 10000,
      toPort: 10007,
      source: '0.0.0.0/0',
    });
    expect(JSON.stringify(big.findResources('AWS::EC2::LaunchTemplate'))).toContain('NODES=8');
  });

  it('scrapes the metrics port of every server process (9464 + i for i < NODES)', () => {
    const big = synthesize({ instanceType: 'c7g.2xlarge' }).platform;
    const text = JSON.stringify(big.findResources('AWS::EC2::LaunchTemplate'));
    const targets = Array.from({ length: 8 }, (_, i) => `'127.0.0.1:${9464 + i}'`).join(', ');
    expect(text).toContain(`targets: [${targets}]`);
  });

  it('drains a terminating node (SIGUSR2 to the server) before it stops it', () => {
    const drain = userData.indexOf('--signal=SIGUSR2 duel.service');
    const stop = userData.indexOf('systemctl stop duel.service');
    expect(drain).toBeGreaterThan(0);
    expect(stop).toBeGreaterThan(drain);
    expect(userData).toContain('--kill-whom=main');
  });

  it('lets the room processes run SCHED_FIFO 1 and no higher, and asks them to', () => {
    // ROOM_RT_PRIORITY without the limit would only log a refusal; the limit alone does nothing.
    expect(userData).toContain('ROOM_RT_PRIORITY=1');
    expect(userData).toMatch(/\\nLimitRTPRIO=1\\n/);
    expect(userData).toContain('util-linux'); // chrt, which makes the call
  });

  it('refuses an instance type whose vCPU count it does not know', () => {
    expect(() => synthesize({ instanceType: 'x9.weird' })).toThrow(/x9\.weird/);
  });

  it('keeps the target group free of stickiness', () => {
    const groups = JSON.stringify(
      platform.findResources('AWS::ElasticLoadBalancingV2::TargetGroup'),
    );
    expect(groups).not.toContain('stickiness.enabled","Value":"true');
  });
});

describe('TURN fleet', () => {
  const turnSg = logicalId(platform, 'AWS::EC2::SecurityGroup', 'TurnSecurityGroup');

  it('listens on UDP/TCP 3478 and TLS 443, and takes relay answers on its relay ports', () => {
    expect(ingressRules(platform, turnSg)).toEqual(
      expect.arrayContaining([
        { protocol: 'udp', fromPort: 3478, toPort: 3478, source: '0.0.0.0/0' },
        { protocol: 'tcp', fromPort: 3478, toPort: 3478, source: '0.0.0.0/0' },
        { protocol: 'tcp', fromPort: 443, toPort: 443, source: '0.0.0.0/0' },
        { protocol: 'udp', fromPort: 49152, toPort: 65535, source: '0.0.0.0/0' },
      ]),
    );
  });

  it('relays only to the game servers UDP ports (plus HTTPS for packages and AWS)', () => {
    const group = platform.findResources('AWS::EC2::SecurityGroup')[turnSg] as {
      Properties: {
        SecurityGroupEgress: { IpProtocol: string; FromPort: number; ToPort: number }[];
      };
    };
    const egress = group.Properties.SecurityGroupEgress.map(
      (rule) => `${rule.IpProtocol} ${rule.FromPort}-${rule.ToPort}`,
    );
    expect(egress.sort()).toEqual(['tcp 443-443', 'udp 10000-10001']);
  });

  it('has one Elastic IP per node and gives the game servers TURN_URLS and the secret', () => {
    platform.resourceCountIs('AWS::EC2::EIP', 2);
    platform.hasResource('AWS::AutoScaling::AutoScalingGroup', {
      Properties: Match.objectLike({ MinSize: '2', MaxSize: '2' }),
      UpdatePolicy: {
        AutoScalingRollingUpdate: Match.objectLike({ MaxBatchSize: 1, MinInstancesInService: 1 }),
      },
    });
    expect(userData).toContain('TURN_SECRET=${turn_secret}');
    expect(userData).toContain('?transport=udp');
    expect(userData).toContain('turns:');
    expect(userData).toContain('use-auth-secret');
    const serverPolicy = JSON.stringify(
      platform.findResources('AWS::IAM::Policy', {
        Properties: { PolicyName: Match.stringLikeRegexp('GameServersRole') },
      }),
    );
    expect(serverPolicy).toContain('TurnSecret');
  });

  it('can be left out: no fleet, no TURN_URLS', () => {
    const none = synthesize({ turnInstances: '0' }).platform;
    none.resourceCountIs('AWS::EC2::EIP', 0);
    expect(JSON.stringify(none.findResources('AWS::EC2::LaunchTemplate'))).not.toContain('TURN_');
  });
});

describe('alarms', () => {
  const toTopic = [{ Ref: topic }];

  it.each(['TickLag', 'Http5xx', 'UnhealthyHosts', 'DeadLetters', 'Cpu'])(
    '%s notifies the one alarm topic',
    (name) => {
      expect(alarm(name)['AlarmActions']).toEqual(toTopic);
      expect(alarm(name)['OKActions']).toEqual(toTopic);
    },
  );

  it('watch tick lag p99 from the scraped /metrics at a whole tick', () => {
    expect(alarm('TickLag')).toMatchObject({
      Namespace: 'Duel/Rooms',
      MetricName: TICK_LAG_METRIC,
      Statistic: 'Maximum',
      Threshold: ALARM_THRESHOLDS.tickLagP99Ms,
      Dimensions: expect.arrayContaining([{ Name: 'quantile', Value: '0.99' }]),
    });
    expect(userData).toContain(`metric_selectors`);
    expect(userData).toContain('127.0.0.1:9464');
  });

  it('watch 5xx as a share of requests, unhealthy hosts, dead letters and CPU', () => {
    expect(JSON.stringify(alarm('Http5xx')['Metrics'])).toContain('HTTPCode_Target_5XX_Count');
    expect(alarm('UnhealthyHosts')).toMatchObject({
      MetricName: 'UnHealthyHostCount',
      Threshold: 1,
    });
    expect(alarm('DeadLetters')).toMatchObject({
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [
        {
          Name: 'QueueName',
          Value: { 'Fn::GetAtt': [expect.stringMatching(/^DataEventsDeadLetters/), 'QueueName'] },
        },
      ],
    });
    expect(alarm('Cpu')).toMatchObject({ MetricName: 'CPUUtilization', Threshold: 80 });
  });

  it('send Auto Scaling notifications to the same encrypted topic', () => {
    platform.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    platform.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
      NotificationConfigurations: [Match.objectLike({ TopicARN: { Ref: topic } })],
    });
  });
});

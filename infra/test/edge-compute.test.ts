import { describe, expect, it } from 'vitest';
import { Match } from 'aws-cdk-lib/assertions';
import { ingressRules, logicalId, synthesize, TEST_REGION } from './synth.js';

const { platform, edge, stacks } = synthesize();
const gameSg = logicalId(platform, 'AWS::EC2::SecurityGroup', 'GameServersSecurityGroup');
const albSg = logicalId(platform, 'AWS::EC2::SecurityGroup', 'LoadBalancerAlbSecurityGroup');
const cacheSg = logicalId(platform, 'AWS::EC2::SecurityGroup', 'CacheSecurityGroup');
const groupId = (id: string) => ({ 'Fn::GetAtt': [id, 'GroupId'] });

describe('security groups', () => {
  it('open the game servers to HTTPS 8080 from the ALB and one UDP port per vCPU (t3.small: 2), only', () => {
    expect(ingressRules(platform, gameSg)).toEqual(
      expect.arrayContaining([
        { protocol: 'tcp', fromPort: 8080, toPort: 8080, source: groupId(albSg) },
        { protocol: 'udp', fromPort: 10000, toPort: 10001, source: '0.0.0.0/0' },
      ]),
    );
    expect(ingressRules(platform, gameSg)).toHaveLength(2);
  });

  it('open Redis to the game servers only', () => {
    expect(ingressRules(platform, cacheSg)).toEqual([
      { protocol: 'tcp', fromPort: 6380, toPort: 6380, source: groupId(gameSg) },
    ]);
  });

  it('open the ALB on its one listener port: 80 without a certificate, 443 with one', () => {
    expect(ingressRules(platform, albSg)).toEqual([
      { protocol: 'tcp', fromPort: 80, toPort: 80, source: '0.0.0.0/0' },
    ]);
    const tls = synthesize({
      certificateArn: `arn:aws:acm:${TEST_REGION}:123456789012:certificate/abc-123`,
      originDomainName: 'origin.example.com',
    }).platform;
    const tlsAlbSg = logicalId(tls, 'AWS::EC2::SecurityGroup', 'LoadBalancerAlbSecurityGroup');
    expect(ingressRules(tls, tlsAlbSg)).toEqual([
      { protocol: 'tcp', fromPort: 443, toPort: 443, source: '0.0.0.0/0' },
    ]);
    tls.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Protocol: 'HTTPS',
      Certificates: [{ CertificateArn: Match.stringLikeRegexp('certificate/abc-123') }],
    });
    tls.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: {
        Origins: Match.arrayWith([
          Match.objectLike({
            DomainName: 'origin.example.com',
            CustomOriginConfig: Match.objectLike({ OriginProtocolPolicy: 'https-only' }),
          }),
        ]),
      },
    });
  });
});

describe('load balancer', () => {
  it('health-checks /readyz on the server port', () => {
    platform.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      HealthCheckPath: '/readyz',
      HealthCheckPort: '8080',
      Port: 8080,
    });
  });

  it('gives deregistering nodes 30 s and SSE requests a 120 s idle timeout', () => {
    platform.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      TargetGroupAttributes: Match.arrayWith([
        { Key: 'deregistration_delay.timeout_seconds', Value: '30' },
      ]),
    });
    platform.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([
        { Key: 'idle_timeout.timeout_seconds', Value: '120' },
      ]),
    });
  });

  it('forwards only requests carrying the CloudFront origin header', () => {
    platform.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Protocol: 'HTTP',
      DefaultActions: [Match.objectLike({ Type: 'fixed-response' })],
    });
    platform.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      Conditions: [
        Match.objectLike({
          Field: 'http-header',
          HttpHeaderConfig: Match.objectLike({ HttpHeaderName: 'X-Origin-Verify' }),
        }),
      ],
    });
  });
});

describe('metrics stay private', () => {
  it('the ALB answers /metrics itself, before the rule that forwards to the servers', () => {
    const rules = Object.values(
      platform.findResources('AWS::ElasticLoadBalancingV2::ListenerRule'),
    );
    const metrics = rules.find((r) =>
      JSON.stringify(r.Properties.Conditions).includes('"/metrics"'),
    );
    const forward = rules.find((r) => r.Properties.Actions[0].Type === 'forward');
    expect(metrics?.Properties.Actions).toEqual([
      expect.objectContaining({ Type: 'fixed-response' }),
    ]);
    expect(metrics?.Properties.Conditions).toEqual([
      { Field: 'path-pattern', PathPatternConfig: { Values: ['/metrics', '/metrics/*'] } },
    ]);
    expect(metrics?.Properties.Priority).toBeLessThan(forward?.Properties.Priority);
  });

  it('CloudFront sends only /api/* to the ALB, so /metrics never reaches a server', () => {
    const [distribution] = Object.values(platform.findResources('AWS::CloudFront::Distribution'));
    const config = distribution?.Properties.DistributionConfig;
    const albOrigins = (config.Origins as { Id: string; S3OriginConfig?: unknown }[])
      .filter((o) => o.S3OriginConfig === undefined)
      .map((o) => o.Id);
    const toAlb = (config.CacheBehaviors as { PathPattern: string; TargetOriginId: string }[])
      .filter((b) => albOrigins.includes(b.TargetOriginId))
      .map((b) => b.PathPattern);
    expect(toAlb).toEqual(['/api/*']);
    expect(albOrigins).not.toContain(config.DefaultCacheBehavior.TargetOriginId);
  });

  it('the servers serve /metrics on loopback only, on a port no security group opens', () => {
    const userData = JSON.stringify(platform.findResources('AWS::EC2::LaunchTemplate'));
    expect(userData).toContain('METRICS_PORT=9464');
    expect(userData).toContain('METRICS_HOST=127.0.0.1');
    for (const rule of ingressRules(platform, gameSg)) expect(rule.fromPort).not.toBe(9464);
  });
});

describe('WAF', () => {
  const rules = Match.arrayWith([
    Match.objectLike({
      Statement: {
        ManagedRuleGroupStatement: Match.objectLike({
          VendorName: 'AWS',
          Name: 'AWSManagedRulesCommonRuleSet',
        }),
      },
    }),
    Match.objectLike({
      Action: { Block: {} },
      Statement: { RateBasedStatement: Match.objectLike({ Limit: 2000 }) },
    }),
  ]);

  it('puts a CLOUDFRONT WebACL in a us-east-1 stack', () => {
    expect(stacks.edge.region).toBe('us-east-1');
    edge.hasResourceProperties('AWS::WAFv2::WebACL', { Scope: 'CLOUDFRONT', Rules: rules });
  });

  it('attaches the edge WebACL to the distribution across regions', () => {
    platform.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: {
        WebACLId: {
          'Fn::GetStackOutput': Match.objectLike({
            StackName: 'DuelEdgeWaf',
            Region: 'us-east-1',
          }),
        },
      },
    });
  });

  it('associates a REGIONAL WebACL with the ALB', () => {
    const acl = logicalId(platform, 'AWS::WAFv2::WebACL', 'LoadBalancerWaf');
    const alb = logicalId(platform, 'AWS::ElasticLoadBalancingV2::LoadBalancer', 'LoadBalancerAlb');
    platform.hasResourceProperties('AWS::WAFv2::WebACL', { Scope: 'REGIONAL', Rules: rules });
    platform.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: { Ref: alb },
      WebACLArn: { 'Fn::GetAtt': [acl, 'Arn'] },
    });
  });
});

describe('CloudFront', () => {
  it('serves the private web bucket through OAC and /api/* uncached from the ALB', () => {
    platform.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    platform.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        CacheBehaviors: [
          Match.objectLike({
            PathPattern: '/api/*',
            AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
            // Managed CachingDisabled and AllViewerExceptHostHeader policies.
            CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
            OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
          }),
        ],
      }),
    });
    platform.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
  });
});

describe('game servers', () => {
  it('require IMDSv2 and get a public address', () => {
    platform.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({
        MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1 },
        NetworkInterfaces: [Match.objectLike({ AssociatePublicIpAddress: true })],
      }),
    });
  });

  it('take capacity and instance type from context', () => {
    const sized = synthesize({
      instanceType: 't4g.medium',
      minCapacity: '2',
      maxCapacity: '6',
      desiredCapacity: '3',
    }).platform;
    sized.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
      MinSize: '2',
      MaxSize: '6',
      DesiredCapacity: '3',
    });
    sized.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({ InstanceType: 't4g.medium' }),
    });
    expect(JSON.stringify(sized.toJSON())).toContain('al2023-ami-kernel-6.1-arm64');
  });

  it('leave readiness to the ALB: the group replaces nodes on EC2 status checks only', () => {
    platform.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
      HealthCheckType: 'EC2',
    });
  });

  it('hold terminating nodes in a lifecycle hook until drained', () => {
    platform.hasResourceProperties('AWS::AutoScaling::LifecycleHook', {
      LifecycleHookName: 'drain',
      LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
      DefaultResult: 'CONTINUE',
      HeartbeatTimeout: 120,
    });
  });

  it('start the server with the environment the issue names', () => {
    const userData = JSON.stringify(platform.findResources('AWS::EC2::LaunchTemplate'));
    for (const line of [
      'HOST=0.0.0.0',
      'PORT=8080',
      'RTC_UDP_PORT=10000',
      'TRUST_PROXY_HOPS=2',
      `AWS_REGION=${TEST_REGION}`,
      'COGNITO_USER_POOL_ID=',
      'COGNITO_CLIENT_ID=',
      'PLAYERS_TABLE=',
      'MATCHES_TABLE=',
      'REDIS_URL=rediss://:${redis_token}@',
      'NODES=2',
      'TLS_CERT_FILE=/etc/duel/tls/cert.pem',
      'TLS_KEY_FILE=/etc/duel/tls/key.pem',
      'TURN_URLS=turn:',
      'meta-data/public-ipv4',
      'X-aws-ec2-metadata-token',
      'dist/server/src/main.js',
      'complete-lifecycle-action',
      'releases/latest/duel-platform.tgz',
    ]) {
      expect(userData).toContain(line);
    }
  });
});

import { Construct } from 'constructs';
import { Annotations, Duration } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { HTTPS_PORT, PLAIN_HTTP_PORT } from './ports.js';
import { acknowledge } from './nag.js';
import { WebAcl } from './waf.js';

/** Header CloudFront adds to every origin request; the ALB forwards only requests bearing it. */
export const ORIGIN_VERIFY_HEADER = 'X-Origin-Verify';

export interface LoadBalancerProps {
  readonly vpc: ec2.IVpc;
  /** Regional ACM certificate; without one the listener speaks plain HTTP. */
  readonly certificateArn: string | undefined;
  readonly rateLimit: number;
  readonly logBucket: s3.IBucket;
}

/**
 * The Application Load Balancer for REST and signalling, reached through CloudFront.
 * The server trusts two proxy hops (TRUST_PROXY_HOPS=2: CloudFront, then the ALB), which is
 * only sound if nobody can skip CloudFront; hence the shared-secret header check.
 */
export class LoadBalancer extends Construct {
  readonly alb: elbv2.ApplicationLoadBalancer;
  readonly listener: elbv2.ApplicationListener;
  readonly protocol: elbv2.ApplicationProtocol;
  /** Deploy-time reference (`{{resolve:secretsmanager:…}}`), never a literal in the template. */
  readonly originVerifyValue: string;
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: LoadBalancerProps) {
    super(scope, id);
    const secret = new secretsmanager.Secret(this, 'OriginVerify', {
      description: `Value of the ${ORIGIN_VERIFY_HEADER} header CloudFront sends to the ALB`,
      generateSecretString: { excludePunctuation: true, passwordLength: 48 },
    });
    this.originVerifyValue = secret.secretValue.unsafeUnwrap();
    acknowledge(
      secret,
      'SMG4',
      'Rotating it needs CloudFront and the ALB rule updated together; redeploy to rotate',
    );

    this.alb = new elbv2.ApplicationLoadBalancer(this, 'Alb', {
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      internetFacing: true,
      // Matchmaking holds an SSE request open (/api/match*); the server sends data well
      // within this, so only dead connections hit the limit.
      idleTimeout: Duration.seconds(120),
      dropInvalidHeaderFields: true,
    });
    this.alb.logAccessLogs(props.logBucket, 'alb');
    acknowledge(
      this.alb,
      'EC23',
      'CloudFront connects from its whole edge range; the X-Origin-Verify rule and WAF refuse the rest',
    );

    if (props.certificateArn === undefined) {
      Annotations.of(this).addWarningV2(
        'duel:plainHttpOrigin',
        'dev stage: CloudFront reaches the ALB over plain HTTP; production needs certificateArn',
      );
    }
    this.protocol =
      props.certificateArn === undefined
        ? elbv2.ApplicationProtocol.HTTP
        : elbv2.ApplicationProtocol.HTTPS;
    this.listener = this.alb.addListener('Listener', {
      protocol: this.protocol,
      port: props.certificateArn === undefined ? PLAIN_HTTP_PORT : HTTPS_PORT,
      certificates:
        props.certificateArn === undefined
          ? undefined
          : [acm.Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn)],
      open: true,
      defaultAction: elbv2.ListenerAction.fixedResponse(403, {
        contentType: 'application/json',
        messageBody: '{"error":{"code":"forbidden","message":"Use the public site address"}}',
      }),
    });

    const waf = new WebAcl(this, 'Waf', {
      scope: 'REGIONAL',
      rateLimit: props.rateLimit,
      keyOnForwardedIp: true,
      metricPrefix: 'duel-alb',
    });
    this.webAcl = waf.acl;
    new wafv2.CfnWebACLAssociation(this, 'WafAssociation', {
      resourceArn: this.alb.loadBalancerArn,
      webAclArn: waf.acl.attrArn,
    });
  }

  /** Sends requests that came through CloudFront to the game servers. */
  forwardTo(targetGroup: elbv2.IApplicationTargetGroup): void {
    // Metrics stay private: the servers serve them on METRICS_PORT (loopback) only, and even
    // if that changed, the public path would end here, before the forwarding rule.
    this.listener.addAction('NoMetrics', {
      priority: 5,
      conditions: [elbv2.ListenerCondition.pathPatterns(['/metrics', '/metrics/*'])],
      action: elbv2.ListenerAction.fixedResponse(404, {
        contentType: 'application/json',
        messageBody: '{"error":{"code":"not_found","message":"Nothing is here."}}',
      }),
    });
    this.listener.addTargetGroups('GameServers', {
      priority: 10,
      conditions: [
        elbv2.ListenerCondition.httpHeader(ORIGIN_VERIFY_HEADER, [this.originVerifyValue]),
      ],
      targetGroups: [targetGroup],
    });
  }
}

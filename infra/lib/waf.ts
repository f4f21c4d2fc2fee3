import { Construct } from 'constructs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';

export interface WebAclProps {
  /** CLOUDFRONT ACLs must be created in us-east-1; REGIONAL ones beside their ALB. */
  readonly scope: 'CLOUDFRONT' | 'REGIONAL';
  /** Requests per client IP per 5 minutes. */
  readonly rateLimit: number;
  /**
   * Behind CloudFront the ALB sees edge addresses, so the regional ACL counts the client
   * named in X-Forwarded-For instead. That header can be padded by the client, so the edge
   * ACL (keyed on the real source IP) is the limit that matters; this one is a backstop.
   */
  readonly keyOnForwardedIp: boolean;
  readonly metricPrefix: string;
}

/** A WebACL with the AWS common rule set and a per-IP rate limit. */
export class WebAcl extends Construct {
  readonly acl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: WebAclProps) {
    super(scope, id);
    const visibility = (name: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: `${props.metricPrefix}-${name}`,
    });

    this.acl = new wafv2.CfnWebACL(this, 'Acl', {
      scope: props.scope,
      defaultAction: { allow: {} },
      visibilityConfig: visibility('acl'),
      rules: [
        {
          name: 'aws-common-rule-set',
          priority: 0,
          overrideAction: { none: {} },
          statement: {
            managedRuleGroupStatement: {
              vendorName: 'AWS',
              name: 'AWSManagedRulesCommonRuleSet',
              // The rule set blocks bodies over 8 KB; the server accepts up to 16 KB (SDP
              // offers with many candidates) and answers 413 itself beyond that.
              ruleActionOverrides: [{ name: 'SizeRestrictions_BODY', actionToUse: { count: {} } }],
            },
          },
          visibilityConfig: visibility('common'),
        },
        {
          name: 'rate-limit-per-ip',
          priority: 1,
          action: { block: {} },
          statement: {
            rateBasedStatement: {
              limit: props.rateLimit,
              evaluationWindowSec: 300,
              ...(props.keyOnForwardedIp
                ? {
                    aggregateKeyType: 'FORWARDED_IP',
                    forwardedIpConfig: { headerName: 'X-Forwarded-For', fallbackBehavior: 'MATCH' },
                  }
                : { aggregateKeyType: 'IP' }),
            },
          },
          visibilityConfig: visibility('rate'),
        },
      ],
    });
  }
}

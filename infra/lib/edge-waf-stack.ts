import type { Construct } from 'constructs';
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { WebAcl } from './waf.js';

export interface EdgeWafStackProps extends StackProps {
  readonly rateLimit: number;
}

/** AWS WAF only accepts CLOUDFRONT-scope WebACLs in us-east-1, whatever the app's region. */
export const EDGE_REGION = 'us-east-1';

/**
 * The CloudFront WebACL, alone in a us-east-1 stack. The platform stack reads its ARN
 * through a cross-region reference, so the distribution and the ACL deploy as one app.
 */
export class EdgeWafStack extends Stack {
  readonly webAclArn: string;

  constructor(scope: Construct, id: string, props: EdgeWafStackProps) {
    super(scope, id, { ...props, crossRegionReferences: true });
    if (props.env?.region !== EDGE_REGION) {
      throw new Error(`EdgeWafStack must be deployed to ${EDGE_REGION}`);
    }
    const waf = new WebAcl(this, 'Waf', {
      scope: 'CLOUDFRONT',
      rateLimit: props.rateLimit,
      keyOnForwardedIp: false,
      metricPrefix: 'duel-edge',
    });
    this.webAclArn = waf.acl.attrArn;
    new CfnOutput(this, 'WebAclArn', { value: this.webAclArn });
  }
}

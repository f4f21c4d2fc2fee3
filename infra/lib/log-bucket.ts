import { Construct } from 'constructs';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { acknowledge } from './nag.js';

/** Days access logs are kept; long enough to look back on an incident, short enough to be cheap. */
export const ACCESS_LOG_DAYS = 90;

/**
 * The bucket every access log of a stack lands in (S3 server access logs, ALB, CloudFront,
 * VPC flow logs), each under its own prefix. SSE-S3 because ALB and S3 log delivery accept
 * nothing else; ACLs stay possible for the bucket owner because CloudFront standard logging
 * still writes with them.
 */
export class LogBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: { readonly aclWrites?: boolean } = {}) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: props.aclWrites
        ? s3.ObjectOwnership.BUCKET_OWNER_PREFERRED
        : s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      lifecycleRules: [{ expiration: Duration.days(ACCESS_LOG_DAYS) }],
      // Logs are evidence; deleting the stack must not delete them.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      this.bucket,
      'S1',
      'This is the access-log bucket; logging its own access into itself would loop',
    );
  }
}

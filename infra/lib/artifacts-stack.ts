import type { Construct } from 'constructs';
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { LogBucket } from './log-bucket.js';

/**
 * Release tarballs of the server. A stack of its own so the bucket exists, and holds a
 * release, before the first game server boots and downloads it.
 */
export class ArtifactsStack extends Stack {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
    // Its own log bucket: the platform stack depends on this one, so it cannot lend its own.
    const logs = new LogBucket(this, 'AccessLogs');
    this.bucket = new s3.Bucket(this, 'Releases', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: logs.bucket,
      serverAccessLogsPrefix: 's3/releases/',
      // Versioning makes an overwritten release recoverable; old versions age out.
      versioned: true,
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    new CfnOutput(this, 'ArtifactBucketName', { value: this.bucket.bucketName });
  }
}

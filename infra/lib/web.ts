import { Construct } from 'constructs';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ORIGIN_VERIFY_HEADER, type LoadBalancer } from './load-balancer.js';
import { acknowledge } from './nag.js';

export interface WebProps {
  readonly loadBalancer: LoadBalancer;
  /** Name CloudFront connects to on the ALB: a name on its certificate, or its DNS name. */
  readonly originDomainName: string;
  /** ARN of the CLOUDFRONT-scope WebACL (created in us-east-1). */
  readonly webAclArn: string;
  readonly domainName: string | undefined;
  readonly edgeCertificateArn: string | undefined;
  /** Access logs of the site bucket and of CloudFront. */
  readonly logBucket: s3.IBucket;
}

// Browser routes without a file extension get the app shell; assets pass through.
const SPA_REWRITE = `function handler(event) {
  var request = event.request;
  if (request.uri.indexOf('.') === -1) {
    request.uri = '/index.html';
  }
  return request;
}`;

/**
 * The public entry point: the web build from a private bucket (Origin Access Control), and
 * /api/* passed through to the ALB uncached. CloudFront brings AWS Shield Standard.
 */
export class Web extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;

  constructor(scope: Construct, id: string, props: WebProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Site', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: props.logBucket,
      serverAccessLogsPrefix: 's3/site/',
      // The build is reproducible from git; keep the bucket anyway so a stack deletion never
      // takes the site down by surprise.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const lb = props.loadBalancer;
    const api = new origins.HttpOrigin(props.originDomainName, {
      protocolPolicy:
        lb.protocol === elbv2.ApplicationProtocol.HTTPS
          ? cloudfront.OriginProtocolPolicy.HTTPS_ONLY
          : cloudfront.OriginProtocolPolicy.HTTP_ONLY,
      httpsPort: 443,
      httpPort: 80,
      // SSE matchmaking streams: CloudFront drops an origin that stays silent this long,
      // so the server must send a keep-alive comment more often (60 s is the default cap).
      originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
      readTimeout: Duration.seconds(60),
      keepaliveTimeout: Duration.seconds(60),
      customHeaders: { [ORIGIN_VERIFY_HEADER]: lb.originVerifyValue },
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Duel platform: web build and /api',
      defaultRootObject: 'index.html',
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      webAclId: props.webAclArn,
      enableLogging: true,
      logBucket: props.logBucket,
      logFilePrefix: 'cloudfront/',
      domainNames: props.domainName === undefined ? undefined : [props.domainName],
      ...(props.edgeCertificateArn === undefined
        ? {}
        : {
            certificate: acm.Certificate.fromCertificateArn(
              this,
              'Certificate',
              props.edgeCertificateArn,
            ),
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
          }),
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
        functionAssociations: [
          {
            eventType: cloudfront.FunctionEventType.VIEWER_REQUEST,
            function: new cloudfront.Function(this, 'SpaRewrite', {
              code: cloudfront.FunctionCode.fromInline(SPA_REWRITE),
              runtime: cloudfront.FunctionRuntime.JS_2_0,
              comment: 'Serve index.html for client-side routes',
            }),
          },
        ],
      },
      additionalBehaviors: {
        '/api/*': {
          origin: api,
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          // Every viewer header (Authorization included), cookie and query string reaches
          // the server. Host is left out so TLS to the ALB uses the origin's own name.
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          // Compressing an event stream would buffer it.
          compress: false,
        },
      },
    });
    this.acknowledgeFindings(props);
  }

  private acknowledgeFindings(props: WebProps): void {
    const d = this.distribution;
    acknowledge(d, 'CFR1', 'A public game for players anywhere: no country is excluded');
    // Only the dev stage gets here without certificates (settings.ts refuses production).
    if (props.edgeCertificateArn === undefined) {
      acknowledge(
        d,
        'CFR4',
        'dev stage: the default *.cloudfront.net certificate fixes the viewer policy at TLSv1',
      );
    }
    if (props.loadBalancer.protocol !== elbv2.ApplicationProtocol.HTTPS) {
      acknowledge(d, 'CFR5', 'dev stage: no ALB certificate, so CloudFront reaches it over HTTP');
    }
  }
}

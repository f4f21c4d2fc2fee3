// Deployment settings, read once from CDK context (`-c key=value` or infra/cdk.json),
// validated, and frozen. A bad value stops synthesis with one line naming the key.

/** `production` refuses to synthesize without TLS on every hop; `dev` may, and warns. */
export type Stage = 'dev' | 'production';

export interface PlatformSettings {
  readonly stage: Stage;
  /** Target account; unset keeps the stacks environment-agnostic (offline synth). */
  readonly account: string | undefined;
  /** Region of the platform stack (the CloudFront WebACL always lives in us-east-1). */
  readonly region: string;
  /** EC2 instance type of the game servers; the AMI architecture follows it. */
  readonly instanceType: string;
  readonly minCapacity: number;
  readonly maxCapacity: number;
  /** Unset lets the ASG keep its current size across deployments. */
  readonly desiredCapacity: number | undefined;
  /** Public name of the site (CloudFront alias); needs edgeCertificateArn. */
  readonly domainName: string | undefined;
  /** ACM certificate in us-east-1 covering domainName (CloudFront only accepts those). */
  readonly edgeCertificateArn: string | undefined;
  /** ACM certificate in the platform region for the ALB; unset gives an HTTP-only listener. */
  readonly certificateArn: string | undefined;
  /** Name on the ALB certificate that resolves to the ALB; CloudFront connects to it. */
  readonly originDomainName: string | undefined;
  /** Release to run: s3://<artifact bucket>/releases/<version>/duel-platform.tgz. */
  readonly artifactVersion: string;
  readonly cacheNodeType: string;
  /** AUTH_MERGE_LOGIN_ERRORS and Cognito's PreventUserExistenceErrors move together. */
  readonly mergeLoginErrors: boolean;
  /** Requests per client IP per 5 minutes before WAF blocks it. */
  readonly rateLimit: number;
  /** Attach the SSM core policy so operators can open shells without SSH. */
  readonly sessionManager: boolean;
  /** coturn instances, each with its own Elastic IP; 0 leaves TURN_URLS unset. */
  readonly turnInstances: number;
  readonly turnInstanceType: string;
  /** E-mail address subscribed to the alarm topic; unset leaves the topic without subscribers. */
  readonly alarmEmail: string | undefined;
}

/** Where settings come from: context lookups plus the CLI's default environment. */
export interface SettingsSource {
  context(key: string): unknown;
  defaultAccount?: string | undefined;
  defaultRegion?: string | undefined;
}

/** Region used when neither context nor the CLI names one, so offline synth works. */
export const FALLBACK_REGION = 'us-east-1';

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const ACCOUNT = /^\d{12}$/;
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
const CACHE_NODE_TYPE = /^cache\.[a-z0-9]+\.[a-z0-9]+$/;
const VERSION = /^[A-Za-z0-9._-]{1,64}$/;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[a-z]{2,63}$/i;
const ACM_ARN = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate\/[A-Za-z0-9-]+$/;

export function readSettings(source: SettingsSource): PlatformSettings {
  const get = (key: string): string | undefined => {
    const value = source.context(key);
    if (value === undefined || value === null || value === '') return undefined;
    return typeof value === 'string' ? value : JSON.stringify(value);
  };
  const fail = (key: string, accepts: string): never => {
    throw new Error(`Invalid context "${key}": expected ${accepts}`);
  };
  const pattern = (key: string, re: RegExp, accepts: string, fallback?: string) => {
    const value = get(key) ?? fallback;
    if (value !== undefined && !re.test(value)) fail(key, accepts);
    return value;
  };
  const integer = (key: string, min: number, max: number, fallback?: number) => {
    const raw = get(key);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      fail(key, `an integer from ${min} to ${max}`);
    }
    return value;
  };
  const flag = (key: string, fallback: boolean) => {
    const raw = get(key);
    if (raw === undefined) return fallback;
    if (raw !== 'true' && raw !== 'false') fail(key, 'true or false');
    return raw === 'true';
  };

  const region = pattern(
    'region',
    REGION,
    'an AWS region such as eu-west-1',
    source.defaultRegion ?? FALLBACK_REGION,
  ) as string;
  const minCapacity = integer('minCapacity', 0, 100, 1) as number;
  const maxCapacity = integer('maxCapacity', 1, 100, 4) as number;
  const desiredCapacity = integer('desiredCapacity', 0, 100);
  if (maxCapacity < minCapacity) fail('maxCapacity', `at least minCapacity (${minCapacity})`);
  if (
    desiredCapacity !== undefined &&
    (desiredCapacity < minCapacity || desiredCapacity > maxCapacity)
  ) {
    fail(
      'desiredCapacity',
      `a value from minCapacity to maxCapacity (${minCapacity}-${maxCapacity})`,
    );
  }

  const stage = pattern('stage', /^(dev|production)$/, 'dev or production', 'dev') as Stage;
  const settings: PlatformSettings = {
    stage,
    account: pattern('account', ACCOUNT, 'a 12-digit account id', source.defaultAccount),
    region,
    instanceType: pattern(
      'instanceType',
      INSTANCE_TYPE,
      'an EC2 type such as t3.small',
      't3.small',
    ) as string,
    minCapacity,
    maxCapacity,
    desiredCapacity,
    domainName: pattern('domainName', DOMAIN, 'a lower-case DNS name such as play.example.com'),
    edgeCertificateArn: certificate(
      get('edgeCertificateArn'),
      'edgeCertificateArn',
      'us-east-1',
      fail,
    ),
    certificateArn: certificate(get('certificateArn'), 'certificateArn', region, fail),
    originDomainName: pattern(
      'originDomainName',
      DOMAIN,
      'a lower-case DNS name on the ALB certificate',
    ),
    artifactVersion: pattern(
      'artifactVersion',
      VERSION,
      'letters, digits, ".", "_" or "-"',
      'latest',
    ) as string,
    cacheNodeType: pattern(
      'cacheNodeType',
      CACHE_NODE_TYPE,
      'a node type such as cache.t4g.micro',
      'cache.t4g.micro',
    ) as string,
    mergeLoginErrors: flag('mergeLoginErrors', false),
    rateLimit: integer('rateLimit', 10, 2_000_000_000, 2000) as number,
    sessionManager: flag('sessionManager', false),
    turnInstances: integer('turnInstances', 0, 4, 2) as number,
    turnInstanceType: pattern(
      'turnInstanceType',
      INSTANCE_TYPE,
      'an EC2 type such as t3.small',
      't3.small',
    ) as string,
    alarmEmail: pattern('alarmEmail', EMAIL, 'an e-mail address'),
  };
  // Pairs that only make sense together; failing here beats a half-working deploy.
  if (settings.domainName !== undefined && settings.edgeCertificateArn === undefined) {
    fail('edgeCertificateArn', 'a us-east-1 ACM certificate ARN when domainName is set');
  }
  if (settings.edgeCertificateArn !== undefined && settings.domainName === undefined) {
    fail('domainName', 'the name covered by edgeCertificateArn');
  }
  if (settings.certificateArn !== undefined && settings.originDomainName === undefined) {
    fail(
      'originDomainName',
      'the ALB certificate name CloudFront connects to, when certificateArn is set',
    );
  }
  if (settings.originDomainName !== undefined && settings.certificateArn === undefined) {
    fail('certificateArn', 'an ACM certificate ARN covering originDomainName');
  }
  if (stage === 'production') requireTlsEverywhere(settings, fail);
  return Object.freeze(settings);
}

/**
 * Production needs a certificate on both CloudFront hops: the viewer's (a custom domain,
 * so the TLS policy can be TLSv1.2_2021) and the origin's (HTTPS from CloudFront to the ALB).
 */
function requireTlsEverywhere(
  settings: PlatformSettings,
  fail: (key: string, accepts: string) => never,
): void {
  if (settings.certificateArn === undefined) {
    fail('certificateArn', 'an ACM certificate for the ALB when stage=production');
  }
  if (settings.edgeCertificateArn === undefined) {
    fail('edgeCertificateArn', 'a us-east-1 ACM certificate when stage=production');
  }
}

function certificate(
  value: string | undefined,
  key: string,
  region: string,
  fail: (key: string, accepts: string) => never,
): string | undefined {
  if (value === undefined) return undefined;
  const match = ACM_ARN.exec(value);
  if (match === null) return fail(key, 'an ACM certificate ARN');
  if (match[1] !== region) return fail(key, `a certificate in ${region}`);
  return value;
}
